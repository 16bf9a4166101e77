"""The jobs the scheduler runs, looked up by name in one registry.

A job is a function of a session (already in a transaction) and a context (the rule pack, the
day to judge for, and a manual check's narrowing); it returns the rules' reports, whose counts
the run record sums. Tests put a failing or counting function in the registry under a job's
name; the scheduler and `procurement check` cannot tell the difference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from rules.engine.pack import RulePack
from rules.engine.runner import RuleReport, run_rules

STOCK_FAMILY = "STK"


@dataclass(frozen=True)
class JobContext:
    """What a job needs beside the session: the pack, the day, and a manual check's options."""

    pack: RulePack
    as_of: date
    codes: frozenset[str] | None = None  # `procurement check --rules`
    since: date | None = None  # `procurement check --since`


JobFunction = Callable[[Session, JobContext], Sequence[RuleReport]]
JOBS: dict[str, JobFunction] = {}


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under a name the configuration can schedule."""

    def register(function: JobFunction) -> JobFunction:
        JOBS[name] = function
        return function

    return register


def stock_codes(pack: RulePack) -> set[str]:
    """Return the codes of the pack's enabled stock and delivery rules (family STK)."""
    return {s.spec.code for s in pack.enabled() if s.spec.family == STOCK_FAMILY}


@job("stock")
def stock_checks(session: Session, context: JobContext) -> Sequence[RuleReport]:
    """Run the enabled stock and delivery rules for the day (only the frames they read load)."""
    codes = stock_codes(context.pack)
    if context.codes is not None:
        codes &= context.codes
    if not codes:
        return []
    return run_rules(session, context.pack, codes, context.since, as_of=context.as_of)


@job("full")
def full_pack(session: Session, context: JobContext) -> Sequence[RuleReport]:
    """Run every enabled rule of the pack (or a manual check's chosen ones)."""
    codes = set(context.codes) if context.codes is not None else None
    return run_rules(session, context.pack, codes, context.since, as_of=context.as_of)
