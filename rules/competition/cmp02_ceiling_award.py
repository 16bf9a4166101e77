"""CMP-02: an awarded unit price at, or just below, the planned unit price."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import LINE_COLUMNS, line_finding, line_keys, vnd

# The columns a finding shows: every line finding's and this rule's own.
SHOWN = (*LINE_COLUMNS, "planned_unit_price", "procedure", "bidder_count", "tender_code")
# A price exactly at the margin must fire whatever the float rounding of the gap.
_EPS = 1e-9


@dataclass(frozen=True)
class CeilingAwardParams:
    """Parameters of CMP-02."""

    margin: float = field(
        default=0.005,
        metadata={"doc": "fire when the price is at most this share below the planned price"},
    )


@rule(
    code="CMP-02",
    version=1,
    params=CeilingAwardParams,
    subject="award_line",
    severity="low",
    title_en="Awarded at the planned price ceiling",
    title_vi="Giá trúng thầu sát giá kế hoạch",
)
def ceiling_award(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line awarded at its planned unit price or within `margin` below it.

    Why: a winning price that lands on the ceiling suggests the planned price was known to the
    winner or that no one bid against it (the OCP red flag "winning bid very close to the
    estimate"). A price above the plan is PRC-01's finding, not this rule's.
    Evidence: the awarded and planned unit prices, the gap below the plan as a share, the
    procedure and the bidder count.
    Not applicable: no planned price, a zero or negative price, or a price above the plan.
    """
    params: CeilingAwardParams = ctx.params
    lines = data.awards
    outcome = RuleOutcome()
    planned, price = lines["planned_unit_price"], lines["unit_price"]
    priced = planned.gt(0) & price.gt(0)
    gap = (planned - price) / planned  # the share below the plan; negative above it
    above = priced & gap.lt(0)
    for reason, mask in (
        ("no planned price", planned.isna()),
        ("zero or negative price", ~priced & planned.notna()),
        ("above the planned price (PRC-01)", above),
    ):
        if mask.any():
            outcome.not_applicable[reason] += int(mask.sum())
    checked = priced & ~above
    outcome.evaluated = int(checked.sum())
    hit = checked & gap.le(params.margin + _EPS)
    if not hit.any():
        return outcome
    keys = line_keys(lines, lines.index[hit])
    # Plain lists of the shown columns only, far cheaper than iterrows or to_dict: this rule
    # can fire on a large share of the lines.
    shown = lines.loc[hit, list(SHOWN)]
    columns = [shown[name].tolist() for name in SHOWN]
    rows = (dict(zip(SHOWN, values, strict=True)) for values in zip(*columns, strict=True))
    for row, key, share in zip(rows, keys, gap[hit], strict=True):
        outcome.findings.append(_finding(row, key, float(share), params.margin))
    return outcome


def _finding(row: dict[str, Any], key: str, gap: float, margin: float) -> Finding:
    price, planned = row["unit_price"], row["planned_unit_price"]
    where_en = "equal to" if gap <= 0 else f"{gap:.2%} below"
    where_vi = (
        "bằng" if gap <= 0 else f"chỉ thấp hơn {gap * 100:.2f}%".replace(".", ",") + " so với"
    )
    return line_finding(
        row,
        key,
        observed=float(price),
        benchmark=float(planned),
        test="price within margin below planned price",
        evidence={
            "planned_unit_price": planned,
            "gap_share": gap,
            "margin": margin,
            "procedure": row["procedure"],
            "bidder_count": None if pd.isna(row["bidder_count"]) else int(row["bidder_count"]),
            "tender_code": row["tender_code"],
        },
        message_en=(
            f"Awarded at {vnd(price)}, {where_en} the planned price of {vnd(planned)}: "
            "the winning price sits on the ceiling."
        ),
        message_vi=(
            f"Giá trúng thầu {vnd(price)} {where_vi} giá kế hoạch {vnd(planned)}: giá trúng "
            "thầu sát mức trần."
        ),
    )
