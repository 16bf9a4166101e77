"""What a rule returns: findings with evidence, and counts that never confuse "no problem" with
"could not check" (Pelican's three outcomes)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One subject that fired, with the numbers that made it fire and why, in both languages."""

    subject_type: str
    subject_key: str
    observed: float | None
    benchmark: float | None
    test: str
    evidence: dict[str, Any]
    message_en: str
    message_vi: str
    line_id: int | None = None
    buyer_id: int | None = None
    year: int | None = None


@dataclass
class RuleOutcome:
    """Findings, how many subjects were evaluated, and why the others were not applicable."""

    findings: list[Finding] = field(default_factory=list)
    evaluated: int = 0
    not_applicable: Counter[str] = field(default_factory=Counter)

    @property
    def passed(self) -> int:
        """Return how many evaluated subjects did not fire."""
        return self.evaluated - len(self.findings)
