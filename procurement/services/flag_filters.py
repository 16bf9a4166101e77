"""What the auditor's queue, its Excel export and `procurement flags` filter and sort flags by.

One place builds the WHERE and ORDER BY clauses, so the page, the export and the command line
always list the same flags for the same filter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Select, and_, case, or_
from sqlalchemy.sql.elements import ColumnElement

from procurement.models import AwardLine, Buyer, Flag, Product
from procurement.models.flag import CLOSED, CONFIRMED, DISMISSED, ESCALATED, OPEN

STATUSES = (OPEN, ESCALATED, CONFIRMED, DISMISSED, CLOSED)
SEVERITIES = ("high", "medium", "low")
SEVERITY_RANK = case({"high": 3, "medium": 2, "low": 1}, value=Flag.severity, else_=0)
STATUS_RANK = case({s: len(STATUSES) - i for i, s in enumerate(STATUSES)}, value=Flag.status)

# sort name -> the column it orders by; "-name" sorts descending. Flag id breaks ties, newest
# first, so a page never shows a flag twice or skips one.
SORTS: dict[str, Any] = {
    "id": Flag.id,
    "rule": Flag.rule,
    "severity": SEVERITY_RANK,
    "status": STATUS_RANK,
    "buyer": Buyer.name,
    "year": Flag.year,
    "observed": Flag.observed,
    "seen": Flag.last_seen,
}
DEFAULT_SORT = "-severity"
MAX_TEXT = 200


@dataclass(frozen=True)
class FlagFilters:
    """The auditor's filter; None (or "") means any."""

    rule: str | None = None
    family: str | None = None
    severity: str | None = None
    status: str | None = None
    buyer_id: int | None = None
    province: str | None = None  # Buyer.province_code, e.g. "ha-noi"
    year: int | None = None
    text: str | None = None

    def is_empty(self) -> bool:
        """Tell whether nothing is filtered."""
        return all(getattr(self, f.name) in (None, "") for f in fields(self))


def needs_buyer(filters: FlagFilters, sort: str = DEFAULT_SORT) -> bool:
    """Tell whether the query must join the buyer (to filter or sort by its fields)."""
    return bool(filters.province or filters.text) or sort.lstrip("-") == "buyer"


def with_joins(query: Select[Any], filters: FlagFilters, sort: str = "") -> Select[Any]:
    """Add the outer joins a filter and a sort read: the buyer, and the line's product for text.

    Joins, not correlated subqueries: a text search reads every candidate flag's product, and
    a join does that in one pass.
    """
    if needs_buyer(filters, sort):
        query = query.outerjoin(Buyer, Flag.buyer_id == Buyer.id)
    if filters.text:
        query = query.outerjoin(AwardLine, Flag.line_id == AwardLine.id).outerjoin(
            Product, AwardLine.product_id == Product.id
        )
    return query


def apply_filters(
    query: Select[Any], filters: FlagFilters, *, skip: tuple[str, ...] = ()
) -> Select[Any]:
    """Add the filter's conditions (all but those named in `skip`) to a query on Flag.

    A province or text filter reads the buyer and the product: the query must already join them
    (`with_joins`).
    """
    for name, condition in _conditions(filters):
        if name not in skip:
            query = query.where(condition)
    return query


def _conditions(filters: FlagFilters) -> list[tuple[str, ColumnElement[bool]]]:
    found: list[tuple[str, ColumnElement[bool]]] = []
    for name, column in (
        ("rule", Flag.rule),
        ("family", Flag.family),
        ("severity", Flag.severity),
        ("status", Flag.status),
        ("buyer_id", Flag.buyer_id),
        ("year", Flag.year),
    ):
        value = getattr(filters, name)
        if value not in (None, ""):
            found.append((name, column == value))
    if filters.province:
        found.append(("province", _in_province(filters.province)))
    if filters.text and filters.text.strip():
        found.append(("text", _matching(filters.text.strip()[:MAX_TEXT])))
    return found


def _in_province(code: str) -> ColumnElement[bool]:
    """A flag about a buyer of the province, or about the province itself (DOM-01)."""
    about_province = and_(
        Flag.subject_type == "province_year",
        Flag.subject_key.like(f"province_year:{_escaped(code)}:%", escape="\\"),
    )
    return or_(Buyer.province_code == code, about_province)


def _matching(text: str) -> ColumnElement[bool]:
    """Text in the flag's sentence (either language), its buyer or its line's product."""
    pattern = f"%{_escaped(text)}%"
    columns = (
        Flag.message_vi, Flag.message_en, Buyer.name, Product.name, Product.registration_number,
    )  # fmt: skip
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sort_order(sort: str) -> list[Any]:
    """Return ORDER BY clauses for a sort name ("rule", "-severity"); unknown names fall back."""
    name = sort.lstrip("-")
    if name not in SORTS:
        return sort_order(DEFAULT_SORT)
    column = SORTS[name]
    descending = sort.startswith("-")
    primary = column.desc() if descending else column.asc()
    if name in ("observed", "year", "buyer", "seen"):  # nulls last either way
        primary = primary.nulls_last()
    return [primary] if name == "id" else [primary, Flag.id.desc()]


def valid_sort(sort: str | None) -> str:
    """Return the sort if known, else the default."""
    return sort if sort and sort.lstrip("-") in SORTS else DEFAULT_SORT
