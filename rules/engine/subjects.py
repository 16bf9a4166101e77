"""Stable subject keys and the shared shape and wording of findings.

A line's key is its tender, product and supplier (ids that survive a withdrawal and re-import),
not its database id or row, so a corrected file updates the same flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from rules.engine.result import Finding

# A row of award lines: a frame row, or a dict of one when a rule reads columns as lists.
Row = pd.Series | Mapping[str, Any]

_KEY_PARTS = ["tender_id", "product_id", "supplier_id"]
# The columns line_finding reads: line_evidence's and line_refs'. A rule that reads its fired
# lines as plain lists (cheaper where it fires on many) takes these and its own.
LINE_COLUMNS = (
    "buyer", "product_name", "registration_number", "supplier", "unit_price", "decision_date",
    "source_file", "source_sheet", "source_row", "line_id", "buyer_id", "year",
)  # fmt: skip


def line_keys(frame: pd.DataFrame, index: pd.Index | None = None) -> pd.Series:
    """Return the stable keys of the lines at `index` (all by default).

    A line is its tender, product and supplier; a repeat of the same three in a tender (two
    lots of one product) gets #2, #3, ... in source order. Repeats are counted on integer
    columns among the lines of the asked lines' tenders, and text is built only for the lines
    asked for, because rules ask for the few that fired out of a million.
    """
    wanted = frame.index if index is None else index
    if index is not None:  # repeats share a tender: count among the asked lines' tenders only
        frame = frame[frame["tender_id"].isin(frame.loc[index, "tender_id"].unique())]
    parts = frame[_KEY_PARTS].astype("Int64").fillna(-1)
    ordered = parts.assign(
        _file=frame["source_file_id"],
        _sheet=frame["source_sheet"].fillna(""),
        _row=frame["source_row"],
    ).sort_values(["_file", "_sheet", "_row"])
    repeat = ordered.groupby(_KEY_PARTS, sort=False).cumcount().reindex(frame.index)
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


def line_evidence(row: Row) -> dict[str, object]:
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


def line_refs(row: Row) -> dict[str, Any]:
    """Return the line, buyer and year every line finding carries."""
    return {
        "line_id": int(row["line_id"]),
        "buyer_id": int(row["buyer_id"]),
        "year": None if pd.isna(row["year"]) else int(row["year"]),
    }


def line_finding(
    row: Row,
    key: str,
    *,
    observed: float | None,
    benchmark: float | None,
    test: str,
    evidence: Mapping[str, Any],
    message_en: str,
    message_vi: str,
) -> Finding:
    """Return a finding about one award line.

    Every line finding shows where the line came from and carries its line, buyer and year,
    so a reviewer can open the source row and the flag lists filter alike whichever rule fired;
    the rule's own `evidence` follows the line's.
    """
    return Finding(
        subject_type="award_line",
        subject_key=key,
        observed=observed,
        benchmark=benchmark,
        test=test,
        evidence={**line_evidence(row), **evidence},
        message_en=message_en,
        message_vi=message_vi,
        **line_refs(row),
    )
