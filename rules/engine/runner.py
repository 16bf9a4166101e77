"""Run a pack's rules over the database and store what they find, one transaction per run."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from procurement.models import Flag
from rules.engine.data import RuleData, load_rule_data
from rules.engine.flags import store_outcome
from rules.engine.pack import RulePack, RuleSettings
from rules.engine.result import RuleOutcome
from rules.engine.scope import Scope, finding_filter, flag_filter


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
) -> list[RuleReport]:
    """Run the enabled rules (or the given codes), store their flags, return their counts.

    With a scope (what an import touched) only the lines and buyer-years it needs are loaded,
    and only the flags of its subjects are raised or closed.
    """
    if data is None:
        data = load_rule_data(session, scope.where() if scope else None)
    identities = (
        dict(zip(data.awards["line_id"], data.awards["identity_key"], strict=True)) if scope else {}
    )
    reports = []
    for settings in pack.enabled(codes):
        started = time.perf_counter()
        spec = settings.spec
        outcome = spec.function(data, RuleContext(settings, pack.targets))
        in_scope = None
        if since is not None:
            outcome = _since(outcome, since)
            in_scope = _flag_since(since)
        if scope is not None:
            keep = finding_filter(scope, identities)
            outcome = RuleOutcome(
                [f for f in outcome.findings if keep(f)],
                outcome.evaluated,
                outcome.not_applicable,
            )
            in_scope = flag_filter(scope, identities)
        counts = store_outcome(
            session, spec.code, spec.version, settings.severity, settings.params, outcome, in_scope
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


def _since(outcome: RuleOutcome, since: date) -> RuleOutcome:
    kept = [f for f in outcome.findings if f.year is None or f.year >= since.year]
    return RuleOutcome(kept, outcome.evaluated, outcome.not_applicable)


def _flag_since(since: date):  # type: ignore[no-untyped-def]
    def in_scope(flag: Flag) -> bool:
        return flag.year is None or flag.year >= since.year

    return in_scope
