"""Every award line with its normalized fields, origin and reason, and where it came from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from procurement.models import (
    AwardLine,
    Buyer,
    Manufacturer,
    Product,
    SourceFile,
    Supplier,
    Tender,
)
from procurement.services.tabular import write_csv, write_json, write_xlsx

COLUMNS: tuple[tuple[str, Any], ...] = (
    ("line_id", AwardLine.id),
    ("buyer", Buyer.name),
    ("province", Buyer.province),
    ("buyer_level", Buyer.level),
    ("tender_code", Tender.code),
    ("tender_name", Tender.name),
    ("procedure", Tender.procedure),
    ("procedure_text", Tender.procedure_text),
    ("decision_number", Tender.decision_number),
    ("decision_date", AwardLine.decision_date),
    ("bidder_count", Tender.bidder_count),
    ("product_name", Product.name),
    ("registration_number", Product.registration_number),
    ("active_ingredients", Product.active_ingredients),
    ("strength", Product.strength_text),
    ("strength_key", Product.strength_key),
    ("dosage_form", Product.dosage_form),
    ("dosage_form_text", Product.dosage_form_text),
    ("route", Product.route),
    ("packaging", Product.packaging),
    ("drug_group", Product.drug_group),
    ("identity_key", AwardLine.identity_key),
    ("manufacturer", Manufacturer.name),
    ("country", Manufacturer.country),
    ("origin", Product.origin),
    ("origin_reason", Product.origin_reason),
    ("origin_conflict", Product.origin_conflict),
    ("supplier", Supplier.name),
    ("unit", AwardLine.unit),
    ("quantity", AwardLine.quantity),
    ("planned_unit_price", AwardLine.planned_unit_price),
    ("unit_price", AwardLine.unit_price),
    ("amount", AwardLine.amount),
    ("currency", AwardLine.currency),
    ("standard_unit_price", AwardLine.standard_unit_price),
    ("standard_unit", AwardLine.standard_unit),
    ("price_basis", AwardLine.price_basis),
    ("source_file", SourceFile.name),
    ("source_file_id", AwardLine.source_file_id),
    ("source_sheet", AwardLine.source_sheet),
    ("source_row", AwardLine.source_row),
)
HEADERS = [name for name, _ in COLUMNS]
FORMATS = ("csv", "xlsx", "json")


def _query() -> Select[Any]:
    return (
        select(*(column for _, column in COLUMNS))
        .join(Tender, AwardLine.tender_id == Tender.id)
        .join(Buyer, AwardLine.buyer_id == Buyer.id)
        .join(Product, AwardLine.product_id == Product.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .outerjoin(Manufacturer, Product.manufacturer_id == Manufacturer.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .order_by(AwardLine.id)
    )


def award_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """Yield export rows in line order, streamed from the database."""
    result = session.execute(_query().execution_options(yield_per=2000))
    for row in result:
        yield tuple(row)


def awards_export(session: Session, fmt: str, path: Path) -> int:
    """Write every award line to a .csv, .xlsx or .json file; return the line count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    rows = award_rows(session)
    if fmt == "csv":
        return write_csv(path, HEADERS, rows)
    if fmt == "json":
        return write_json(path, HEADERS, rows)
    return write_xlsx(path, [("Awards", HEADERS, rows)])
