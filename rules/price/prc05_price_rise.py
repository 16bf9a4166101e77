"""PRC-05: a buyer paying far more than it paid last time for the same product."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import Peers, rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, percent, vnd
from rules.engine.windows import SortedLines
from rules.price.shared import category_parts, fired_lines, priced_lines


@dataclass(frozen=True)
class PriceRiseParams:
    """Parameters of PRC-05."""

    months: int = field(
        default=24, metadata={"doc": "look back this many calendar months for the last purchase"}
    )
    rise: float = field(
        default=0.20, metadata={"doc": "fire at or above this rise over the last price (0.2 = 20%)"}
    )


@rule(
    code="PRC-05",
    version=1,
    params=PriceRiseParams,
    subject="award_line",
    severity="medium",
    title_en="Price rise over the buyer's last purchase",
    title_vi="Giá tăng so với lần mua trước của cùng đơn vị",
    peers=lambda p: Peers("buyer", 31 * p.months + 1),
)
def price_rise(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line priced `rise` or more above the buyer's previous price for the product.

    The previous purchase is the same buyer's latest line of the same product (product id)
    in the same standard unit decided before the line's day and within `months` before it;
    when there is none, the same registration number stands in for the product. Several
    lines on that day: the last loaded.
    Why: a price that jumps between two purchases of the same product by the same buyer
    needs a market reason; without one it is a sign of a captured supplier.
    Evidence: the previous price, its date, line and source row, how it was matched, the rise.
    Not applicable: no standardized price, unit or date, or no previous purchase in the window.
    """
    lines = data.awards
    outcome = RuleOutcome()
    judged = data.judged_lines()
    usable = priced_lines(lines, outcome, judged)
    registration = lines["registration_number"].fillna("").astype(str).str.strip().str.upper()
    outcome.not_applicable["no previous purchase"] = 0
    found: list[pd.DataFrame] = []
    for params, part, wanted in category_parts(lines, usable, ctx, judged):
        at, by = _previous_purchase(part.assign(registration_key=registration), params)
        known = at >= 0
        outcome.not_applicable["no previous purchase"] += int((wanted & ~known).sum())
        known &= wanted
        outcome.evaluated += int(known.sum())
        prices = part["standard_unit_price"].to_numpy()
        price, before = prices[known], prices[at[known]]
        hits = pd.DataFrame(
            {"previous": part.index[at[known]], "before": before, "by": by[known]},
            index=part.index[known],
        )
        hits["rise"], hits["months"] = price / before - 1, params.months
        found.append(hits[price >= (1 + params.rise) * before])
    for key, row, hit, last in fired_lines(lines, found, "previous"):
        outcome.findings.append(_finding(row, key, hit, last))
    return outcome


def _previous_purchase(
    part: pd.DataFrame, params: PriceRiseParams
) -> tuple[np.ndarray, np.ndarray]:
    """Return each line's previous purchase (iloc in part, -1: none) and how it was matched."""
    at = _latest_before(part, ["buyer_id", "product_id", "standard_unit"], params)
    numbered = np.flatnonzero(part["registration_key"].ne("").to_numpy())
    again = _latest_before(
        part.iloc[numbered], ["buyer_id", "registration_key", "standard_unit"], params
    )
    fallback = np.full(len(part), -1)
    fallback[numbered] = np.where(again >= 0, numbered[again], -1)
    use = (at < 0) & (fallback >= 0)
    by = np.where(use, "registration_number", np.where(at >= 0, "product", ""))
    return np.where(use, fallback, at), by


def _latest_before(part: pd.DataFrame, columns: list[str], params: PriceRiseParams) -> np.ndarray:
    """Return each line's latest line of its group before its day, in the window (iloc or -1)."""
    if part.empty:
        return np.empty(0, dtype=np.int64)
    lines = SortedLines.build(part, columns)
    lo = lines.bound(lines.months_before(part, params.months, np.arange(len(part))), "left")
    hi = lines.bound(lines.days, "left")  # the line's own day is not "previous"
    latest = np.full(len(part), -1)
    latest[lines.order] = np.where(hi > lo, lines.order[np.maximum(hi - 1, 0)], -1)
    return latest


def _finding(row: dict[str, Any], key: str, hit: dict[str, Any], last: dict[str, Any]) -> Finding:
    price, before, rise = float(row["standard_unit_price"]), float(hit["before"]), hit["rise"]
    when = last["decision_date"].strftime("%d/%m/%Y")
    evidence = {
        "standard_unit_price": price,
        "standard_unit": row["standard_unit"],
        "previous_price": before,
        "previous_date": last["decision_date"],
        "previous_line_id": last["line_id"],
        "previous_source_file": last["source_file"],
        "previous_source_sheet": last["source_sheet"],
        "previous_source_row": last["source_row"],
        "matched_by": hit["by"],
        "rise": rise,
        "months": hit["months"],
    }
    return line_finding(
        row,
        key,
        observed=price,
        benchmark=before,
        test="price >= (1 + rise) x previous price",
        evidence=evidence,
        message_en=(
            f"{row['buyer']} paid {vnd(price)} per {row['standard_unit']}, {rise:.1%} more than "
            f"the {vnd(before)} it paid on {when}."
        ),
        message_vi=(
            f"{row['buyer']} mua với đơn giá quy đổi {vnd(price)}/{row['standard_unit']}, tăng "
            f"{percent(rise)} so với giá {vnd(before)} đã mua ngày {when}."
        ),
    )
