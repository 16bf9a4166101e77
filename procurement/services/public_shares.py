"""Public domestic shares: the nation, provinces and buyers against the pack's targets.

Read-only and actor-free: only imported lines count. The figures come from
procurement.services.domestic_share (the computation DOM-01 flags from), read once per data
version for every scope, so the pages and a flag never disagree. The caller passes the active
pack's targets (`procurement` may not import `rules`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from procurement.domestic import targets_for
from procurement.services.domestic_share import share_frame, share_lines_query, shares_of_frame
from procurement.services.public_cache import cached

SCOPES = ("nation", "province", "buyer")


@dataclass(frozen=True)
class ShareRow:
    """One subject's shares in one year, with its targets."""

    key: str
    name: str
    year: int
    lines: int
    value_share: float | None
    quantity_share: float | None
    value_target: float | None
    quantity_target: float | None
    domestic_value: float
    total_value: float
    unknown_lines: int
    met: bool | None


def all_shares(session: Session, targets: Mapping[str, Any]) -> dict[str, list[ShareRow]]:
    """Return every scope's rows (nation, province, buyer), each year, from one read."""
    key = ("shares", json.dumps(targets, sort_keys=True, default=str))

    def compute() -> dict[str, list[ShareRow]]:
        frame = share_frame(session, share_lines_query())
        if frame.empty:
            return {scope: [] for scope in SCOPES}
        return {scope: _rows(shares_of_frame(frame, scope, targets)) for scope in SCOPES}

    return cached(session, key, compute)


def subset_shares(
    session: Session, targets: Mapping[str, Any], name: str, *where: ColumnElement[bool]
) -> list[ShareRow]:
    """Return the yearly shares of the lines matching `where` (a supplier's) as one subject."""
    frame = share_frame(session, share_lines_query().where(*where))
    if frame.empty:
        return []
    rows = shares_of_frame(frame, "nation", targets)
    return [ShareRow(**{**row.__dict__, "name": name}) for row in _rows(rows)]


def years(session: Session, targets: Mapping[str, Any]) -> list[int]:
    """Return the years with shares, newest first."""
    return sorted({row.year for row in all_shares(session, targets)["nation"]}, reverse=True)


def ranking(session: Session, targets: Mapping[str, Any], scope: str, year: int) -> list[ShareRow]:
    """Return a year's subjects of a scope, highest value share first, those without last."""
    rows = [row for row in all_shares(session, targets)[scope] if row.year == year]
    return sorted(rows, key=lambda r: (r.value_share is None, -(r.value_share or 0), r.name))


def of_subject(
    session: Session, targets: Mapping[str, Any], scope: str, key: str
) -> list[ShareRow]:
    """Return one subject's rows (a buyer's id or a province's code as text), oldest first."""
    return [row for row in all_shares(session, targets)[scope] if row.key == key]


def national_targets(targets: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """Return the nation's (value, quantity) targets."""
    return targets_for(targets)


def _rows(rows: list[dict[str, Any]]) -> list[ShareRow]:
    return [
        ShareRow(
            key=str(row["key"]),
            name=str(row["name"]),
            year=int(row["year"]),
            lines=int(row["lines"]),
            value_share=row["value_share"],
            quantity_share=row["quantity_share"],
            value_target=row["value_target"],
            quantity_target=row["quantity_target"],
            domestic_value=float(row["domestic_value"]),
            total_value=float(row["total_value"]),
            unknown_lines=int(row["unknown_lines"]),
            met=row["met"],
        )
        for row in rows
    ]
