"""Stock reports for the stock-rule tests: frames built in code, or rows stored as an import would.

A test states a series' periods and numbers; the facility is Nam Đàn's health centre and the
item paracetamol unless it says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.models import Buyer, Flag, SourceFile, StockItem, StockReport
from rules.engine import frames
from rules.engine.data import RuleData
from rules.engine.examples import rule_context
from rules.engine.registry import REGISTRY
from rules.engine.result import RuleOutcome

AS_OF = date(2026, 11, 24)
PARACETAMOL = "identity:paracetamol|500mg|tablet"
AMOXICILLIN = {
    "stock_item_id": 2, "item_key": "code:AMOX500", "product_code": "AMOX500",
    "product_name": "Amoxicillin 500mg", "identity_key": None, "registration_number": None,
}  # fmt: skip
VACCINE = {
    "stock_item_id": 3, "item_key": "identity:dpt-vgb-hib", "product_code": "QUINVAXEM",
    "product_name": "Vắc xin 5 trong 1", "identity_key": "dpt-vgb-hib", "category": "vaccine",
    "unit": "Liều",
}  # fmt: skip


def series(issued: list[float], closing: list[float], **values: Any) -> list[dict[str, Any]]:
    """Return a monthly series ending October 2026, one row per month (oldest first)."""
    first = 11 - len(issued)
    return [
        {"period": date(2026, first + n, 1), "issued": c, "closing": b, **values}
        for n, (c, b) in enumerate(zip(issued, closing, strict=True))
    ]


def run(
    code: str,
    rows: list[Mapping[str, Any]],
    as_of: date = AS_OF,
    frameworks: list[Mapping[str, Any]] | None = None,
    **params: Any,
) -> RuleOutcome:
    """Run one stock rule on these report rows (and framework items) and return its outcome."""
    data = RuleData(
        awards=frames.awards(frames.line()).iloc[:0],
        stock=frames.stock(list(rows)),
        frameworks=frames.frameworks(list(frameworks or [])),
    )
    data.as_of = as_of
    return REGISTRY[code].function(data, rule_context(code, params))


def store(sessions: sessionmaker[Session], name: str, rows: list[Mapping[str, Any]]) -> None:
    """Store report rows as one imported file, creating facilities and items by name and key."""
    with sessions() as session, session.begin():
        source = SourceFile(
            sha256=name.ljust(64, "0"), name=name, kind="stock-reports", file_format="xlsx",
            size_bytes=1, uploaded_by="test",
        )  # fmt: skip
        session.add(source)
        session.flush()
        for number, given in enumerate(rows, 10):
            row = {**frames.STOCK_DEFAULTS, **given}
            facility = session.scalar(select(Buyer).where(Buyer.name == row["facility"]))
            if facility is None:
                facility = Buyer(
                    name=row["facility"], name_key=row["facility"].lower(),
                    province=row["province"], province_code=row["province_code"],
                )  # fmt: skip
                session.add(facility)
            item = session.scalar(select(StockItem).where(StockItem.item_key == row["item_key"]))
            if item is None:
                item = StockItem(
                    item_key=row["item_key"], product_code=row["product_code"],
                    product_name=row["product_name"], identity_key=row["identity_key"],
                    category=row["category"], unit=row["unit"],
                )  # fmt: skip
                session.add(item)
            session.flush()
            report = StockReport(
                source_file_id=source.id, source_sheet="XNT", source_row=number,
                buyer_id=facility.id, stock_item_id=item.id, period=row["period"],
                months=row["months"], lot_number=row["lot_number"],
                expiry_date=row["expiry_date"], **{name: row[name] for name in _NUMBERS},
            )  # fmt: skip
            session.add(report)


_NUMBERS = (
    "opening", "received", "issued", "losses", "adjustments", "closing", "stockout_days",
    "amc_reported", "on_order",
)  # fmt: skip


def flags(sessions: sessionmaker[Session], code: str) -> list[tuple[str, str, bool]]:
    """Return a rule's flags as (subject key, status, active), by key."""
    with sessions() as session:
        found = session.scalars(select(Flag).where(Flag.rule == code)).all()
        return sorted((f.subject_key, f.status, f.active) for f in found)
