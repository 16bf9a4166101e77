"""DOM-03: an imported product bought for an item of the domestic-only list in force."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from procurement.groups import group_codes
from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, line_keys

DOMESTIC_ONLY = "domestic-only"
ITEM_TEXT = ("active_ingredients", "strength_text", "dosage_form_text")


@dataclass(frozen=True)
class DomesticOnlyParams:
    """Parameters of DOM-03 (none: the list itself is the parameter)."""


@rule(
    code="DOM-03",
    version=1,
    params=DomesticOnlyParams,
    subject="award_line",
    severity="high",
    title_en="Domestic-only list breached",
    title_vi="Mua thuốc nhập khẩu thuộc danh mục chỉ chấp nhận thuốc trong nước",
)
def domestic_only_list(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag an imported line whose identity is an item of the domestic-only list in force.

    Why: for items of the Ministry of Health's list (Circular 03/2024/TT-BYT) only bids of
    domestic manufacturers may be accepted (Law on Bidding art. 56), so an imported award for
    one is a breach. The list in force at a decision is its latest version (all lists of type
    domestic-only sharing the latest effective date on or before the decision date); a later
    version neither adds nor removes items earlier. Matching: the line's identity_key
    (ingredients, strength, dosage form) equals the item's; when the item names a technical
    group the line's group must include it, read as N-groups ("G1N4" is package 1, group N4;
    "Nhóm 4" is N4).
    Evidence: the list item (ingredient, strength, form, group), its effective date.
    Not applicable: not an imported product, no decision date, no list in force on that date,
    or an item with a group matched by a line stating none.
    """
    lines, items = data.awards, _items(data.reference_items)
    outcome = RuleOutcome()
    origin = lines["origin"]
    imported, dated = origin.eq("imported"), lines["decision_date"].notna()
    in_force = list_in_force(lines["decision_date"], items["item_effective_date"])
    outcome.not_applicable["domestic product"] = int(origin.eq("domestic").sum())
    outcome.not_applicable["origin unknown"] = int((~origin.isin(["domestic", "imported"])).sum())
    outcome.not_applicable["no decision date"] = int((imported & ~dated).sum())
    outcome.not_applicable["no list in force"] = int((imported & dated & in_force.isna()).sum())
    checked = lines[imported & in_force.notna()]
    matched = checked.assign(line_index=checked.index, list_date=in_force).merge(
        items,
        left_on=["identity_key", "list_date"],
        right_on=["item_identity_key", "item_effective_date"],
    )
    need = matched["item_drug_group"].map(group_codes)
    have = matched["drug_group"].map(group_codes)
    fits = np.array([n <= h for n, h in zip(need, have, strict=True)], dtype=bool)
    blind = np.array([bool(n) and not h for n, h in zip(need, have, strict=True)], dtype=bool)
    hits = matched[fits].drop_duplicates("line_index").set_index("line_index")
    undecided = set(matched.loc[blind, "line_index"]) - set(hits.index)
    outcome.not_applicable["no drug group on the line"] = len(undecided)
    outcome.evaluated = len(checked) - len(undecided)
    keys = line_keys(lines, hits.index)
    for key, row in zip(keys, hits.to_dict("records"), strict=True):
        outcome.findings.append(_finding(row, key))
    return outcome


def list_in_force(dates: pd.Series, versions: pd.Series) -> pd.Series:
    """Return the effective date of the list version in force on each date (NaT: none)."""
    stamps = dates.to_numpy("datetime64[ns]")
    known = np.unique(versions.dropna().to_numpy("datetime64[ns]"))
    result = np.full(len(stamps), np.datetime64("NaT"), dtype="datetime64[ns]")
    at = np.searchsorted(known, stamps, side="right") - 1
    found = (at >= 0) & ~np.isnat(stamps)
    result[found] = known[at[found]]
    return pd.Series(result, index=dates.index)


def _items(items: pd.DataFrame) -> pd.DataFrame:
    """Return the domestic-only list items, columns prefixed item_, dates as datetime64."""
    if items.empty or "list_type" not in items:
        items = pd.DataFrame(columns=["identity_key", "effective_date", "drug_group"])
    else:
        items = items[items["list_type"].eq(DOMESTIC_ONLY)]
    dates = pd.to_datetime(items["effective_date"]).astype("datetime64[ns]")
    return items.assign(effective_date=dates).add_prefix("item_")


def _finding(row: dict[str, Any], key: str) -> Finding:
    group = row["item_drug_group"] if isinstance(row["item_drug_group"], str) else None
    parts = [row.get(f"item_{c}") for c in ITEM_TEXT]
    item = " ".join(p for p in parts if isinstance(p, str)) or row["identity_key"]
    label = f"{item} ({group})" if group else item
    since = row["item_effective_date"]
    evidence = {
        "origin": row["origin"], "country": row["country"], "drug_group": row["drug_group"],
        "identity_key": row["identity_key"], "list_item": label, "list_item_group": group,
        "list_id": row.get("item_list_id"), "list_item_row": row.get("item_source_row"),
        "list_effective_date": since, "legal_basis": row.get("item_legal_basis"),
    }  # fmt: skip
    return line_finding(
        row,
        key,
        observed=None,
        benchmark=None,
        test="imported item of the domestic-only list",
        evidence=evidence,
        message_en=(
            f"Imported {row['product_name']} ({row['country']}) was bought for {label}, an item "
            f"of the domestic-only list in force since {since:%d/%m/%Y}."
        ),
        message_vi=(
            f"Mua thuốc nhập khẩu {row['product_name']} ({row['country']}) cho mặt hàng {label} "
            f"thuộc danh mục chỉ chấp nhận thuốc sản xuất trong nước, hiệu lực từ "
            f"{since:%d/%m/%Y}."
        ),
    )
