"""A flag's evidence (the rule's JSON) as typed rows: money, dates, shares, numbers or text.

Rules name their evidence keys consistently (`*_price`, `*_date`, `*_share`, `window_from`),
so the kind of each value is told from its key and type here, once, for the flag page and the
Excel export alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MONEY_KEYS = frozenset(
    {"fence", "median", "q1", "q3", "iqr", "z_price", "highest_result", "amount", "extra_cost"}
)
DATE_KEYS = frozenset({"window_from", "window_to", "valid_from", "valid_to"})
PLAIN_KEYS = frozenset({"year", "source_row", "months", "window_days"})


@dataclass(frozen=True)
class EvidenceRow:
    """One evidence value and how to show it: money, date, share, number, plain or text."""

    key: str
    value: Any
    kind: str


def evidence_rows(evidence: dict[str, Any]) -> list[EvidenceRow]:
    """Return the evidence as typed rows, in the rule's order."""
    return [EvidenceRow(key, *_typed(key, value)) for key, value in evidence.items()]


def _typed(key: str, value: Any) -> tuple[Any, str]:
    if value is None:
        return None, "text"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value), "text"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()), "text"
    if isinstance(value, bool):
        return value, "text"
    if isinstance(value, int | float):
        return value, _number_kind(key, value)
    if _is_date_key(key):
        parsed = as_date(value)
        if parsed is not None:
            return parsed, "date"
    return value, "text"


def _number_kind(key: str, value: float) -> str:
    if key in PLAIN_KEYS or key.endswith(("_id", "_row")):
        return "plain"
    if key in MONEY_KEYS or "price" in key or key.endswith("_value"):
        return "money"
    if key.endswith(("share", "_target")) or key == "rise":
        return "share"
    return "number"


def _is_date_key(key: str) -> bool:
    return key in DATE_KEYS or key.endswith("date")


def as_date(value: Any) -> date | None:
    """Return a date from a date, a datetime or ISO text (as JSON evidence holds dates)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            return None
    return None
