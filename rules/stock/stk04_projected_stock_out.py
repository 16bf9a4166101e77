"""STK-04: a facility's item projected to stay below minimum for the next months."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.stock.findings import (
    amount,
    judged_positions,
    level,
    measured,
    month_en,
    month_vi,
    months,
    product,
    records,
    stock_finding,
)
from rules.stock.formulas import (
    expected_deliveries,
    first_stockout_months,
    positions,
    project_many,
)


@dataclass(frozen=True)
class ProjectedParams:
    """Parameters of STK-04."""

    min_months: float = field(
        default=2.0,
        metadata={"doc": "minimum stock in months of consumption (as STK-03's)"},
    )
    months: int = field(
        default=3,
        metadata={
            "doc": "months judged: the judged one and the next months - 1 must all be below "
            "the minimum; balances are projected this many months ahead"
        },
    )


@rule(
    code="STK-04",
    version=1,
    params=ProjectedParams,
    subject="stock_item",
    severity="high",
    title_en="Projected stock-out",
    title_vi="Dự báo thiếu hàng",
    reads=frozenset({"stock", "frameworks"}),
)
def projected_stock_out(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a facility's item below its minimum this month and, by projection, the next two.

    From the judged closing balance, each month consumes the AMC and receives what is
    expected: b_k = b_(k-1) - AMC + d_k. Expected deliveries are the quantity on order (in
    the first month) and the facility's remaining framework-agreement allocation for the
    item's identity, spread evenly over the agreement's remaining months.
    Why: when nothing expected brings the stock back to its minimum, the facility will run
    out unless someone orders now; this is the warning before STK-01.
    Evidence: months of stock, the projected balances and expected deliveries per month, the
    first month projected at or below zero (stockout_month), the minimum.
    Not applicable: no report for the latest period; no consumption to measure months of stock.
    """
    outcome = RuleOutcome()
    judged = judged_positions(positions(data.stock, as_of=data.as_of, history=False), outcome)
    checked = measured(judged, outcome)
    outcome.evaluated = len(checked)
    horizon = ctx.params.months
    on_order, framework = expected_deliveries(checked, data.frameworks, horizon)
    amc = checked["amc"].to_numpy(dtype=float)
    balances = project_many(checked["closing"].to_numpy(dtype=float), amc, on_order + framework)
    minimum = level(checked, ctx, "min_months")
    below = checked["months_of_stock"].to_numpy() < minimum
    for k in range(horizon - 1):
        below &= balances[:, k] / amc < minimum
    fired = np.flatnonzero(below)
    out = first_stockout_months(balances[fired])
    month = checked["period"].to_numpy()[fired].astype("datetime64[M]") + (
        checked["months"].to_numpy(dtype=np.int64)[fired] - 1 + out
    ).astype("timedelta64[M]")
    stockout = np.where(out > 0, month.astype("datetime64[D]").astype(str), None).tolist()
    rows = records(checked.iloc[fired])
    for values in zip(
        rows,
        minimum[fired].tolist(),
        balances[fired].tolist(),
        on_order[fired].tolist(),
        framework[fired].tolist(),
        stockout,
        strict=True,
    ):
        outcome.findings.append(_finding(*values))
    return outcome


def _finding(
    row: dict[str, Any],
    minimum: float,
    balances: list[float],
    on_order: list[float],
    framework: list[float],
    stockout: str | None,
) -> Finding:
    deliveries = [a + b for a, b in zip(on_order, framework, strict=True)]
    when_en, when_vi = "", ""
    if stockout is not None:
        when_en = f" and runs out in {month_en(stockout)}"
        when_vi = f" và hết hàng vào {month_vi(stockout)}"
    unit = row["unit"]
    return stock_finding(
        row,
        observed=row["months_of_stock"],
        benchmark=minimum,
        test="months_of_stock and projected months of stock < min_months",
        evidence={
            "min_months": minimum,
            "projected": balances,
            "projected_months_of_stock": [b / row["amc"] for b in balances],
            "deliveries": deliveries,
            "on_order": on_order[0],
            "framework_deliveries": framework,
            "stockout_month": stockout,
        },
        message_en=(
            f"{row['facility']} held {amount(row['closing'], unit)} of {product(row)} at the "
            f"end of {month_en(row['period'])}, {months(row['months_of_stock'])} months of "
            f"stock; with {amount(sum(deliveries), unit)} expected over the next "
            f"{len(balances)} months it stays below the minimum of {months(minimum)} "
            f"months{when_en}."
        ),
        message_vi=(
            f"{row['facility']} còn {amount(row['closing'], unit, 'vi')} {product(row)} cuối "
            f"{month_vi(row['period'])}, đủ dùng {months(row['months_of_stock'], 'vi')} tháng; với "
            f"{amount(sum(deliveries), unit, 'vi')} dự kiến nhận trong {len(balances)} tháng "
            f"tới, vẫn dưới mức tối thiểu {months(minimum, 'vi')} tháng{when_vi}."
        ),
    )
