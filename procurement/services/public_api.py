"""What the public JSON API answers: medicines, award lines, domestic shares, confirmed flags.

Public services: no actor, public data only (no uploader, no open or dismissed flag). Each
returns a page of plain dicts and the total, aggregated and paginated in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Manufacturer, Product, SourceFile, Supplier, Tender
from procurement.services.domestic_share import shares_report
from procurement.services.open_data import FLAG_HEADERS, confirmed_flags_query
from procurement.services.public_cache import cached

AWARD_FIELDS: tuple[tuple[str, Any], ...] = (
    ("id", AwardLine.id),
    ("identity", AwardLine.identity_key),
    ("decision_date", AwardLine.decision_date),
    ("buyer_id", Buyer.id),
    ("buyer", Buyer.name),
    ("province", Buyer.province),
    ("province_code", Buyer.province_code),
    ("buyer_level", Buyer.level),
    ("tender_code", Tender.code),
    ("decision_number", Tender.decision_number),
    ("supplier_id", Supplier.id),
    ("supplier", Supplier.name),
    ("product_name", Product.name),
    ("registration_number", Product.registration_number),
    ("active_ingredients", Product.active_ingredients),
    ("strength", Product.strength_text),
    ("dosage_form", Product.dosage_form),
    ("route", Product.route),
    ("manufacturer", Manufacturer.name),
    ("country", Manufacturer.country),
    ("origin", Product.origin),
    ("unit", AwardLine.unit),
    ("quantity", AwardLine.quantity),
    ("unit_price", AwardLine.unit_price),
    ("amount", AwardLine.amount),
    ("currency", AwardLine.currency),
    ("standard_unit_price", AwardLine.standard_unit_price),
    ("standard_unit", AwardLine.standard_unit),
    ("source_file_id", AwardLine.source_file_id),
    ("source_row", AwardLine.source_row),
)


@dataclass(frozen=True)
class Page:
    """One page of results and how many there are in all."""

    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def has_next(self) -> bool:
        """Tell whether another page follows."""
        return self.page * self.per_page < self.total


@dataclass(frozen=True)
class AwardFilter:
    """What the award lines are filtered by; None leaves a field free."""

    identity: str | None = None
    buyer: int | None = None
    supplier: int | None = None
    province: str | None = None
    year: int | None = None


def medicines_search(session: Session, query: str | None, page: int, per_page: int) -> Page:
    """Return medicines (drug identities) matching a name, ingredient or registration number."""
    key = ("api-medicines", query, page, per_page)
    return cached(session, key, lambda: _medicines(session, query, page, per_page))


def _medicines(session: Session, query: str | None, page: int, per_page: int) -> Page:
    base = _lines()
    if query:
        # "%" and "_" are searched for, not wildcards: "_" alone would match every medicine
        escaped = query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        base = base.where(
            or_(
                Product.active_ingredients.ilike(pattern, escape="\\"),
                Product.name.ilike(pattern, escape="\\"),
                Product.registration_number.ilike(pattern, escape="\\"),
            )
        )
    total = session.scalar(
        select(func.count()).select_from(
            base.with_only_columns(AwardLine.identity_key).distinct().subquery()
        )
    )
    grouped = (
        base.with_only_columns(
            AwardLine.identity_key.label("identity"),
            func.min(Product.active_ingredients).label("active_ingredients"),
            func.min(Product.strength_text).label("strength"),
            func.min(Product.dosage_form).label("dosage_form"),
            func.min(Product.name).label("example_product"),
            func.count(AwardLine.id).label("lines"),
            func.count(func.distinct(AwardLine.buyer_id)).label("buyers"),
            func.min(AwardLine.standard_unit).label("standard_unit"),
            func.min(AwardLine.standard_unit_price).label("lowest_standard_unit_price"),
            func.max(AwardLine.standard_unit_price).label("highest_standard_unit_price"),
        )
        .group_by(AwardLine.identity_key)
        .order_by(func.count(AwardLine.id).desc(), AwardLine.identity_key)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [dict(row) for row in session.execute(grouped).mappings()]
    return Page(items, total or 0, page, per_page)


def awards_search(session: Session, filters: AwardFilter, page: int, per_page: int) -> Page:
    """Return a page of award lines for the filters, in line order."""
    query = _filtered(_lines(), filters)
    total = session.scalar(query.with_only_columns(func.count(AwardLine.id)).order_by(None))
    rows = session.execute(
        query.with_only_columns(*(column for _, column in AWARD_FIELDS))
        .order_by(AwardLine.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    names = [name for name, _ in AWARD_FIELDS]
    items = [{k: _plain(v) for k, v in zip(names, row, strict=True)} for row in rows]
    return Page(items, total or 0, page, per_page)


def shares_search(
    session: Session, by: str, year: int | None, key: str | None, targets: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Return the domestic shares of one scope (and year, and subject) against the targets."""
    rows = cached(
        session, ("api-shares", by, year), lambda: shares_report(session, by, year, targets)
    )
    if key is not None:
        rows = [row for row in rows if str(row["key"]) == key]
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def confirmed_flags_search(session: Session, page: int, per_page: int) -> Page:
    """Return a page of confirmed flags, each with the auditor's public comment."""
    query = confirmed_flags_query()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = [{k: _plain(v) for k, v in zip(FLAG_HEADERS, row, strict=True)} for row in rows]
    return Page(items, total or 0, page, per_page)


def _lines() -> Select[Any]:
    return (
        select(AwardLine.id)
        .join(Tender, AwardLine.tender_id == Tender.id)
        .join(Buyer, AwardLine.buyer_id == Buyer.id)
        .join(Product, AwardLine.product_id == Product.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .outerjoin(Manufacturer, Product.manufacturer_id == Manufacturer.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .where(SourceFile.status == "imported")
    )


def _filtered(query: Select[Any], filters: AwardFilter) -> Select[Any]:
    if filters.identity is not None:
        query = query.where(AwardLine.identity_key == filters.identity)
    if filters.buyer is not None:
        query = query.where(AwardLine.buyer_id == filters.buyer)
    if filters.supplier is not None:
        query = query.where(AwardLine.supplier_id == filters.supplier)
    if filters.province is not None:
        query = query.where(Buyer.province_code == filters.province)
    if filters.year is not None:
        start, end = date(filters.year, 1, 1), date(filters.year, 12, 31)
        query = query.where(AwardLine.decision_date.between(start, end))
    return query


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # a numpy scalar from the share computation
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
