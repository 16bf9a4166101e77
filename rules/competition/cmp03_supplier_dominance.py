"""CMP-03: one supplier holds most of a buyer's award value in a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rules.competition.buyer_year import (
    EPS,
    KEYS,
    dated_lines,
    first_text,
    money,
    screen,
    subject_key,
)
from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import percent


@dataclass(frozen=True)
class SupplierDominanceParams:
    """Parameters of CMP-03."""

    share: float = field(
        default=0.5,
        metadata={"doc": "fire when the top supplier's share of value is at least this"},
    )
    min_lines: int = field(
        default=10, metadata={"doc": "buyer-years with fewer lines naming a supplier are skipped"}
    )
    min_value: float = field(
        default=0.0, metadata={"doc": "buyer-years with less value naming a supplier are skipped"}
    )


@rule(
    code="CMP-03",
    version=1,
    params=SupplierDominanceParams,
    subject="buyer_year",
    severity="medium",
    title_en="One supplier dominates a buyer's purchases",
    title_vi="Một nhà thầu chiếm phần lớn giá trị mua sắm của đơn vị",
)
def supplier_dominance(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a buyer-year in which one supplier won `share` or more of the award value.

    Shares count only lines that name a supplier; the rest is shown as unattributed value. A
    buyer with a single supplier is the extreme case and fires; small buyer-years are left out
    instead, by `min_lines` and by `min_value`.
    Why: a buyer that sends most of its money to one supplier may be steering awards (the OCP
    red flag "high market share of one supplier").
    Evidence: the supplier, its value, the buyer's value, the share, the runner-up and its
    share, the number of suppliers and lines, and the unattributed value.
    Not applicable: lines without a decision date; buyer-years with fewer than `min_lines`
    lines naming a supplier, no value or less than `min_value`, or more than one currency.
    """
    params: SupplierDominanceParams = ctx.params
    outcome = RuleOutcome()
    lines = dated_lines(data.awards, outcome)
    named = lines[lines["supplier_id"].notna()]
    years = _buyer_years(lines, named)
    checked = screen(
        outcome,
        years,
        ("too few lines", years["lines"] < params.min_lines),
        ("no value with a named supplier", years["value"] <= 0),
        ("value below minimum", years["value"] < params.min_value),
        ("mixed currencies", years["currencies"] > 1),
    )
    ranked = _ranked_suppliers(named)
    top = ranked.drop_duplicates(KEYS).set_index(KEYS).reindex(checked.index)
    share = top["value"] / checked["value"]
    fired = checked[share >= params.share - EPS]
    runner_up = ranked[ranked.duplicated(KEYS)].drop_duplicates(KEYS).set_index(KEYS)
    buyers = first_text(lines, "buyer_id", "buyer")
    suppliers = first_text(named, "supplier_id", "supplier")
    for (buyer_id, year), totals in fired.iterrows():
        first = top.loc[(buyer_id, year)]
        second = runner_up.loc[(buyer_id, year)] if (buyer_id, year) in runner_up.index else None
        evidence = {
            "buyer": buyers[buyer_id],
            "year": int(year),
            "supplier": suppliers[first["supplier_id"]],
            "supplier_value": float(first["value"]),
            "buyer_value": float(totals["value"]),
            "share": float(first["value"] / totals["value"]),
            "runner_up": None if second is None else suppliers[second["supplier_id"]],
            "runner_up_share": 0.0 if second is None else float(second["value"] / totals["value"]),
            "supplier_count": int(totals["suppliers"]),
            "line_count": int(totals["lines"]),
            "unattributed_value": float(totals["unattributed"]),
            "currency": totals["currency"],
        }
        outcome.findings.append(_finding(int(buyer_id), int(year), evidence, params.share))
    return outcome


def _buyer_years(lines: pd.DataFrame, named: pd.DataFrame) -> pd.DataFrame:
    """Return per buyer-year: named lines, their value, suppliers, currencies, unattributed."""
    grouped = named.groupby(KEYS)
    table = pd.DataFrame(
        {
            "lines": grouped.size(),
            "value": grouped["value"].sum(),
            "suppliers": grouped["supplier_id"].nunique(),
            "currencies": grouped["currency"].nunique(),
            "currency": grouped["currency"].first(),
            "unattributed": lines[lines["supplier_id"].isna()].groupby(KEYS)["value"].sum(),
        }
    ).reindex(lines.groupby(KEYS).size().index)
    numbers = ["lines", "value", "suppliers", "currencies", "unattributed"]
    table[numbers] = table[numbers].fillna(0)
    return table


def _ranked_suppliers(named: pd.DataFrame) -> pd.DataFrame:
    """Return each buyer-year's suppliers by value, largest first (ties by supplier id)."""
    values = named.groupby([*KEYS, "supplier_id"])["value"].sum().reset_index()
    return values.sort_values([*KEYS, "value", "supplier_id"], ascending=[True, True, False, True])


def _finding(buyer_id: int, year: int, evidence: dict[str, Any], threshold: float) -> Finding:
    share, currency = evidence["share"], evidence["currency"]
    value = money(evidence["supplier_value"], currency)
    total = money(evidence["buyer_value"], currency)
    count = evidence["supplier_count"]
    return Finding(
        subject_type="buyer_year",
        subject_key=subject_key(buyer_id, year),
        observed=float(share),
        benchmark=float(threshold),
        test="largest supplier share >= share",
        evidence=evidence,
        message_en=(
            f"{evidence['supplier']} won {share:.1%} of {evidence['buyer']}'s award value in "
            f"{year} ({value} of {total}, {count} supplier{'s' if count != 1 else ''})."
        ),
        message_vi=(
            f"Năm {year}, {evidence['supplier']} chiếm {percent(share)} giá trị trúng thầu của "
            f"{evidence['buyer']} ({value} trên tổng {total}, {count} nhà thầu)."
        ),
        buyer_id=buyer_id,
        year=year,
    )
