"""PRC-01: an awarded unit price above the planned unit price."""

from __future__ import annotations

from dataclasses import dataclass, field

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, line_keys, percent, vnd


@dataclass(frozen=True)
class AbovePlanParams:
    """Parameters of PRC-01."""

    tolerance: float = field(
        default=0.0,
        metadata={"doc": "share above the planned price allowed before firing (0.0 = any excess)"},
    )


@rule(
    code="PRC-01",
    version=1,
    params=AbovePlanParams,
    subject="award_line",
    severity="high",
    title_en="Awarded above the planned price",
    title_vi="Giá trúng thầu cao hơn giá kế hoạch",
)
def price_above_plan(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line whose awarded unit price exceeds its planned unit price.

    Why: Decree 214 art. 18 forbids an award above the package's planned price; an excess
    means the plan was bypassed or the price was raised after the plan.
    Evidence: the awarded and planned unit prices and the excess as a share.
    Not applicable: no planned price, or a zero or negative price.
    """
    params: AbovePlanParams = ctx.params
    lines = data.awards
    outcome = RuleOutcome()
    applicable = lines["planned_unit_price"].gt(0) & lines["unit_price"].gt(0)
    outcome.not_applicable["no planned price"] = int(lines["planned_unit_price"].isna().sum())
    outcome.not_applicable["zero or negative price"] = int(
        (~applicable & lines["planned_unit_price"].notna()).sum()
    )
    checked = lines[applicable]
    outcome.evaluated = len(checked)
    excess = checked["unit_price"] / checked["planned_unit_price"] - 1
    fired = checked[excess > params.tolerance]
    keys = line_keys(lines, fired.index)
    for index, row in fired.iterrows():
        share = float(excess.loc[index])
        outcome.findings.append(
            line_finding(
                row,
                keys.loc[index],
                observed=float(row["unit_price"]),
                benchmark=float(row["planned_unit_price"]),
                test="price > planned price",
                evidence={"planned_unit_price": row["planned_unit_price"], "excess_share": share},
                message_en=(
                    f"Awarded at {vnd(row['unit_price'])}, {share:.1%} above the planned price "
                    f"of {vnd(row['planned_unit_price'])}; an award may not exceed the plan."
                ),
                message_vi=(
                    f"Giá trúng thầu {vnd(row['unit_price'])} cao hơn giá kế hoạch "
                    f"{vnd(row['planned_unit_price'])} {percent(share)}; giá trúng thầu không "
                    "được vượt giá kế hoạch."
                ),
            )
        )
    return outcome
