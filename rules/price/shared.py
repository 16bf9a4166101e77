"""Pieces the price rules share: which lines can be priced, per-category parameters, references."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from rules.engine.result import RuleOutcome
from rules.engine.runner import RuleContext


def priced_lines(lines: pd.DataFrame, outcome: RuleOutcome) -> pd.Series:
    """Return which lines have a standardized price, unit and date; count the others apart."""
    priced = lines["standard_unit_price"].gt(0)
    united = priced & lines["standard_unit"].notna()
    usable = united & lines["decision_date"].notna()
    outcome.not_applicable["no standardized price"] = int((~priced).sum())
    outcome.not_applicable["no standard unit"] = int((priced & ~united).sum())
    outcome.not_applicable["no decision date"] = int((united & ~usable).sum())
    return usable


def category_parts(
    lines: pd.DataFrame, mask: pd.Series, ctx: RuleContext
) -> Iterator[tuple[Any, pd.DataFrame]]:
    """Yield each product category's parameters (vaccine, medicine) and its masked lines."""
    chosen = lines[mask]
    for category in chosen["category"].unique():
        yield ctx.params_for(category), chosen[chosen["category"] == category]


def line_refs(row: pd.Series | dict[str, Any]) -> dict[str, Any]:
    """Return the line, buyer and year every line finding carries."""
    return {
        "line_id": int(row["line_id"]),
        "buyer_id": int(row["buyer_id"]),
        "year": None if pd.isna(row["year"]) else int(row["year"]),
    }


def records(frame: pd.DataFrame, index: pd.Index) -> list[dict[str, Any]]:
    """Return the rows at `index` as dicts, each with its index label as "index"."""
    return frame.loc[index].reset_index(names="index").to_dict("records")
