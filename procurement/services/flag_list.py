"""Flags as the auditor and the command line list them, with their subject's key fields."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Flag, Product, SourceFile, Supplier
from procurement.services.tabular import write_csv, write_json, write_xlsx

COLUMNS: tuple[tuple[str, Any], ...] = (
    ("flag_id", Flag.id),
    ("rule", Flag.rule),
    ("severity", Flag.severity),
    ("status", Flag.status),
    ("active", Flag.active),
    ("subject_type", Flag.subject_type),
    ("year", Flag.year),
    ("buyer", Buyer.name),
    ("product", Product.name),
    ("registration_number", Product.registration_number),
    ("supplier", Supplier.name),
    ("unit_price", AwardLine.unit_price),
    ("observed", Flag.observed),
    ("benchmark", Flag.benchmark),
    ("test", Flag.test),
    ("source_file", SourceFile.name),
    ("source_row", AwardLine.source_row),
    ("message_vi", Flag.message_vi),
    ("message_en", Flag.message_en),
)
HEADERS = [name for name, _ in COLUMNS]


def flags_query(
    rule: str | None = None, status: str | None = None, severity: str | None = None
) -> Select[Any]:
    """Select flags with their subject's fields, filtered by rule, status and severity."""
    query = (
        select(*(column for _, column in COLUMNS))
        .outerjoin(AwardLine, Flag.line_id == AwardLine.id)
        .outerjoin(Product, AwardLine.product_id == Product.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .outerjoin(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .outerjoin(Buyer, Flag.buyer_id == Buyer.id)
        .order_by(Flag.rule, Flag.id)
    )
    for column, value in ((Flag.rule, rule), (Flag.status, status), (Flag.severity, severity)):
        if value:
            query = query.where(column == value)
    return query


def flag_rows(session: Session, **filters: str | None) -> Iterator[tuple[Any, ...]]:
    """Yield flag rows in rule order."""
    for row in session.execute(flags_query(**filters)):
        yield tuple(row)


def flags_export(session: Session, fmt: str, path: Path, **filters: str | None) -> int:
    """Write the filtered flags to .csv, .xlsx or .json; return how many."""
    rows = flag_rows(session, **filters)
    if fmt == "csv":
        return write_csv(path, HEADERS, rows)
    if fmt == "json":
        return write_json(path, HEADERS, rows)
    return write_xlsx(path, [("Flags", HEADERS, rows)])
