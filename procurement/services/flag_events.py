"""What happens to a flag, written one way: the engine, a withdrawal and an auditor's decision.

Every change of a flag appends one row to its history; the rows of a run go in as one statement.
A flag whose condition no longer holds is closed unless an auditor decided it: that rule is the
same whether a rule run cleared it or a withdrawal took its line away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from procurement.models import Flag, FlagHistory
from procurement.models.flag import CLOSED, DECIDED


@dataclass(frozen=True)
class Event:
    """One history row: what happened to a flag, from which status to which, and why."""

    flag_id: int
    actor: str
    event: str
    from_status: str | None
    to_status: str | None
    comment: str

    def row(self, at: datetime) -> dict[str, Any]:
        """Return the row's columns."""
        return {"at": at, **self.__dict__}


def clear(flag: Flag, now: datetime) -> str:
    """Mark that a flag's condition no longer holds; close it unless an auditor decided it.

    Return its status before.
    """
    before = flag.status
    flag.active = False
    if before not in DECIDED:
        flag.status, flag.closed_at = CLOSED, now
    return before


def append(session: Session, events: list[Event], at: datetime) -> None:
    """Append the events to the flags' histories in one statement."""
    if events:
        session.execute(insert(FlagHistory), [event.row(at) for event in events])
