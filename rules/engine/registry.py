"""One explicit registry of rules: a code, a version, strict parameters and one pure function.

Codes match ^[A-Z]{2,3}-\\d{2}$ (DESIGN.md names DQ-01) and are never reused; a rule's status
(stable, preview, deprecated) and the version it appeared in are declared beside it, as ruff
does for its codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from rules.engine.result import RuleOutcome

CODE = re.compile(r"^[A-Z]{2,3}-\d{2}$")
SUBJECTS = (
    "award_line", "tender", "buyer_year", "province_year", "nation_year", "product", "source_file",
    "stock_item", "stock_lot", "stock_report", "framework_item",
)  # fmt: skip
# The frames of RuleData a rule may read; a run loads the union of what its rules read, so the
# daily stock check never loads a million award lines.
TABLES = frozenset({"awards", "stock", "frameworks", "reference_prices", "reference_items"})
SEVERITIES = ("low", "medium", "high")
FAMILIES = {"PRC", "PLN", "CMP", "DOM", "CEN", "DQ", "STK"}


@dataclass(frozen=True)
class Peers:
    """The other lines a line rule compares a line with (same identity, registration number or
    buyer) and how far back. An incremental check loads exactly these around the lines an import
    added, and re-judges the lines up to `days` after them, whose windows the new lines entered."""

    by: Literal["identity", "registration", "buyer"]
    days: int


@dataclass(frozen=True)
class RuleSpec:
    """A registered rule: what it is, how to call it and how to document it."""

    code: str
    version: int
    params: type
    subject: str
    severity: str
    title_en: str
    title_vi: str
    function: Callable[..., RuleOutcome]
    status: str = "stable"
    since: str = "0.1.0"
    peers: Callable[[Any], Peers] | None = None  # None: a line is judged on its own
    reads: frozenset[str] = TABLES - {"stock"}  # the procurement rules read all but stock

    @property
    def family(self) -> str:
        """Return the family, the code's prefix (PRC, CMP, DQ, ...)."""
        return family_of(self.code)

    @property
    def doc(self) -> str:
        """Return the rule's docstring; its worked example is in rules/examples/, not here."""
        return (self.function.__doc__ or "").strip()


REGISTRY: dict[str, RuleSpec] = {}


def family_of(code: str) -> str:
    """Return a rule code's family: the letters before the dash."""
    return code.split("-", 1)[0]


def rule(
    *,
    code: str,
    version: int,
    params: type,
    subject: str,
    severity: str,
    title_en: str,
    title_vi: str,
    status: str = "stable",
    since: str = "0.1.0",
    peers: Callable[[Any], Peers] | None = None,
    reads: frozenset[str] | None = None,
) -> Callable[[Callable[..., RuleOutcome]], Callable[..., RuleOutcome]]:
    """Register a rule function under its code."""
    if not CODE.match(code) or family_of(code) not in FAMILIES:
        raise ValueError(f"rule code {code!r} must look like PRC-01 with a known family")
    if subject not in SUBJECTS or severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown subject {subject!r} or severity {severity!r}")
    if reads is not None and not reads <= TABLES:
        raise ValueError(f"{code}: reads unknown table(s) {', '.join(sorted(reads - TABLES))}")

    def register(function: Callable[..., RuleOutcome]) -> Callable[..., RuleOutcome]:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        REGISTRY[code] = RuleSpec(
            code,
            version,
            params,
            subject,
            severity,
            title_en,
            title_vi,
            function,
            status,
            since=since,
            peers=peers,
            **({"reads": frozenset(reads)} if reads is not None else {}),
        )
        return function

    return register
