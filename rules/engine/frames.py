"""Build the frames rules read from a few stated columns: award lines and reference tables.

Rule tests and the rule documentation's worked examples both state only what matters to them
(`line(unit_price=120, planned_unit_price=100)`); the rest is a plausible domestic tablet bought
by one hospital, in the shape `rules.engine.data` loads, so an example runs through the same
rule function a database run does.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from procurement.domestic import product_category
from procurement.models import ReferenceListItem, ReferencePrice

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
    "manufacturer_id": 1,
    "manufacturer": "Công ty Cổ phần Dược Hậu Giang",
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

# The columns load_rule_data gives each reference table; the loader's selects name them.
REFERENCE_PRICE_COLUMNS = tuple(ReferencePrice.__table__.columns.keys())
REFERENCE_ITEM_COLUMNS = (
    *ReferenceListItem.__table__.columns.keys(),
    "list_type",
    "effective_date",
)
FRAMEWORK_COLUMNS = (
    "framework_item_id", "agreement_id", "agreement_number", "source_file_id", "source_file",
    "source_row", "holder_id", "holder", "supplier_id", "supplier", "valid_from", "valid_to",
    "product_name", "registration_number", "active_ingredients", "strength_key", "dosage_form",
    "drug_group", "identity_key", "unit", "price", "currency", "standard_unit_price",
    "standard_unit", "facility_id", "facility", "allocated_quantity", "delivered_quantity",
    "reported_on",
)  # fmt: skip
_FRAMEWORK_NUMBERS = (
    "holder_id", "supplier_id", "facility_id", "price", "standard_unit_price",
    "allocated_quantity", "delivered_quantity",
)  # fmt: skip


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


def reference_prices(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    """Return reference-price rows with every loaded column (unstated ones empty)."""
    return _table(rows, REFERENCE_PRICE_COLUMNS)


def reference_items(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    """Return reference-list items with their list's type and effective date."""
    return _table(rows, REFERENCE_ITEM_COLUMNS)


def frameworks(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    """Return framework-agreement items with validity as datetimes, as load_frameworks does."""
    frame = _table(rows, FRAMEWORK_COLUMNS)
    for column in _FRAMEWORK_NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in ("valid_from", "valid_to", "reported_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


STOCK_DEFAULTS: dict[str, Any] = {
    "source_file_id": 1,
    "source_file": "xuat-nhap-ton.xlsx",
    "source_sheet": "XNT",
    "buyer_id": 1,
    "facility": "Trung tâm Y tế huyện Nam Đàn",
    "province": "Nghệ An",
    "province_code": "nghe-an",
    "stock_item_id": 1,
    "item_key": "identity:paracetamol|500mg|tablet",
    "product_code": "PARA500",
    "product_name": "Paracetamol 500mg",
    "registration_number": "VD-12345-19",
    "identity_key": "paracetamol|500mg|tablet",
    "matched_by": "registration",
    "category": "medicine",
    "unit": "Viên",
    "period": date(2026, 10, 1),
    "months": 1,
    "opening": None,
    "received": None,
    "issued": None,
    "losses": None,
    "adjustments": None,
    "closing": 0.0,
    "stockout_days": None,
    "amc_reported": None,
    "on_order": None,
    "lot_number": None,
    "expiry_date": None,
}


def stock(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    """Return stock report rows shaped as rules.engine.data.load_stock returns them.

    A row states what matters (facility, item, period, balances); the rest is a district
    health centre's paracetamol. Rows are numbered from source row 10 in order.
    """
    from rules.engine.data import STOCK_COLUMN_NAMES, STOCK_NUMBERS

    unknown = sorted({name for row in rows for name in row} - set(STOCK_COLUMN_NAMES))
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)}")
    records = []
    for index, row in enumerate(rows):
        record = {**STOCK_DEFAULTS, **row}
        record.setdefault("report_id", index + 1)
        record.setdefault("source_row", 10 + index)
        records.append(record)
    frame = pd.DataFrame(records, columns=list(STOCK_COLUMN_NAMES))
    for name in STOCK_NUMBERS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    frame["months"] = frame["months"].astype(int)
    for name in ("period", "expiry_date"):
        frame[name] = pd.to_datetime(frame[name])
    return frame


def _table(rows: list[Mapping[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    unknown = sorted({name for row in rows for name in row} - set(columns))
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)} (known: {', '.join(columns)})")
    return pd.DataFrame([dict(row) for row in rows], columns=list(columns))
