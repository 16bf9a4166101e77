"""PRC-04: a standardized unit price above the reference price in force for the item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, vnd
from rules.price.shared import category_parts, fired_lines, priced_lines

REFERENCE_COLUMNS = [
    "identity_key",
    "standard_unit",
    "standard_unit_price",
    "price",
    "price_source",
    "valid_from",
    "valid_to",
    "registration_number",
]


@dataclass(frozen=True)
class AboveReferenceParams:
    """Parameters of PRC-04."""

    ratio: float = field(
        default=1.0, metadata={"doc": "fire above this multiple of the lowest reference price"}
    )


@rule(
    code="PRC-04",
    version=1,
    params=AboveReferenceParams,
    subject="award_line",
    severity="high",
    title_en="Above the reference price",
    title_vi="Giá cao hơn giá tham chiếu",
)
def above_reference(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line whose standardized unit price exceeds `ratio` x the reference price.

    A reference applies to a line of the same identity and standard unit when the line's
    decision date lies in its validity (valid_from <= date <= valid_to, either end open);
    when several apply the lowest is the benchmark. References without a standardized price
    are not used.
    Why: a negotiated, centralized or international reference price is what the item is
    known to cost; paying more needs a reason the file does not give.
    Evidence: the reference price, its source, validity and registration number, the
    number of references in force, and the ratio.
    Not applicable: no standardized price, unit or date; no reference for the identity, none
    in the line's unit, or none valid at the decision date.
    """
    lines = data.awards
    outcome = RuleOutcome()
    judged = data.judged_lines()
    usable = priced_lines(lines, outcome, judged)
    matches = _references_in_force(lines[usable], data.reference_prices)
    reasons = {
        "no reference for the identity": ~lines["identity_key"].isin(matches["identity_known"]),
        "no reference in the same unit": ~lines.index.isin(matches["same_unit"]),
        "no reference valid at the decision date": ~lines.index.isin(matches["valid"].index),
    }
    remaining = usable & judged
    for reason, missing in reasons.items():
        outcome.not_applicable[reason] = int((remaining & missing).sum())
        remaining &= ~missing
    found: list[pd.DataFrame] = []
    for params, part, _ in category_parts(lines, remaining, ctx, judged):
        best = matches["valid"].loc[part.index]
        outcome.evaluated += len(part)
        found.append(best[part["standard_unit_price"] > params.ratio * best["reference"]])
    for key, row, ref in fired_lines(lines, found):
        outcome.findings.append(_finding(row, key, ref))
    return outcome


def _references_in_force(lines: pd.DataFrame, references: pd.DataFrame) -> dict[str, Any]:
    """Return the known identities, the lines with a same-unit reference and the lowest valid."""
    refs = references.reindex(columns=REFERENCE_COLUMNS).rename(
        columns={"standard_unit_price": "reference"}
    )
    refs["reference"] = pd.to_numeric(refs["reference"], errors="coerce")  # all NULL: object
    refs = refs[refs["reference"].gt(0)]
    for end in ("valid_from", "valid_to"):
        refs[end] = pd.to_datetime(refs[end])
    pairs = (
        lines[["identity_key", "standard_unit", "decision_date"]]
        .reset_index(names="line")
        .merge(refs, on=["identity_key", "standard_unit"])
    )
    date = pairs["decision_date"]
    valid = pairs[
        (pairs["valid_from"].isna() | (pairs["valid_from"] <= date))
        & (pairs["valid_to"].isna() | (date <= pairs["valid_to"]))
    ]
    lowest = valid.sort_values(["line", "reference"], kind="stable").drop_duplicates("line")
    lowest = lowest.set_index("line").assign(in_force=valid.groupby("line").size())
    return {
        "identity_known": refs["identity_key"].unique(),
        "same_unit": pairs["line"].unique(),
        "valid": lowest,
    }


def _finding(row: dict[str, Any], key: str, ref: dict[str, Any]) -> Finding:
    price, reference = float(row["standard_unit_price"]), float(ref["reference"])
    ratio, unit = price / reference, row["standard_unit"]
    times = f"{ratio:.2f}".replace(".", ",")
    named = pd.notna(ref["price_source"])
    source = ref["price_source"] if named else "reference price"
    evidence = {
        "standard_unit_price": price,
        "standard_unit": unit,
        "reference_price": reference,
        "reference_listed_price": ref["price"],
        "price_source": ref["price_source"],
        "valid_from": ref["valid_from"],
        "valid_to": ref["valid_to"],
        "reference_registration_number": ref["registration_number"],
        "references_in_force": int(ref["in_force"]),
        "ratio": ratio,
    }
    return line_finding(
        row,
        key,
        observed=price,
        benchmark=reference,
        test="price > ratio x reference price",
        evidence=evidence,
        message_en=(
            f"Paid {vnd(price)} per {unit}, {ratio:.2f}x the {source} of {vnd(reference)} in "
            "force at the decision date."
        ),
        message_vi=(
            f"Đơn giá quy đổi {vnd(price)}/{unit} gấp {times} lần giá tham chiếu "
            f"{vnd(reference)}{f' ({source})' if named else ''} còn hiệu lực tại ngày quyết định."
        ),
    )
