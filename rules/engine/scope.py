"""The part of the database an import touched, so that checking it costs a fraction of a full run.

An award import touches the identities of its lines, and the buyers and years it names. Line
rules compare a line with lines of the same identity (peers, references, lists), so they are
re-run for every line of a touched identity, with all of that identity's lines loaded; buyer-
year rules are re-run for touched buyer-years, with all of their lines loaded. Province- and
nation-year shares need every line of a year and wait for the next full run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Flag
from rules.engine.result import Finding

INCREMENTAL_SUBJECTS = frozenset({"award_line", "buyer_year"})


@dataclass(frozen=True)
class Scope:
    """Identities, buyers and years touched, and the lines of the touched identities."""

    identities: frozenset[str]
    buyers: frozenset[int]
    years: frozenset[int]

    def where(self) -> Any:
        """Return the condition selecting the lines the scoped rules need."""
        starts = [date(year, 1, 1) for year in self.years]
        in_years = (
            or_(
                *(
                    and_(
                        AwardLine.decision_date >= start,
                        AwardLine.decision_date < date(start.year + 1, 1, 1),
                    )
                    for start in starts
                )
            )
            if starts
            else AwardLine.id.is_(None)
        )
        return or_(
            AwardLine.identity_key.in_(self.identities),
            and_(AwardLine.buyer_id.in_(self.buyers), in_years),
        )

    def holds(
        self, subject_type: str, identity: str | None, buyer_id: int | None, year: int | None
    ) -> bool:
        """Tell whether a subject is one this scope re-checks."""
        if subject_type == "award_line":
            return identity in self.identities
        if subject_type == "buyer_year":
            return buyer_id in self.buyers and year in self.years
        return False


def scope_of_import(session: Session, source_file_id: int) -> Scope:
    """Return what an award import touched."""
    rows = session.execute(
        select(AwardLine.identity_key, AwardLine.buyer_id, AwardLine.decision_date)
        .where(AwardLine.source_file_id == source_file_id)
        .distinct()
    ).all()
    return Scope(
        frozenset(r[0] for r in rows),
        frozenset(r[1] for r in rows),
        frozenset(r[2].year for r in rows if r[2] is not None),
    )


def finding_filter(scope: Scope, identities: dict[int, str]):  # type: ignore[no-untyped-def]
    """Return a test keeping only the findings the scope re-checks."""

    def keep(finding: Finding) -> bool:
        identity = identities.get(finding.line_id) if finding.line_id is not None else None
        return scope.holds(finding.subject_type, identity, finding.buyer_id, finding.year)

    return keep


def flag_filter(scope: Scope, identities: dict[int, str]):  # type: ignore[no-untyped-def]
    """Return a test choosing the stored flags the scope may close."""

    def in_scope(flag: Flag) -> bool:
        identity = identities.get(flag.line_id) if flag.line_id is not None else None
        return scope.holds(flag.subject_type, identity, flag.buyer_id, flag.year)

    return in_scope
