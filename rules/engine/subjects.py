"""Stable subject keys and the shared wording of findings.

A line's key is its tender, product and supplier (ids that survive a withdrawal and re-import),
not its database id or row, so a corrected file updates the same flag.
"""

from __future__ import annotations

import pandas as pd

_KEY_PARTS = ["tender_id", "product_id", "supplier_id"]


def line_keys(frame: pd.DataFrame, index: pd.Index | None = None) -> pd.Series:
    """Return the stable keys of the lines at `index` (all by default).

    A line is its tender, product and supplier; a repeat of the same three in a tender (two
    lots of one product) gets #2, #3, ... in source order. Repeats are counted over the whole
    frame on integer columns, and text is built only for the lines asked for, because rules
    ask for the few that fired out of a million.
    """
    parts = frame[_KEY_PARTS].astype("Int64").fillna(-1)
    ordered = parts.assign(
        _file=frame["source_file_id"],
        _sheet=frame["source_sheet"].fillna(""),
        _row=frame["source_row"],
    ).sort_values(["_file", "_sheet", "_row"])
    repeat = ordered.groupby(_KEY_PARTS, sort=False).cumcount().reindex(frame.index)
    wanted = frame.index if index is None else index
    chosen = parts.loc[wanted]
    supplier = chosen["supplier_id"].astype(str).where(chosen["supplier_id"] >= 0, "-")
    keys = (
        "line:"
        + chosen["tender_id"].astype(str)
        + ":"
        + chosen["product_id"].astype(str)
        + ":"
        + supplier
    )
    count = repeat.loc[wanted]
    return keys.where(count == 0, keys + "#" + (count + 1).astype(str))


def vnd(value: float | None) -> str:
    """Format money as Vietnamese readers expect: 1.234.567 ₫."""
    if value is None or pd.isna(value):
        return "-"
    return f"{value:,.0f}".replace(",", ".") + " ₫"


def percent(value: float) -> str:
    """Format a share as 12,3%."""
    return f"{value * 100:.1f}%".replace(".", ",")


def line_evidence(row: pd.Series) -> dict[str, object]:
    """Return the fields every line finding shows: where it came from and what was bought."""
    return {
        "buyer": row["buyer"],
        "product": row["product_name"],
        "registration_number": row["registration_number"],
        "supplier": row["supplier"],
        "unit_price": row["unit_price"],
        "decision_date": row["decision_date"],
        "source_file": row["source_file"],
        "source_sheet": row["source_sheet"],
        "source_row": row["source_row"],
    }
