"""Run a pack's rules over the database and store what they find, one transaction per run."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, text
from sqlalchemy.orm import Session

from procurement.models import Flag
from rules.engine.data import RuleData, load_rule_data
from rules.engine.flags import store_outcome
from rules.engine.pack import RulePack, RuleSettings
from rules.engine.result import RuleOutcome
from rules.engine.scope import Scope, ScopedData

RUN_LOCK_KEY = 0x70726F6375726531  # PostgreSQL advisory lock of rule runs ("procure1")


@dataclass(frozen=True)
class RuleContext:
    """What a rule function receives beside the data: its parameters and the pack's targets."""

    settings: RuleSettings
    targets: Mapping[str, Any]

    @property
    def params(self) -> Any:
        """Return the rule's parameters."""
        return self.settings.params

    def params_for(self, category: str | None) -> Any:
        """Return the parameters for a product category (vaccine, medicine)."""
        return self.settings.params_for(category)


@dataclass
class RuleReport:
    """One rule's counts for the command line and the scheduler's run record."""

    code: str
    severity: str
    evaluated: int = 0
    not_applicable: Counter[str] = field(default_factory=Counter)
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    closed: int = 0
    seconds: float = 0.0


def run_rules(
    session: Session,
    pack: RulePack,
    codes: set[str] | None = None,
    since: date | None = None,
    data: RuleData | None = None,
    scope: Scope | None = None,
    as_of: date | None = None,
) -> list[RuleReport]:
    """Run the enabled rules (or the given codes), store their flags, return their counts.

    Only the frames the chosen rules read are loaded. With a scope (what an award import
    touched) each rule reads only the lines it must judge again and their peers, and only the
    flags of those subjects are raised or closed; a scope over most of the database runs as a
    full check. Stock rules have no award scope: they run after a stock import, in the
    scheduler's stock job and in a full check. `as_of` is the day stock rules judge for.
    Runs take turns (see `take_turn`); `data` given by the caller was read before its turn.
    """
    take_turn(session)
    rules = pack.enabled(codes)
    if scope is not None:
        rules = [r for r in rules if "awards" in r.spec.reads and r.spec.family != "STK"]
    scoped = ScopedData.load(session, scope, rules) if scope is not None else None
    if data is None and scoped is None:
        tables = set().union(*(r.spec.reads for r in rules)) if rules else set()
        data = load_rule_data(session, tables=tables, as_of=as_of)
    reports = []
    for settings in rules:
        started = time.perf_counter()
        spec = settings.spec
        where: Any = None
        if scoped is not None:
            data, judged_lines = scoped.for_rule(settings)
            where = scoped.scope.flags(judged_lines)
        assert data is not None
        outcome = spec.function(data, RuleContext(settings, pack.targets))
        if scoped is not None:
            outcome = _judged(outcome, scoped.scope, data)
        if since is not None:
            outcome = _since(outcome, since)
            recent = or_(Flag.year.is_(None), Flag.year >= since.year)
            where = recent if where is None else and_(where, recent)
        counts = store_outcome(
            session, spec.code, spec.version, settings.severity, settings.params, outcome, where
        )
        reports.append(
            RuleReport(
                spec.code,
                settings.severity,
                outcome.evaluated,
                outcome.not_applicable,
                counts.new,
                counts.unchanged,
                counts.updated,
                counts.closed,
                time.perf_counter() - started,
            )
        )
    return reports


def take_turn(session: Session) -> None:
    """Wait until no other rule run is in its transaction, and hold the turn until this one ends.

    Two imports' checks running at once would each read the lines, then store flags: the one
    that read before the other's import was in could store last and undo the other's findings.
    Taking turns before reading, each run reads every import committed before it and stores
    before the next one reads. PostgreSQL: a transaction-level advisory lock; SQLite: its one
    write lock, taken by BEGIN IMMEDIATE (unless this transaction holds it already).
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUN_LOCK_KEY})
    elif (
        connection.dialect.name == "sqlite"
        and not connection.connection.driver_connection.in_transaction
    ):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _judged(outcome: RuleOutcome, scope: Scope, data: RuleData) -> RuleOutcome:
    """Keep the findings about subjects this incremental check re-judges."""
    judged = frozenset(data.awards["line_id"][data.judged_lines()].tolist())
    kept = [f for f in outcome.findings if scope.holds(f, judged)]
    return RuleOutcome(kept, outcome.evaluated, outcome.not_applicable)


def _since(outcome: RuleOutcome, since: date) -> RuleOutcome:
    kept = [f for f in outcome.findings if f.year is None or f.year >= since.year]
    return RuleOutcome(kept, outcome.evaluated, outcome.not_applicable)
