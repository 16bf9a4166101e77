"""Confirmed flags as the public sees them: the finding and the auditor's public comment.

Only flags whose status is "confirmed" are ever read here; open, closed, dismissed and
escalated flags are not public. The comment shown is the one the auditor wrote when confirming
(the latest history row that moved the flag to "confirmed"); the auditor's user name is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Flag, FlagHistory
from procurement.models.flag import CONFIRMED
from procurement.services.public_cache import cached

PER_PAGE = 25


@dataclass(frozen=True)
class PublicFlag:
    """A confirmed flag: rule, family, severity, the finding and the auditor's comment."""

    id: int
    rule: str
    family: str
    severity: str
    year: int | None
    buyer_id: int | None
    buyer: str | None
    message_vi: str
    message_en: str
    comment: str | None
    confirmed_at: datetime | None


@dataclass(frozen=True)
class FlagPage:
    """A page of confirmed flags and how many there are in all."""

    flags: list[PublicFlag]
    total: int
    page: int
    pages: int


def confirmed_by_family(session: Session) -> list[tuple[str, int]]:
    """Return how many confirmed flags each rule family has, most first."""

    def compute() -> list[tuple[str, int]]:
        rows = session.execute(
            select(Flag.family, func.count(Flag.id))
            .where(Flag.status == CONFIRMED)
            .group_by(Flag.family)
            .order_by(func.count(Flag.id).desc(), Flag.family)
        )
        return [(family, int(count)) for family, count in rows]

    return cached(session, ("flags-by-family",), compute, flags=True)


def confirmed_flags(
    session: Session,
    page: int = 1,
    *,
    buyer_id: int | None = None,
    supplier_id: int | None = None,
    province_code: str | None = None,
    family: str | None = None,
    per_page: int = PER_PAGE,
) -> FlagPage:
    """Return a page of confirmed flags, newest decision first, optionally of one subject."""
    where: list[ColumnElement[bool]] = [Flag.status == CONFIRMED]
    if buyer_id is not None:
        where.append(Flag.buyer_id == buyer_id)
    if family:
        where.append(Flag.family == family)
    if province_code is not None:
        buyers = select(Buyer.id).where(Buyer.province_code == province_code)
        where.append(Flag.buyer_id.in_(buyers))
    if supplier_id is not None:
        lines = select(AwardLine.id).where(AwardLine.supplier_id == supplier_id)
        where.append(Flag.line_id.in_(lines))
    total = session.scalar(select(func.count(Flag.id)).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    query = _flags_query().where(*where).order_by(Flag.id.desc())
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return FlagPage([_flag(row) for row in rows], total, page, pages)


def _flags_query() -> Select[tuple[object, ...]]:
    latest = (
        select(FlagHistory.flag_id, func.max(FlagHistory.id).label("history_id"))
        .where(FlagHistory.to_status == CONFIRMED)
        .group_by(FlagHistory.flag_id)
        .subquery()
    )
    return (
        select(
            Flag.id,
            Flag.rule,
            Flag.family,
            Flag.severity,
            Flag.year,
            Flag.buyer_id,
            Buyer.name,
            Flag.message_vi,
            Flag.message_en,
            FlagHistory.comment,
            FlagHistory.at,
        )
        .outerjoin(Buyer, Flag.buyer_id == Buyer.id)
        .outerjoin(latest, latest.c.flag_id == Flag.id)
        .outerjoin(FlagHistory, FlagHistory.id == latest.c.history_id)
    )


def _flag(row: tuple[object, ...]) -> PublicFlag:
    return PublicFlag(*row)  # type: ignore[arg-type]
