"""STK-01: a facility out of an item in its latest report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.stock.findings import (
    amount,
    judged_positions,
    month_en,
    month_vi,
    product,
    quantity,
    records,
    stock_finding,
    stocked_out,
)
from rules.stock.formulas import positions


@dataclass(frozen=True)
class StockOutParams:
    """Parameters of STK-01 (none: a stock-out is a fact of the report, not a threshold)."""


@rule(
    code="STK-01",
    version=1,
    params=StockOutParams,
    subject="stock_item",
    severity="high",
    title_en="Stock-out",
    title_vi="Hết hàng",
    reads=frozenset({"stock"}),
)
def stock_out(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a facility's item whose latest report shows a closing balance of 0 (or less) or
    stock-out days.

    Lots and brands of one item at one facility are summed: the item is out when their total
    is. The flag closes itself when a later report shows stock again.
    Why: patients at that facility go without the medicine or vaccine, today.
    Evidence: the facility, product code and name, period, closing balance, stock-out days and
    the average monthly consumption.
    Not applicable: the series has no report for the latest period (of its facility and file).
    """
    outcome = RuleOutcome()
    judged = judged_positions(positions(data.stock, as_of=data.as_of, history=False), outcome)
    outcome.evaluated = len(judged)
    for row in records(judged[stocked_out(judged)]):
        outcome.findings.append(_finding(row))
    return outcome


def _finding(row: dict[str, Any]) -> Finding:
    days = row["stockout_days"]
    after_en = f" after {quantity(days)} days without stock" if days > 0 else ""
    after_vi = f", {quantity(days, 'vi')} ngày hết hàng trong kỳ" if days > 0 else ""
    return stock_finding(
        row,
        observed=row["closing"],
        benchmark=0.0,
        test="closing <= 0 or stockout_days > 0",
        evidence={},
        message_en=(
            f"{row['facility']} reported {amount(row['closing'], row['unit'])} of {product(row)} "
            f"at the end of {month_en(row['period'])}{after_en}: stocked out."
        ),
        message_vi=(
            f"{row['facility']} báo cáo tồn cuối {month_vi(row['period'])} của {product(row)} là "
            f"{amount(row['closing'], row['unit'], 'vi')}{after_vi}: hết hàng."
        ),
    )
