"""PRC-03: the same registered product bought far dearer than another buyer paid for it."""

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
from rules.engine.windows import SortedLines, State, range_query
from rules.price.shared import category_parts, fired_lines, priced_lines


@dataclass(frozen=True)
class DivergentPriceParams:
    """Parameters of PRC-03."""

    window_days: int = field(
        default=365, metadata={"doc": "other buyers' lines of these days before, up to the day"}
    )
    ratio: float = field(
        default=1.3, metadata={"doc": "fire at or above this multiple of the lowest such price"}
    )


@rule(
    code="PRC-03",
    version=1,
    params=DivergentPriceParams,
    subject="award_line",
    severity="medium",
    title_en="Same product, divergent prices",
    title_vi="Cùng một thuốc, giá chênh lệch lớn giữa các đơn vị",
    peers=lambda p: Peers("registration", p.window_days),
)
def divergent_prices(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line priced at `ratio` x or more the lowest price another buyer paid for it.

    The same product is the same registration number (trimmed, upper case) in the same
    standard unit; the other buyers' lines count from `window_days` before the line up to its
    own day. The same buyer's own lines never set the benchmark.
    Why: one registered product from one manufacturer has no quality reason to cost a third
    more at one hospital than at another in the same year; the gap is money overpaid.
    Evidence: the lowest other-buyer price, that buyer, its date and source, and the ratio.
    Not applicable: no standardized price, unit, date or registration number, or no other
    buyer bought the product in the window.
    """
    lines = data.awards
    outcome = RuleOutcome()
    judged = data.judged_lines()
    usable = priced_lines(lines, outcome, judged)
    registration = lines["registration_number"].fillna("").astype(str).str.strip().str.upper()
    unnumbered = judged & usable & registration.eq("")
    outcome.not_applicable["no registration number"] = int(unnumbered.sum())
    outcome.not_applicable["no other buyer in the window"] = 0
    found: list[pd.DataFrame] = []
    numbered = usable & registration.ne("")
    for params, part, wanted in category_parts(lines, numbered, ctx, judged):
        keyed = part.assign(registration_key=registration)
        lowest = _lowest_other_buyer(keyed, params, wanted)
        compared = lowest["compared"]
        outcome.not_applicable["no other buyer in the window"] += int((~compared).sum())
        outcome.evaluated += int(compared.sum())
        price = part["standard_unit_price"].loc[lowest.index]
        lowest["ratio"] = price / lowest["price"]
        lowest["window_days"] = params.window_days
        found.append(lowest[compared & price.ge(params.ratio * lowest["price"])])
    for key, row, hit, low in fired_lines(lines, found, "at"):
        outcome.findings.append(_finding(row, key, hit, low))
    return outcome


def _lowest_other_buyer(
    part: pd.DataFrame, params: DivergentPriceParams, wanted: np.ndarray
) -> pd.DataFrame:
    """Return, per judged line, the label and price of the cheapest other buyer's line in its
    window."""
    lines = SortedLines.build(part, ["registration_key", "standard_unit"])
    at = lines.judged(wanted)
    lo = lines.bound(lines.days[at] - params.window_days, "left", at)
    hi = lines.bound(lines.days[at], "right", at)
    prices = np.append(part["standard_unit_price"].to_numpy(np.float64)[lines.order], np.inf)
    buyers = np.append(part["buyer_id"].to_numpy(np.int64)[lines.order], -1)

    def merge(a: State, b: State) -> State:
        """Keep the cheapest line and the cheapest line of any other buyer (index n: none)."""
        first = prices[a[0]] <= prices[b[0]]
        other_a = np.where(buyers[a[0]] != buyers[b[0]], a[0], a[1])
        other_b = np.where(buyers[b[0]] != buyers[a[0]], b[0], b[1])
        x, y = np.where(first, a[1], b[1]), np.where(first, other_b, other_a)
        return np.where(first, a[0], b[0]), np.where(prices[x] <= prices[y], x, y)

    n = len(lines.order)
    best, other = range_query((np.arange(n), np.full(n, n)), merge, lo, hi)
    pick = np.where(buyers[best] != buyers[at], best, other)
    found = part.index.to_numpy()[lines.order[np.minimum(pick, n - 1)]]  # valid where compared
    return pd.DataFrame(
        {"at": found, "price": prices[pick], "compared": pick < n},
        index=part.index[lines.order[at]],
    )


def _finding(row: dict[str, Any], key: str, hit: dict[str, Any], low: dict[str, Any]) -> Finding:
    price, lowest, ratio = float(row["standard_unit_price"]), float(hit["price"]), hit["ratio"]
    when, times = low["decision_date"].strftime("%d/%m/%Y"), f"{ratio:.2f}".replace(".", ",")
    return line_finding(
        row,
        key,
        observed=price,
        benchmark=lowest,
        test="price >= ratio x lowest other-buyer price",
        evidence={
            "standard_unit_price": price,
            "standard_unit": row["standard_unit"],
            "lowest_price": lowest,
            "lowest_buyer": low["buyer"],
            "lowest_buyer_id": low["buyer_id"],
            "lowest_line_id": low["line_id"],
            "lowest_date": low["decision_date"],
            "lowest_source_file": low["source_file"],
            "lowest_source_row": low["source_row"],
            "ratio": ratio,
            "window_days": hit["window_days"],
        },
        message_en=(
            f"Paid {vnd(price)} per {row['standard_unit']} for {row['registration_number']}, "
            f"{ratio:.2f}x the {vnd(lowest)} that {low['buyer']} paid on {when}."
        ),
        message_vi=(
            f"Mua {row['registration_number']} với đơn giá quy đổi {vnd(price)}/"
            f"{row['standard_unit']}, gấp {times} lần giá {vnd(lowest)} mà {low['buyer']} đã "
            f"mua ngày {when}."
        ),
    )
