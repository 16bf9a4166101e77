"""CMP-04: a large share of a buyer's yearly award value bought without competition."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from procurement.procedures import NON_COMPETITIVE
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
class NonCompetitiveShareParams:
    """Parameters of CMP-04."""

    share: float = field(
        default=0.3,
        metadata={
            "doc": "fire at or above this share of value by direct appointment or direct "
            "procurement"
        },
    )
    min_lines: int = field(
        default=10,
        metadata={
            "doc": "buyer-years with fewer lines stating a procedure are skipped: one direct "
            "appointment line alone is 100% of a year the files barely show, and a share of "
            "a handful of lines says little about a buyer's habits (CMP-03 uses the same floor)"
        },
    )
    min_value: float = field(
        default=0.0,
        metadata={
            "doc": "buyer-years with less value stating a procedure are skipped; in the "
            "buyer-year's own currency, so the default sets no floor (a VND amount would "
            "exclude every buyer-year stated in USD or EUR) and min_lines guards size instead"
        },
    )


@rule(
    code="CMP-04",
    version=2,
    params=NonCompetitiveShareParams,
    subject="buyer_year",
    severity="medium",
    title_en="High share bought without competition",
    title_vi="Tỷ trọng lớn mua sắm không qua cạnh tranh",
)
def non_competitive_share(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a buyer-year with `share` or more of its value awarded without competition.

    Without competition means by direct appointment or direct procurement; price negotiation
    and centralized purchasing are not counted. Only lines that state a procedure count; the
    rest is shown as unknown-procedure value. Small buyer-years are left out, by `min_lines`
    and by `min_value`: a single direct-appointment line in an otherwise unseen year would fire
    at 100%.
    Why: the Law on Bidding makes open bidding the rule and direct appointment or direct
    procurement the exception; a buyer that uses the exceptions for much of its spending
    avoids competition.
    Evidence: the value by procedure, the direct value, the stated value and lines, the share
    and the unknown-procedure value and lines.
    Not applicable: lines without a decision date; buyer-years in which no line states a
    procedure, with fewer than `min_lines` lines stating one, whose stated lines have no value
    or less than `min_value`, or that mix currencies.
    """
    params: NonCompetitiveShareParams = ctx.params
    outcome = RuleOutcome()
    lines = dated_lines(data.awards, outcome)
    stated = lines[lines["procedure"].notna()]
    years = _buyer_years(lines, stated)
    checked = screen(
        outcome,
        years,
        ("no procedure stated", years["lines"] == 0),
        ("too few lines", years["lines"] < params.min_lines),
        ("no value with a stated procedure", years["value"] <= 0),
        ("value below minimum", years["value"] < params.min_value),
        ("mixed currencies", years["currencies"] > 1),
    )
    share = checked["direct"] / checked["value"]
    fired = checked[share >= params.share - EPS]
    by_procedure = stated.groupby([*KEYS, "procedure"])["value"].sum()
    buyers = first_text(lines, "buyer_id", "buyer")
    for (buyer_id, year), totals in fired.iterrows():
        evidence = {
            "buyer": buyers[buyer_id],
            "year": int(year),
            "value_by_procedure": {
                k: float(v) for k, v in by_procedure.loc[(buyer_id, year)].items()
            },
            "non_competitive_value": float(totals["direct"]),
            "stated_value": float(totals["value"]),
            "stated_lines": int(totals["lines"]),
            "share": float(totals["direct"] / totals["value"]),
            "unknown_procedure_value": float(totals["unknown"]),
            "unknown_procedure_lines": int(totals["unknown_lines"]),
            "currency": totals["currency"],
        }
        outcome.findings.append(_finding(int(buyer_id), int(year), evidence, params.share))
    return outcome


def _buyer_years(lines: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """Return per buyer-year: stated lines and value, direct value, unknown value, currencies."""
    grouped = stated.groupby(KEYS)
    direct = stated[stated["procedure"].isin(NON_COMPETITIVE)].groupby(KEYS)["value"].sum()
    unknown = lines[lines["procedure"].isna()].groupby(KEYS)["value"]
    table = pd.DataFrame(
        {
            "lines": grouped.size(),
            "value": grouped["value"].sum(),
            "direct": direct,
            "unknown": unknown.sum(),
            "unknown_lines": unknown.size(),
            "currencies": grouped["currency"].nunique(),
            "currency": grouped["currency"].first(),
        }
    ).reindex(lines.groupby(KEYS).size().index)
    numbers = ["lines", "value", "direct", "unknown", "unknown_lines", "currencies"]
    table[numbers] = table[numbers].fillna(0)
    return table


def _finding(buyer_id: int, year: int, evidence: dict[str, Any], threshold: float) -> Finding:
    share, currency = evidence["share"], evidence["currency"]
    direct = money(evidence["non_competitive_value"], currency)
    total = money(evidence["stated_value"], currency)
    return Finding(
        subject_type="buyer_year",
        subject_key=subject_key(buyer_id, year),
        observed=float(share),
        benchmark=float(threshold),
        test="direct appointment and direct procurement share >= share",
        evidence=evidence,
        message_en=(
            f"{share:.1%} of {evidence['buyer']}'s {year} award value went by direct appointment "
            f"or direct procurement ({direct} of {total} with a stated procedure)."
        ),
        message_vi=(
            f"Năm {year}, {percent(share)} giá trị trúng thầu của {evidence['buyer']} theo hình "
            f"thức chỉ định thầu hoặc mua sắm trực tiếp ({direct} trên tổng {total} có hình thức "
            "lựa chọn nhà thầu)."
        ),
        buyer_id=buyer_id,
        year=year,
    )
