"""Run rules on award-line frames built in code (rules.engine.frames builds the frames).

A test states only what matters to it (`line(unit_price=120, planned_unit_price=100)`); the
rest is a plausible domestic tablet bought by one hospital.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rules.engine.data import RuleData
from rules.engine.examples import rule_context
from rules.engine.frames import awards, line
from rules.engine.registry import REGISTRY
from rules.engine.runner import RuleContext


def context(code: str, targets: dict[str, Any] | None = None, **params: Any) -> RuleContext:
    """Return the context a rule receives, with parameters overridden as a pack would."""
    return rule_context(code, params, targets)


def run(code: str, *rows: dict[str, Any], data: RuleData | None = None, **params: Any):
    """Run one rule on these lines and return its outcome."""
    data = data if data is not None else RuleData(awards=awards(*rows))
    return REGISTRY[code].function(data, context(code, **params))


__all__ = ["awards", "context", "line", "replace", "run"]
