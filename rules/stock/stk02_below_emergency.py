"""STK-02: a facility's stock of an item below the emergency order point."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.stock.findings import (
    judged_positions,
    level,
    measured_in_stock,
    months_of_stock_finding,
    records,
)
from rules.stock.formulas import positions


@dataclass(frozen=True)
class EmergencyParams:
    """Parameters of STK-02."""

    eop_months: float = field(
        default=0.5,
        metadata={"doc": "emergency order point in months of stock: fire below it"},
    )


@rule(
    code="STK-02",
    version=1,
    params=EmergencyParams,
    subject="stock_item",
    severity="high",
    title_en="Below the emergency order point",
    title_vi="Dưới điểm đặt hàng khẩn cấp",
    reads=frozenset({"stock"}),
)
def below_emergency(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a facility's item with less than `eop_months` of stock left that is not yet out.

    Months of stock = closing balance / average monthly consumption (AMC), the AMC being the
    mean of the last three months with consumption, each adjusted for its stock-out days.
    An item already stocked out is STK-01's, not this rule's: the bands do not overlap.
    Why: below the emergency order point an ordinary order cannot arrive in time; the
    facility must order by emergency or borrow, or run out within weeks.
    Evidence: closing balance, AMC and where it came from, months of stock, the threshold.
    Not applicable: no report for the latest period; no consumption to measure months of stock
    (no period with consumption and no reported AMC); already stocked out (STK-01).
    """
    outcome = RuleOutcome()
    judged = judged_positions(positions(data.stock, as_of=data.as_of, history=False), outcome)
    checked = measured_in_stock(judged, outcome)
    outcome.evaluated = len(checked)
    threshold = level(checked, ctx, "eop_months")
    fired = checked["months_of_stock"].to_numpy() < threshold
    for row, eop in zip(records(checked[fired]), threshold[fired], strict=True):
        outcome.findings.append(_finding(row, float(eop)))
    return outcome


def _finding(row: dict[str, Any], eop: float) -> Finding:
    return months_of_stock_finding(
        row,
        eop,
        parameter="eop_months",
        test="months_of_stock < eop_months",
        verdict_en="below the emergency order point of",
        verdict_vi="dưới điểm đặt hàng khẩn cấp",
    )
