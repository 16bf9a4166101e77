"""Store findings as flags: insert new ones, refresh known ones, close the ones that cleared.

Idempotent by construction: a flag's fingerprint is the rule and the subject, so the same run
twice finds every flag unchanged. The engine touches `active` and closes only flags nobody has
decided; an auditor's confirmed, dismissed or escalated status is never overwritten. Every
change is appended to the history.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, true
from sqlalchemy.orm import Session

from procurement.models import Flag
from procurement.models.base import utcnow
from procurement.models.flag import CLOSED, DECIDED, OPEN
from procurement.services.flag_events import Event, append, clear
from rules.engine.registry import family_of
from rules.engine.result import Finding, RuleOutcome

ENGINE = "rules-engine"


@dataclass
class StoreCounts:
    """What a run did to one rule's flags."""

    new: int = 0
    unchanged: int = 0
    updated: int = 0
    closed: int = 0
    new_by_severity: Counter[str] = field(default_factory=Counter)


def fingerprint(code: str, subject_type: str, subject_key: str) -> str:
    """Return the stable identity of a flag: the rule and what it is about."""
    return hashlib.sha256(f"{code}|{subject_type}|{subject_key}".encode()).hexdigest()


def store_outcome(
    session: Session,
    code: str,
    version: int,
    severity: str,
    params: Any,
    outcome: RuleOutcome,
    where: Any = None,
) -> StoreCounts:
    """Write one rule's findings; close its active flags (those matching `where`, a condition
    on Flag that scopes an incremental check) that did not fire again."""
    now = utcnow()
    counts = StoreCounts()
    chosen = select(Flag).where(Flag.rule == code, true() if where is None else where)
    known = {f.fingerprint: f for f in session.scalars(chosen)}
    keys = [fingerprint(code, f.subject_type, f.subject_key) for f in outcome.findings]
    seen = set(keys)
    if where is not None:  # a scoped check may meet flags whose line is now another one
        known.update(_by_fingerprint(session, seen - known.keys()))
    settings = _plain(asdict(params)) if params is not None else {}
    opened: list[tuple[dict[str, Any], str]] = []
    events: list[Event] = []
    for key, finding in zip(keys, outcome.findings, strict=True):
        flag = known.get(key)
        if flag is None:
            new = _new_flag(key, code, version, severity, settings, finding, now)
            opened.append((new, finding.message_en))
            counts.new += 1
            counts.new_by_severity[severity] += 1
        elif _refresh(flag, version, severity, settings, finding, now, events):
            counts.updated += 1
        else:
            counts.unchanged += 1
    for key, flag in known.items():
        if key not in seen and flag.active:
            events.append(_close(flag, now))
            counts.closed += 1
    session.flush()
    events += _insert(session, opened)
    append(session, events, now)
    return counts


def _by_fingerprint(session: Session, keys: set[str]) -> dict[str, Flag]:
    """Return the stored flags with these fingerprints, a few hundred per query."""
    ordered, found = sorted(keys), {}
    for start in range(0, len(ordered), 500):
        batch = select(Flag).where(Flag.fingerprint.in_(ordered[start : start + 500]))
        found.update((flag.fingerprint, flag) for flag in session.scalars(batch))
    return found


def _insert(session: Session, opened: list[tuple[dict[str, Any], str]]) -> list[Event]:
    """Insert new flags in one batched statement; return their "opened" events.

    A run over a million lines opens tens of thousands of flags; one ORM flush per flag (to
    learn its id for the history) cost more than the rule that found them.
    """
    if not opened:
        return []
    statement = insert(Flag).returning(Flag.id, sort_by_parameter_order=True)
    ids = session.scalars(statement, [row for row, _ in opened]).all()
    return [
        Event(flag_id, ENGINE, "opened", None, OPEN, message)
        for flag_id, (_, message) in zip(ids, opened, strict=True)
    ]


def _new_flag(
    key: str,
    code: str,
    version: int,
    severity: str,
    settings: dict[str, Any],
    finding: Finding,
    now: datetime,
) -> dict[str, Any]:
    return {
        "fingerprint": key,
        "rule": code,
        "rule_version": version,
        "family": family_of(code),
        "severity": severity,
        "status": OPEN,
        "active": True,
        "first_seen": now,
        "last_seen": now,
        "params": settings,
        **_finding_columns(finding),
    }


def _refresh(
    flag: Flag,
    version: int,
    severity: str,
    settings: dict[str, Any],
    finding: Finding,
    now: datetime,
    events: list[Event],
) -> bool:
    """Bring a known flag up to date; return True when anything an auditor sees changed."""
    columns = _finding_columns(finding)
    changed = any(getattr(flag, name) != value for name, value in columns.items())
    changed = changed or (flag.rule_version, flag.params) != (version, settings)
    flag.last_seen = now
    if not flag.active:
        flag.active = True
        reopened = flag.status == CLOSED
        if reopened:
            flag.status, flag.closed_at = OPEN, None
        event = "reopened" if reopened else "condition-holds-again"
        before = CLOSED if reopened else flag.status
        events.append(Event(flag.id, ENGINE, event, before, flag.status, finding.message_en))
        changed = True
    if changed:
        for name, value in columns.items():
            setattr(flag, name, value)
        flag.rule_version, flag.params, flag.severity = version, settings, severity
    return changed


def _close(flag: Flag, now: datetime) -> Event:
    before = clear(flag, now)
    if before in DECIDED:
        why = "the rule's condition no longer holds; the auditor's decision stands"
        return Event(flag.id, ENGINE, "condition-cleared", before, before, why)
    why = "the rule's condition no longer holds"
    return Event(flag.id, ENGINE, "auto-closed", before, CLOSED, why)


def _finding_columns(finding: Finding) -> dict[str, Any]:
    return {
        "subject_type": finding.subject_type,
        "subject_key": finding.subject_key,
        "line_id": finding.line_id,
        "buyer_id": finding.buyer_id,
        "year": finding.year,
        "observed": _number(finding.observed),
        "benchmark": _number(finding.benchmark),
        "test": finding.test,
        "evidence": _plain(finding.evidence),
        "message_en": finding.message_en,
        "message_vi": finding.message_vi,
    }


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _plain(value: Any) -> Any:
    """Make evidence JSON-safe: numpy scalars to Python numbers, NaN to None, dates to text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
