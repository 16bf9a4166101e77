"""The auditor's queue: one page of flags for a filter and a sort, with counts.

Three statements per page, whatever the database's size. One counts the filter's flags by
status and severity (the status and severity filters left out, so the counts say how many each
choice would show); one reads the page's ids with ORDER BY, LIMIT and OFFSET on the flag's
own narrow columns; one joins the buyer, line, product and supplier for those ids only. A text
search, which no index serves, is read once: the matches' ids, statuses and severities give
the counts, and the page is sorted among those ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Flag, Product, Supplier
from procurement.services.flag_filters import (
    SEVERITIES,
    STATUSES,
    FlagFilters,
    apply_filters,
    sort_order,
    valid_sort,
    with_joins,
)
from procurement.services.permissions import Actor, authorize

MAX_PAGE_SIZE = 200
MAX_IDS = 5_000  # text matches handed back to SQL as an IN list to sort; more: search again
ROW_COLUMNS = (
    Flag.id,
    Flag.rule,
    Flag.family,
    Flag.severity,
    Flag.status,
    Flag.active,
    Flag.subject_type,
    Flag.subject_key,
    Flag.year,
    Buyer.name,
    Buyer.province,
    Product.name,
    Product.registration_number,
    Supplier.name,
    AwardLine.decision_date,
    Flag.observed,
    Flag.benchmark,
    AwardLine.currency,
    Flag.message_en,
    Flag.message_vi,
    Flag.last_seen,
)  # fmt: skip  (FlagRow's fields, in order)


@dataclass(frozen=True)
class FlagRow:
    """One flag as the queue lists it."""

    id: int
    rule: str
    family: str
    severity: str
    status: str
    active: bool
    subject_type: str
    subject_key: str
    year: int | None
    buyer: str | None
    province: str | None
    product: str | None
    registration_number: str | None
    supplier: str | None
    decision_date: date | None
    observed: float | None
    benchmark: float | None
    currency: str | None
    message_en: str
    message_vi: str
    last_seen: datetime


@dataclass(frozen=True)
class QueuePage:
    """A page of the queue, the filter's total and its counts by status and by severity."""

    rows: list[FlagRow]
    total: int
    page: int
    page_size: int
    sort: str
    by_status: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Return how many pages the filter spans (at least one)."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class QueueOptions:
    """What the filter form offers: buyers, provinces and years that have flags."""

    buyers: list[tuple[int, str]]
    provinces: list[tuple[str, str]]
    years: list[int]


def flag_queue(
    session: Session,
    actor: Actor,
    filters: FlagFilters,
    sort: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> QueuePage:
    """Return one page of flags matching the filter, in the sort's order, with counts."""
    authorize("flag.view", actor)
    sort = valid_sort(sort)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    chosen = None
    if filters.text:  # no index serves a text search: read the matches once, not twice
        matches = _text_matches(session, filters)
        counts = _tally(((status, severity, 1) for _, status, severity in matches), filters)
        chosen = [i for i, status, severity in matches if _chosen(filters, status, severity)]
    else:
        counts = _tally(_grouped(session, filters), filters)
    by_status, by_severity, total = counts
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    offset = (page - 1) * page_size
    if chosen is not None and len(chosen) <= MAX_IDS:
        ids = _sorted_ids(session, chosen, sort, offset, page_size) if chosen else []
    else:
        ids = _page_ids(session, filters, sort, offset, page_size)
    rows = flag_rows_by_id(session, ids)
    return QueuePage(rows, total, page, page_size, sort, by_status, by_severity)


def flag_queue_options(session: Session, actor: Actor) -> QueueOptions:
    """Return the buyers, provinces and years the filter form offers."""
    authorize("flag.view", actor)
    buyers = session.execute(select(Buyer.id, Buyer.name).order_by(Buyer.name, Buyer.id)).all()
    provinces = session.execute(
        select(Buyer.province_code, func.min(Buyer.province))
        .where(Buyer.province_code.is_not(None))
        .group_by(Buyer.province_code)
        .order_by(func.min(Buyer.province))
    ).all()
    years = session.scalars(
        select(Flag.year).where(Flag.year.is_not(None)).distinct().order_by(Flag.year.desc())
    ).all()
    return QueueOptions(
        [(i, n) for i, n in buyers], [(c, p or c) for c, p in provinces], list(years)
    )


def _grouped(session: Session, filters: FlagFilters) -> list[tuple[str, str, int]]:
    """Count the flags by status and severity, the status and severity filters left out."""
    query = with_joins(select(Flag.status, Flag.severity, func.count()).select_from(Flag), filters)
    query = apply_filters(query, filters, skip=("status", "severity"))
    grouped = session.execute(query.group_by(Flag.status, Flag.severity))
    return [(status, severity, count) for status, severity, count in grouped]


def _text_matches(session: Session, filters: FlagFilters) -> list[tuple[int, str, str]]:
    """Return the id, status and severity of every flag the filter (but status, severity) keeps."""
    query = with_joins(select(Flag.id, Flag.status, Flag.severity), filters)
    query = apply_filters(query, filters, skip=("status", "severity"))
    return [(i, status, severity) for i, status, severity in session.execute(query)]


def _chosen(filters: FlagFilters, status: str, severity: str) -> bool:
    return (not filters.status or status == filters.status) and (
        not filters.severity or severity == filters.severity
    )


def _tally(
    grouped: Iterable[tuple[str, str, int]], filters: FlagFilters
) -> tuple[dict[str, int], dict[str, int], int]:
    """Count by status (as if any status were chosen), by severity (likewise) and in all."""
    by_status = dict.fromkeys(STATUSES, 0)
    by_severity = dict.fromkeys(SEVERITIES, 0)
    total = 0
    for status, severity, count in grouped:
        status_matches = not filters.status or status == filters.status
        severity_matches = not filters.severity or severity == filters.severity
        if severity_matches:
            by_status[status] = by_status.get(status, 0) + count
        if status_matches:
            by_severity[severity] = by_severity.get(severity, 0) + count
        if status_matches and severity_matches:
            total += count
    return by_status, by_severity, total


def _page_ids(
    session: Session, filters: FlagFilters, sort: str, offset: int, limit: int
) -> list[int]:
    query = apply_filters(with_joins(select(Flag.id), filters, sort), filters)
    query = query.order_by(*sort_order(sort))
    return list(session.scalars(query.offset(offset).limit(limit)))


def _sorted_ids(session: Session, ids: list[int], sort: str, offset: int, limit: int) -> list[int]:
    """Order known flag ids by the sort in SQL (so every page sorts alike) and cut a page."""
    query = with_joins(select(Flag.id), FlagFilters(), sort).where(Flag.id.in_(ids))
    query = query.order_by(*sort_order(sort))
    return list(session.scalars(query.offset(offset).limit(limit)))


def flag_rows_by_id(session: Session, ids: list[int]) -> list[FlagRow]:
    """Return the queue rows of these flags, in the order of `ids` (no permission check)."""
    if not ids:
        return []
    query = (
        select(*ROW_COLUMNS)
        .outerjoin(Buyer, Flag.buyer_id == Buyer.id)
        .outerjoin(AwardLine, Flag.line_id == AwardLine.id)
        .outerjoin(Product, AwardLine.product_id == Product.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .where(Flag.id.in_(ids))
    )
    found = {row[0]: FlagRow(*row) for row in session.execute(query)}
    return [found[i] for i in ids if i in found]
