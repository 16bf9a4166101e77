"""Buyer-year subjects, shared by CMP-03 and CMP-04: which lines count, their value, the key."""

from __future__ import annotations

import pandas as pd

from rules.engine.result import RuleOutcome
from rules.engine.subjects import vnd

KEYS = ["buyer_id", "year"]
# A share exactly at a threshold must fire whatever the float rounding of the division.
EPS = 1e-9


def dated_lines(lines: pd.DataFrame, outcome: RuleOutcome) -> pd.DataFrame:
    """Return the lines that have a year, with their value; count undated lines as skipped."""
    dated = lines[lines["year"].notna()]
    skip(outcome, "lines without a decision date", len(lines) - len(dated))
    # The importer stores amount = price x quantity when the file has none; keep that fallback.
    return dated.assign(value=dated["amount"].fillna(dated["quantity"] * dated["unit_price"]))


def skip(outcome: RuleOutcome, reason: str, count: int) -> None:
    """Count subjects that could not be checked, leaving zero counts out of the report."""
    if count:
        outcome.not_applicable[reason] += int(count)


def screen(
    outcome: RuleOutcome, years: pd.DataFrame, *reasons: tuple[str, pd.Series]
) -> pd.DataFrame:
    """Return the buyer-years no reason excludes; count the others under their first reason."""
    left = pd.Series(True, index=years.index)
    for reason, mask in reasons:
        hit = left & mask
        skip(outcome, reason, hit.sum())
        left &= ~hit
    outcome.evaluated = int(left.sum())
    return years[left]


def subject_key(buyer_id: int, year: int) -> str:
    """Return the stable key of a buyer-year."""
    return f"buyer_year:{int(buyer_id)}:{int(year)}"


def money(value: float, currency: str) -> str:
    """Format money with vnd() when it is in đồng, else with its currency code."""
    return vnd(value) if currency == "VND" else f"{value:,.0f} {currency}"


def first_text(lines: pd.DataFrame, key: str, column: str) -> pd.Series:
    """Map each id to the first name the lines give it (buyer or supplier names)."""
    return lines.drop_duplicates(key).set_index(key)[column]
