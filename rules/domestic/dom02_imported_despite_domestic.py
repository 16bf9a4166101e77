"""DOM-02: an imported product bought where a cheaper domestic one of the same identity was."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import Peers, rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import LINE_COLUMNS, line_finding, line_keys, percent, vnd
from rules.engine.windows import SortedLines, extreme_index, range_query

# A domestic award is an alternative to an import of the same identity, priced in the same
# standard unit and currency.
GROUP = ["identity_key", "standard_unit", "currency"]

SHOWN = (*LINE_COLUMNS, "quantity", "standard_unit", "standard_unit_price")
ALTERNATIVE = ("line_id", "product_name", "registration_number", "buyer", "decision_date",
               "standard_unit_price")  # fmt: skip


@dataclass(frozen=True)
class ImportedDespiteDomesticParams:
    """Parameters of DOM-02."""

    window_days: int = field(
        default=365,
        metadata={
            "doc": "days before the decision (the decision day included) in which a "
            "domestic award counts as an available alternative"
        },
    )


@rule(
    code="DOM-02",
    version=1,
    params=ImportedDespiteDomesticParams,
    subject="award_line",
    severity="medium",
    title_en="Imported despite a cheaper domestic alternative",
    title_vi="Mua thuốc nhập khẩu dù có thuốc trong nước rẻ hơn",
    peers=lambda p: Peers("identity", p.window_days),
)
def imported_despite_domestic(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag an imported line when a domestic product of the same identity cost less per unit.

    Why: a domestic product of the same active ingredient, strength and dosage form, awarded
    (to any buyer) within window_days before or on the decision date at a lower price per
    standard unit, shows a domestic alternative existed and was cheaper; buying the import
    spends more and works against Decision 1165's domestic targets.
    Evidence: the cheapest such domestic award (price per standard unit, product,
    registration number, buyer, date), the price difference, the excess as a share of the
    domestic price and the extra cost over the line's quantity.
    Not applicable: not an imported product (domestic, or origin unknown), no decision date,
    or no price per standard unit.
    """
    params: ImportedDespiteDomesticParams = ctx.params
    lines = data.awards
    outcome = RuleOutcome()
    origin = lines["origin"]
    judged = data.judged_lines()
    priced = lines["standard_unit_price"].gt(0) & lines["standard_unit"].notna()
    dated = lines["decision_date"].notna()
    imported = origin.eq("imported")
    mine = imported & judged
    outcome.not_applicable["domestic product"] = int((judged & origin.eq("domestic")).sum())
    unknown = judged & ~origin.isin(["domestic", "imported"])
    outcome.not_applicable["origin unknown"] = int(unknown.sum())
    outcome.not_applicable["no decision date"] = int((mine & ~dated).sum())
    outcome.not_applicable["no price per standard unit"] = int((mine & dated & ~priced).sum())
    checked = lines[mine & dated & priced]
    outcome.evaluated = len(checked)
    domestic = lines[origin.eq("domestic") & dated & priced]
    position = cheapest_before(checked, domestic, params.window_days)
    prices = domestic["standard_unit_price"].to_numpy(float)
    cheaper = np.full(len(checked), np.inf)
    cheaper[position >= 0] = prices[position[position >= 0]]
    fires = cheaper < checked["standard_unit_price"].to_numpy(float)
    fired = checked.loc[fires, list(SHOWN)]
    alternatives = domestic.iloc[position[fires]].loc[:, list(ALTERNATIVE)]
    fired = fired.join(alternatives.add_prefix("domestic_").set_axis(fired.index))
    keys = line_keys(lines, fired.index)
    for key, row in zip(keys, fired.to_dict("records"), strict=True):
        outcome.findings.append(_finding(row, key))
    return outcome


def cheapest_before(lines: pd.DataFrame, pool: pd.DataFrame, days: int) -> np.ndarray:
    """Return each line's position in `pool` of its cheapest peer in the window, or -1.

    Peers share the line's GROUP and are dated from `days` before its decision date to that
    date, both ends included; among equal prices the earliest wins, then the first in `pool`.
    The lines join the pool at an infinite price, so they sort into their peers' groups and
    never win a window.
    """
    columns = [*GROUP, "decision_date"]
    both = pd.concat([pool[columns], lines[columns]], ignore_index=True)
    prices = np.concatenate(
        [pool["standard_unit_price"].to_numpy(float), np.full(len(lines), np.inf)]
    )
    ordered = SortedLines.build(both, GROUP)
    at = ordered.judged(np.arange(len(both)) >= len(pool))
    lo = ordered.bound(ordered.days[at] - days, "left", at)
    hi = ordered.bound(ordered.days[at], "right", at)
    prices = prices[ordered.order]
    some = hi > lo  # a line is in its own window unless window_days is negative
    best = np.zeros(len(at), dtype=np.int64)
    (best[some],) = range_query(
        (np.arange(len(both)),), extreme_index(prices, lowest=True), lo[some], hi[some]
    )
    found = some & np.isfinite(prices[best])
    result = np.full(len(lines), -1, dtype=np.int64)
    result[ordered.order[at] - len(pool)] = np.where(found, ordered.order[best], -1)
    return result


def _finding(row: dict[str, Any], key: str) -> Finding:
    price, cheaper = float(row["standard_unit_price"]), float(row["domestic_standard_unit_price"])
    difference = price - cheaper
    units = float(row["quantity"]) * float(row["unit_price"]) / price
    unit, product, buyer = row["standard_unit"], row["domestic_product_name"], row["domestic_buyer"]
    day = row["domestic_decision_date"]
    evidence = {
        "standard_unit": unit, "standard_unit_price": price, "domestic_price": cheaper,
        "domestic_product": product,
        "domestic_registration_number": row["domestic_registration_number"],
        "domestic_buyer": buyer, "domestic_decision_date": day,
        "domestic_line_id": int(row["domestic_line_id"]), "price_difference": difference,
        "excess_share": difference / cheaper, "extra_cost": difference * units,
    }  # fmt: skip
    return line_finding(
        row,
        key,
        observed=price,
        benchmark=cheaper,
        test="imported price > cheapest domestic",
        evidence=evidence,
        message_en=(
            f"Imported {row['product_name']} bought at {vnd(price)} per {unit}, "
            f"{difference / cheaper:.1%} above domestic {product} at {vnd(cheaper)} "
            f"({buyer}, {day:%d/%m/%Y})."
        ),
        message_vi=(
            f"Mua thuốc nhập khẩu {row['product_name']} giá {vnd(price)}/{unit}, cao hơn "
            f"{percent(difference / cheaper)} so với thuốc trong nước {product} giá "
            f"{vnd(cheaper)} ({buyer}, {day:%d/%m/%Y})."
        ),
    )
