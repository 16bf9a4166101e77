"""The part of the database an import touched, so that checking it costs a fraction of a full run.

A line rule that judges a line on its own (PRC-01, DQ-01, ...) only needs the lines the import
added. A rule that compares a line with other lines (its `Peers`: same identity, registration
number or buyer, some days back) also needs those peers, and must re-judge the lines decided up
to that many days after the new ones, whose windows the new lines entered. Peers are loaded in
the few columns comparisons read (`load_awards(peers_only=True)`); only judged lines carry
every column. Buyer-year rules re-judge the touched buyer-years with all their lines. Province-
and nation-year shares need every line of a year and wait for the next full run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Flag, Product
from rules.engine.data import RuleData, load_awards, load_rule_data
from rules.engine.pack import RuleSettings
from rules.engine.registry import TABLES, Peers
from rules.engine.result import Finding


@dataclass(frozen=True)
class Scope:
    """The files an import added, and the identities, buyers, years and dates of their lines."""

    files: frozenset[int]
    identities: frozenset[str]
    buyers: frozenset[int]
    years: frozenset[int]
    first: date | None = None
    last: date | None = None

    def new_lines(self) -> Any:
        """Return the condition selecting the lines the import added."""
        return AwardLine.source_file_id.in_(self.files)

    def rejudged_lines(self, reach: int) -> Any:
        """Return the new lines and the touched identities' lines up to `reach` days after."""
        if self.first is None or self.last is None or not reach:
            return self.new_lines()
        later = and_(
            AwardLine.identity_key.in_(self.identities),
            AwardLine.decision_date >= self.first,
            AwardLine.decision_date <= self.last + timedelta(days=reach),
        )
        return or_(self.new_lines(), later)

    def buyer_year_lines(self) -> Any:
        """Return the condition selecting every line of the touched buyer-years."""
        if not self.years:
            return false()
        return and_(
            AwardLine.buyer_id.in_(self.buyers), or_(*(_in_year(year) for year in self.years))
        )

    def holds(self, finding: Finding, judged: frozenset[int]) -> bool:
        """Tell whether a finding is about a subject this check re-judges."""
        if finding.subject_type == "award_line":
            return finding.line_id in judged
        if finding.subject_type == "buyer_year":
            return finding.buyer_id in self.buyers and finding.year in self.years
        if finding.subject_type == "source_file":
            return finding.subject_key in self._file_keys()
        return False

    def flags(self, judged_lines: Any) -> Any:
        """Return the condition choosing the stored flags this check may refresh or close."""
        return or_(
            and_(
                Flag.subject_type == "award_line",
                Flag.line_id.in_(select(AwardLine.id).where(judged_lines)),
            ),
            and_(
                Flag.subject_type == "buyer_year",
                Flag.buyer_id.in_(self.buyers),
                Flag.year.in_(self.years),
            ),
            and_(Flag.subject_type == "source_file", Flag.subject_key.in_(self._file_keys())),
        )

    def _file_keys(self) -> list[str]:
        return [f"file:{file_id}" for file_id in sorted(self.files)]


def _in_year(year: int) -> Any:
    return and_(
        AwardLine.decision_date >= date(year, 1, 1), AwardLine.decision_date < date(year + 1, 1, 1)
    )


def scope_of_import(session: Session, source_file_id: int) -> Scope:
    """Return what an award import touched."""
    rows = session.execute(
        select(AwardLine.identity_key, AwardLine.buyer_id, AwardLine.decision_date)
        .where(AwardLine.source_file_id == source_file_id)
        .distinct()
    ).all()
    dates = [r[2] for r in rows if r[2] is not None]
    return Scope(
        frozenset({source_file_id}),
        frozenset(r[0] for r in rows),
        frozenset(r[1] for r in rows),
        frozenset(d.year for d in dates),
        min(dates, default=None),
        max(dates, default=None),
    )


@dataclass
class ScopedData:
    """The frames of one incremental check, cut for each rule by `for_rule`."""

    scope: Scope
    base: RuleData  # reference data, and the lines the import added
    lines: pd.DataFrame  # lines peer rules judge again, then lines they only compare with
    judged: pd.Series  # which of `lines` are judged
    judged_where: Any  # the condition that selected the judged ones
    buyer_years: pd.DataFrame

    @classmethod
    def load(cls, session: Session, scope: Scope, rules: list[RuleSettings]) -> ScopedData | None:
        """Load what the enabled rules need around an import, and nothing more.

        Return None when the lines to judge again are over half of all lines (an import
        spread over the years already stored): a full run is then the cheaper check.
        """
        needs = [need for settings in rules for need in peers_of(settings)]
        reach = max((need.days for need in needs), default=0)
        judged_where = scope.rejudged_lines(reach)
        counted = select(func.count()).select_from(AwardLine)
        if 2 * (session.scalar(counted.where(judged_where)) or 0) > (session.scalar(counted) or 0):
            return None
        base = load_rule_data(session, judged_where, tables=TABLES - {"stock"})
        lines = base.awards
        base.awards = lines[lines["source_file_id"].isin(scope.files)].reset_index(drop=True)
        count = len(lines)
        if needs and scope.first is not None and scope.last is not None:
            until = scope.last + timedelta(days=reach)
            condition = _peer_condition(lines, needs, scope.first, until)
            peers = load_awards(session, condition, peers_only=True)
            peers = peers[~peers["line_id"].isin(lines["line_id"])]
            lines = pd.concat([lines, peers], ignore_index=True)
        judged = pd.Series(lines.index < count, index=lines.index)
        by_year = any(settings.spec.subject == "buyer_year" for settings in rules)
        buyer_years = (
            load_awards(session, scope.buyer_year_lines()) if by_year else base.awards.iloc[:0]
        )
        return cls(scope, base, lines, judged, judged_where, buyer_years)

    def for_rule(self, settings: RuleSettings) -> tuple[RuleData, Any]:
        """Return a rule's frames and the condition selecting the lines it judges."""
        if settings.spec.subject == "buyer_year":
            return self._with(self.buyer_years), false()
        needs = peers_of(settings)
        if not needs:
            return self.base, self.scope.new_lines()
        wanted = self.judged | _needed(self.lines, self.lines[self.judged], needs)
        chosen = self.lines if wanted.all() else self.lines[wanted]
        data = self._with(chosen)
        data.judged = self.judged[wanted]
        return data, self.judged_where

    def _with(self, awards: pd.DataFrame) -> RuleData:
        base = self.base
        return RuleData(awards, base.reference_prices, base.reference_items, base.frameworks)


def peers_of(settings: RuleSettings) -> list[Peers]:
    """Return a rule's peer needs, one per product category's parameters."""
    if settings.spec.peers is None:
        return []
    params = [settings.params, *settings.categories.values()]
    return [settings.spec.peers(p) for p in params]


def _peer_condition(judged: pd.DataFrame, needs: list[Peers], first: date, until: date) -> Any:
    """Return the SQL condition selecting every line any need may compare a judged line with."""
    parts = []
    for need in _widest(needs):
        dated = and_(
            AwardLine.decision_date >= first - timedelta(days=need.days),
            AwardLine.decision_date <= until,
        )
        if need.by == "identity":
            parts.append(and_(AwardLine.identity_key.in_(_values(judged, "identity_key")), dated))
        elif need.by == "buyer":
            parts.append(and_(AwardLine.buyer_id.in_(_values(judged, "buyer_id")), dated))
        else:
            numbers = _values(judged, "registration_number")
            products = select(Product.id).where(Product.registration_number.in_(numbers))
            parts.append(and_(AwardLine.product_id.in_(products), dated))
    return or_(*parts) if parts else false()


def _widest(needs: list[Peers]) -> list[Peers]:
    """Return one need per kind of peer, reaching as far back as the farthest."""
    days: dict[str, int] = {}
    for need in needs:
        days[need.by] = max(days.get(need.by, 0), need.days)
    return [Peers(by, reach) for by, reach in days.items()]  # type: ignore[arg-type]


_COLUMN = {"identity": "identity_key", "buyer": "buyer_id", "registration": "registration_number"}


def _needed(peers: pd.DataFrame, judged: pd.DataFrame, needs: list[Peers]) -> pd.Series:
    """Return which loaded peers a rule's needs reach (a rule reads no more than it needs)."""
    keep = pd.Series(False, index=peers.index)
    first = judged["decision_date"].min()
    if pd.isna(first):
        return keep
    for need in needs:
        name = _COLUMN[need.by]
        since = first - pd.Timedelta(days=need.days)
        keep |= peers[name].isin(_values(judged, name)) & peers["decision_date"].ge(since)
    return keep


def _values(frame: pd.DataFrame, column: str) -> list[Any]:
    values = frame[column].dropna().unique().tolist()
    return [int(v) if isinstance(v, int) or hasattr(v, "item") else v for v in values]
