"""PLN-01: a planned price above every price awarded for the item in the months before."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import Peers, rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, vnd
from rules.engine.windows import SortedLines, extreme_index, range_query
from rules.price.shared import category_parts, fired_lines, priced_lines


@dataclass(frozen=True)
class PlanAboveResultsParams:
    """Parameters of PLN-01."""

    months: int = field(
        default=12, metadata={"doc": "results of these calendar months before the decision day"}
    )
    min_results: int = field(
        default=1, metadata={"doc": "fewest earlier results needed to judge a planned price"}
    )


@rule(
    code="PLN-01",
    version=1,
    params=PlanAboveResultsParams,
    subject="award_line",
    severity="medium",
    title_en="Planned price above recent results",
    title_vi="Giá kế hoạch cao hơn các kết quả trúng thầu gần đây",
    peers=lambda p: Peers("identity", 31 * p.months + 1),
)
def plan_above_results(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line whose planned price exceeds the highest price awarded for its item before.

    The planned price is brought to the standard unit as the award was: planned unit price
    x standardized price / unit price. Results are the awarded standardized prices of every
    buyer for the same identity and standard unit, decided in the `months` calendar months
    before the line's decision day (that day excluded: a plan precedes its awards).
    Why: Decree 214 art. 18 bases the planned price on results for similar goods in the 12
    months before the plan; a plan above all of them was not built from them, and inflates
    the ceiling that bids are measured against. The plan's own date is not in the files,
    so the decision date stands in for it.
    Evidence: planned prices (as written and standardized), the highest result with its
    buyer, date and source, the number of results and the window.
    Not applicable: no standardized price, unit or date, no planned price, or fewer than
    `min_results` earlier results.
    """
    lines = data.awards
    outcome = RuleOutcome()
    judged = data.judged_lines()
    usable = priced_lines(lines, outcome, judged)
    plans = pd.to_numeric(lines["planned_unit_price"], errors="coerce")  # all NULL: object
    planned = usable & plans.gt(0) & lines["unit_price"].gt(0)
    outcome.not_applicable["no planned price"] = int((judged & usable & ~planned).sum())
    outcome.not_applicable["too few recent results"] = 0
    found: list[pd.DataFrame] = []
    for params, part, wanted in category_parts(lines, usable, ctx, judged):
        results = _highest_before(part, params, wanted & planned.loc[part.index].to_numpy())
        enough = results["count"].ge(max(params.min_results, 1))
        outcome.not_applicable["too few recent results"] += int((~enough).sum())
        outcome.evaluated += int(enough.sum())
        mine = part.loc[results.index]
        results["plan"] = plans.loc[mine.index] * mine["standard_unit_price"] / mine["unit_price"]
        results["months"] = params.months
        found.append(results[enough & (results["plan"] > results["highest"])])
    for key, row, hit, top in fired_lines(lines, found, "at"):
        outcome.findings.append(_finding(row, key, hit, top))
    return outcome


def _highest_before(
    part: pd.DataFrame, params: PlanAboveResultsParams, wanted: np.ndarray
) -> pd.DataFrame:
    """Return, per judged planned line, how many results its window holds and the highest
    (label, price)."""
    lines = SortedLines.build(part, ["identity_key", "standard_unit"])
    at = lines.judged(wanted)
    start = lines.months_before(part, params.months, at)
    lo, hi = lines.bound(start, "left", at), lines.bound(lines.days[at], "left", at)
    prices = part["standard_unit_price"].to_numpy(np.float64)[lines.order]
    some = hi > lo
    (top,) = range_query(
        (np.arange(len(prices)),), extreme_index(prices, False), lo[some], hi[some]
    )
    best = np.zeros(len(at), dtype=np.int64)
    best[some] = top
    frame = pd.DataFrame(
        {
            "count": hi - lo,
            "at": part.index.to_numpy()[lines.order[best]],
            "highest": np.where(some, prices[best], np.nan),
        },
        index=part.index[lines.order[at]],
    )
    frame["window_from"] = start.astype("datetime64[D]")
    return frame


def _finding(row: dict[str, Any], key: str, hit: dict[str, Any], top: dict[str, Any]) -> Finding:
    plan, highest = float(hit["plan"]), float(hit["highest"])
    unit, when = row["standard_unit"], top["decision_date"].strftime("%d/%m/%Y")
    count = int(hit["count"])
    evidence = {
        "planned_unit_price": row["planned_unit_price"],
        "planned_standard_price": plan,
        "standard_unit": unit,
        "highest_result": highest,
        "highest_buyer": top["buyer"],
        "highest_line_id": top["line_id"],
        "highest_date": top["decision_date"],
        "highest_source_file": top["source_file"],
        "highest_source_row": top["source_row"],
        "result_count": count,
        "window_from": pd.Timestamp(hit["window_from"]),
        "window_to": row["decision_date"] - pd.Timedelta(days=1),
        "excess_share": plan / highest - 1,
    }
    return line_finding(
        row,
        key,
        observed=plan,
        benchmark=highest,
        test="planned price > highest recent result",
        evidence=evidence,
        message_en=(
            f"Planned at {vnd(plan)} per {unit}, above {vnd(highest)} ({top['buyer']}, {when}), "
            f"the highest of {count} result{'s' * (count > 1)} in the {hit['months']} months "
            "before."
        ),
        message_vi=(
            f"Giá kế hoạch {vnd(plan)}/{unit} cao hơn giá trúng thầu cao nhất {vnd(highest)} "
            f"({top['buyer']}, ngày {when}) trong {count} kết quả của "
            f"{hit['months']} tháng trước."
        ),
    )
