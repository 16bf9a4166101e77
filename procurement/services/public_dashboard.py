"""The public dashboard's figures: awards by year and the latest imports.

Read-only and actor-free. Only imported (not withdrawn) files count. An import is described by
its file name, kind, date and counts; who uploaded it is internal and never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, SourceFile
from procurement.services.public_cache import cached

IMPORTED = "imported"


def line_value():  # type: ignore[no-untyped-def]
    """Return the SQL value of a line: its amount, else quantity x unit price."""
    return func.coalesce(AwardLine.amount, AwardLine.quantity * AwardLine.unit_price)


@dataclass(frozen=True)
class YearTotal:
    """A year's awarded lines and value."""

    year: int
    lines: int
    value: float


@dataclass(frozen=True)
class PublicImport:
    """An imported file as the public sees it: no uploader."""

    id: int
    name: str
    kind: str
    imported_at: datetime
    rows_read: int
    accepted: int
    rejected: int


def awards_by_year(session: Session) -> list[YearTotal]:
    """Return each year's count of lines and awarded value, oldest first."""

    def compute() -> list[YearTotal]:
        year = extract("year", AwardLine.decision_date)
        rows = session.execute(
            select(year, func.count(AwardLine.id), func.sum(line_value()))
            .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
            .where(SourceFile.status == IMPORTED, AwardLine.decision_date.is_not(None))
            .group_by(year)
            .order_by(year)
        )
        return [YearTotal(int(y), int(n), float(v or 0)) for y, n, v in rows]

    return cached(session, ("awards-by-year",), compute)


# What the public may know of a file: never who uploaded it.
_IMPORT_FACTS = (
    SourceFile.id,
    SourceFile.name,
    SourceFile.kind,
    SourceFile.uploaded_at,
    SourceFile.rows_read,
    SourceFile.accepted,
    SourceFile.rejected,
)


def latest_imports(session: Session, limit: int = 8) -> list[PublicImport]:
    """Return the latest imported files, newest first."""
    rows = session.execute(
        select(*_IMPORT_FACTS)
        .where(SourceFile.status == IMPORTED)
        .order_by(SourceFile.uploaded_at.desc(), SourceFile.id.desc())
        .limit(limit)
    )
    return [PublicImport(*row) for row in rows]


def public_import(session: Session, source_id: int) -> PublicImport | None:
    """Return one imported file's public facts, or None when there is none (or it is withdrawn)."""
    row = session.execute(
        select(*_IMPORT_FACTS).where(SourceFile.id == source_id, SourceFile.status == IMPORTED)
    ).first()
    return PublicImport(*row) if row else None
