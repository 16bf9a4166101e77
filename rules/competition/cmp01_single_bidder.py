"""CMP-01: one bidder for a lot awarded in a competitive procedure."""

from __future__ import annotations

from dataclasses import dataclass, field

from procurement.procedures import COMPETITIVE
from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, line_keys


@dataclass(frozen=True)
class SingleBidderParams:
    """Parameters of CMP-01."""

    max_bidders: int = field(default=1, metadata={"doc": "fire at or below this many bidders"})


@rule(
    code="CMP-01",
    version=1,
    params=SingleBidderParams,
    subject="award_line",
    severity="medium",
    title_en="Single bidder in a competitive procedure",
    title_vi="Chỉ một nhà thầu tham dự trong hình thức cạnh tranh",
)
def single_bidder(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a lot awarded by open, restricted or competitive-offer procedure with one bidder.

    Why: competition that brings one bid is competition in name only (the OCP red flag
    "single bid received"); it often follows tailored specifications or short deadlines.
    The portal states the number of bidders per lot, so the subject is the awarded line.
    Evidence: the procedure and the bidder count.
    Not applicable: no procedure stated, a non-competitive procedure, or no bidder count.
    """
    params: SingleBidderParams = ctx.params
    lines = data.awards
    outcome = RuleOutcome()
    stated = lines["procedure"].notna()
    competitive = lines["procedure"].isin(COMPETITIVE)
    counted = competitive & lines["bidder_count"].notna()
    outcome.not_applicable["no procedure stated"] = int((~stated).sum())
    outcome.not_applicable["not a competitive procedure"] = int((stated & ~competitive).sum())
    outcome.not_applicable["no bidder count"] = int((competitive & ~counted).sum())
    outcome.evaluated = int(counted.sum())
    fired = lines[counted & (lines["bidder_count"] <= params.max_bidders)]
    keys = line_keys(lines, fired.index)
    for index, row in fired.iterrows():
        bidders = int(row["bidder_count"])
        procedure = str(row["procedure"]).replace("_", " ")
        outcome.findings.append(
            line_finding(
                row,
                keys.loc[index],
                observed=float(bidders),
                benchmark=float(params.max_bidders + 1),
                test="bidders <= max_bidders",
                evidence={
                    "procedure": row["procedure"],
                    "bidder_count": bidders,
                    "tender_code": row["tender_code"],
                },
                message_en=(
                    f"{row['product_name']} for {row['buyer']} was awarded by {procedure} with "
                    f"{bidders} bidder."
                ),
                message_vi=(
                    f"{row['product_name']} của {row['buyer']} được trao theo hình thức cạnh "
                    f"tranh nhưng chỉ có {bidders} nhà thầu tham dự."
                ),
            )
        )
    return outcome
