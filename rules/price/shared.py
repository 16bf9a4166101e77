"""Pieces the price rules share: which lines can be priced, per-category parameters, references."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.result import RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_keys

RELATED = [
    "line_id",
    "buyer_id",
    "buyer",
    "decision_date",
    "source_file",
    "source_sheet",
    "source_row",
]


def priced_lines(lines: pd.DataFrame, outcome: RuleOutcome, judged: pd.Series) -> pd.Series:
    """Return which lines have a standardized price, unit and date; count the judged others."""
    priced = lines["standard_unit_price"].gt(0)
    united = priced & lines["standard_unit"].notna()
    usable = united & lines["decision_date"].notna()
    outcome.not_applicable["no standardized price"] = int((judged & ~priced).sum())
    outcome.not_applicable["no standard unit"] = int((judged & priced & ~united).sum())
    outcome.not_applicable["no decision date"] = int((judged & united & ~usable).sum())
    return usable


def category_parts(
    lines: pd.DataFrame, mask: pd.Series, ctx: RuleContext, judged: pd.Series
) -> Iterator[tuple[Any, pd.DataFrame, np.ndarray]]:
    """Yield each product category's parameters (vaccine, medicine), its masked lines, and
    which of them the run judges (the others are peers only)."""
    chosen = lines if mask.all() else lines[mask]
    categories = chosen["category"].unique().tolist()
    params = {category: ctx.params_for(category) for category in categories}
    if len(set(map(id, params.values()))) <= 1:  # one set of parameters: no need to split
        if categories:
            yield params[categories[0]], chosen, judged.loc[chosen.index].to_numpy(bool)
        return
    for category in categories:
        part = chosen[chosen["category"] == category]
        yield params[category], part, judged.loc[part.index].to_numpy(bool)


def fired_lines(
    lines: pd.DataFrame, found: list[pd.DataFrame], *related: str
) -> Iterator[tuple[Any, ...]]:
    """Yield (key, line, hit, *related lines) for the hits found, as dicts, in a few batches.

    `found` holds the rule's hit frames indexed like `lines`; each `related` column of them
    names another line (the cheapest, the previous, ...) whose RELATED columns are wanted.
    """
    hits = [frame for frame in found if len(frame)]
    if not hits:
        return iter(())
    fired = pd.concat(hits)
    keys = line_keys(lines, fired.index).tolist()
    brief = lines[RELATED]
    others = [records(brief, pd.Index(fired[column])) for column in related]
    return zip(keys, records(lines, fired.index), records(fired, fired.index), *others, strict=True)


def records(frame: pd.DataFrame, index: pd.Index) -> list[dict[str, Any]]:
    """Return the rows at `index` as dicts of Python values, each with its label as "index".

    Column by column (tolist), because DataFrame.to_dict("records") boxes every cell of a
    string column one at a time, which costs minutes over a hundred thousand findings.
    """
    chosen = frame.loc[index]
    columns = {"index": chosen.index.tolist()}
    columns.update((name, chosen[name].tolist()) for name in chosen.columns)
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]
