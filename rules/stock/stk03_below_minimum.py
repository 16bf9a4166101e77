"""STK-03: a facility's stock of an item below its category's minimum."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.stock.findings import (
    BELOW_EMERGENCY,
    judged_positions,
    level,
    measured_in_stock,
    months_of_stock_finding,
    records,
)
from rules.stock.formulas import positions


@dataclass(frozen=True)
class BelowMinimumParams:
    """Parameters of STK-03."""

    min_months: float = field(
        default=2.0,
        metadata={"doc": "minimum stock in months of consumption: fire below it"},
    )
    eop_months: float = field(
        default=0.5,
        metadata={"doc": "STK-02's emergency order point, below which STK-02 fires instead"},
    )


@rule(
    code="STK-03",
    version=1,
    params=BelowMinimumParams,
    subject="stock_item",
    severity="medium",
    title_en="Below the minimum stock",
    title_vi="Dưới mức tồn kho tối thiểu",
    reads=frozenset({"stock"}),
)
def below_minimum(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a facility's item with less than its category's minimum months of stock.

    The minimum is set per product category in the pack: 2 months for medicines, 6 for
    vaccines (the EPI reserve of Decree 13/2024). Items stocked out (STK-01) or below the
    emergency order point (STK-02) are those rules' findings: the bands do not overlap.
    Why: below the minimum a facility reorders; one that stays there is one late delivery
    from a stock-out.
    Evidence: closing balance, AMC and its source, months of stock, the minimum.
    Not applicable: no report for the latest period; no consumption to measure months of
    stock; stocked out (STK-01); below the emergency order point (STK-02).
    """
    outcome = RuleOutcome()
    judged = judged_positions(positions(data.stock, as_of=data.as_of, history=False), outcome)
    defined = measured_in_stock(judged, outcome)
    emergency = defined["months_of_stock"].to_numpy() < level(defined, ctx, "eop_months")
    outcome.not_applicable[BELOW_EMERGENCY] += int(emergency.sum())
    checked = defined[~emergency]
    outcome.evaluated = len(checked)
    minimum = level(checked, ctx, "min_months")
    fired = checked["months_of_stock"].to_numpy() < minimum
    for row, low in zip(records(checked[fired]), minimum[fired], strict=True):
        outcome.findings.append(_finding(row, float(low)))
    return outcome


def _finding(row: dict[str, Any], minimum: float) -> Finding:
    return months_of_stock_finding(
        row,
        minimum,
        parameter="min_months",
        test="months_of_stock < min_months",
        verdict_en="below the minimum of",
        verdict_vi="dưới mức tồn tối thiểu",
    )
