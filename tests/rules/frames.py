"""Build award-line frames for rule tests: every column the loader gives, sensible defaults.

A test states only what matters to it (`line(unit_price=120, planned_unit_price=100)`); the
rest is a plausible domestic tablet bought by one hospital.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from rules.engine.data import RuleData, product_category
from rules.engine.pack import RuleSettings, build_params
from rules.engine.registry import REGISTRY
from rules.engine.runner import RuleContext

_IDS = itertools.count(1)

DEFAULTS: dict[str, Any] = {
    "source_file_id": 1,
    "source_file": "ket-qua.xlsx",
    "source_sheet": "DS",
    "tender_id": 1,
    "tender_code": "IB2500000001",
    "procedure": "open_bidding",
    "decision_number": "1/QĐ-BV",
    "bidder_count": None,
    "buyer_id": 1,
    "buyer": "Bệnh viện Đa khoa tỉnh Nghệ An",
    "province": "Nghệ An",
    "province_code": "nghe-an",
    "buyer_level": "provincial",
    "supplier_id": 1,
    "supplier": "Công ty CP Dược phẩm Trung ương CPC1",
    "product_id": 1,
    "product_name": "Hapacol 500",
    "registration_number": "VD-12345-19",
    "active_ingredients": "Paracetamol",
    "ingredients_key": "paracetamol",
    "strength_key": "500mg",
    "dosage_form": "tablet",
    "drug_group": "N4",
    "origin": "domestic",
    "country": "Vietnam",
    "identity_key": "paracetamol|500mg|tablet",
    "decision_date": date(2025, 3, 15),
    "unit": "Viên",
    "standard_unit": "tablet",
    "quantity": 1000.0,
    "planned_unit_price": None,
    "unit_price": 400.0,
    "amount": None,
    "currency": "VND",
    "standard_unit_price": None,
}


def line(**values: Any) -> dict[str, Any]:
    """Return one award line; amount and standard price follow the price unless given."""
    row = {**DEFAULTS, **values}
    row.setdefault("line_id", next(_IDS))
    row["line_id"] = values.get("line_id", row["line_id"])
    if row["amount"] is None:
        row["amount"] = row["quantity"] * row["unit_price"]
    if row["standard_unit_price"] is None and "standard_unit_price" not in values:
        row["standard_unit_price"] = row["unit_price"]
    return row


def awards(*rows: dict[str, Any]) -> pd.DataFrame:
    """Return a frame shaped as rules.engine.data.load_awards returns it."""
    frame = pd.DataFrame(list(rows))
    frame["source_row"] = range(10, 10 + len(frame))
    frame["decision_date"] = pd.to_datetime(frame["decision_date"])
    frame["year"] = frame["decision_date"].dt.year.astype("Int64")
    for column in ("planned_unit_price", "bidder_count", "standard_unit_price", "supplier_id"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["category"] = product_category(frame)
    return frame


def context(code: str, targets: dict[str, Any] | None = None, **params: Any) -> RuleContext:
    """Return the context a rule receives, with parameters overridden as a pack would."""
    spec = REGISTRY[code]
    built = build_params(f"test {code}", spec.params, params)
    settings = RuleSettings(spec, True, spec.severity, built)
    return RuleContext(settings, targets or {})


def run(code: str, *rows: dict[str, Any], data: RuleData | None = None, **params: Any):
    """Run one rule on these lines and return its outcome."""
    data = data if data is not None else RuleData(awards=awards(*rows))
    return REGISTRY[code].function(data, context(code, **params))


__all__ = ["awards", "context", "line", "replace", "run"]
