"""Stable subject keys and the shared wording of findings.

A line's key is its tender, product and supplier (ids that survive a withdrawal and re-import),
not its database id or row, so a corrected file updates the same flag.
"""

from __future__ import annotations

import pandas as pd


def line_keys(frame: pd.DataFrame) -> pd.Series:
    """Return each line's stable key; a repeat of the same key in a tender gets #2, #3, ..."""
    base = (
        "line:" + frame["tender_id"].astype(str) + ":" + frame["product_id"].astype(str) + ":"
        + frame["supplier_id"].astype("Int64").astype(str).replace("<NA>", "-")
    )
    order = frame.sort_values(["source_file_id", "source_sheet", "source_row"]).index
    repeat = base.loc[order].groupby(base.loc[order]).cumcount().reindex(frame.index)
    return base.where(repeat == 0, base + "#" + (repeat + 1).astype(str))


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
