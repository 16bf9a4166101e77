"""Find the header as published files have it: under a title block, over one or two rows.

Published result lists put a title block above the table and often split the header over two rows
with merged cells ("Giá (VND)" over "Giá kế hoạch" and "Đơn giá trúng thầu"). The header is the
row, or pair of rows, whose cells name the most canonical fields; a merged parent's text is
carried to every column below it, so the child can be matched alone or with its parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from importers.errors import column_letter
from importers.text import clean_text, fold

SEARCH_ROWS = 40
MIN_FIELDS = 2

Merged = Sequence[tuple[int, int, int, int]]


@dataclass(frozen=True)
class ColumnMap:
    """One source column: its header text and the canonical field it fills (or why not)."""

    index: int
    header: str
    field: str | None
    note: str | None = None

    @property
    def letter(self) -> str:
        """Return the Excel column letter."""
        return column_letter(self.index)


@dataclass(frozen=True)
class HeaderLayout:
    """Where the header is (1-based rows) and how its columns map to fields."""

    first_row: int
    rows: int
    columns: tuple[ColumnMap, ...]

    @property
    def last_row(self) -> int:
        """Return the 1-based number of the header's last row."""
        return self.first_row + self.rows - 1

    @property
    def fields(self) -> dict[str, int]:
        """Map each matched field to its column index."""
        return {c.field: c.index for c in self.columns if c.field and c.note is None}

    def as_dict(self) -> dict[str, object]:
        """Describe the layout for the import record and the officer's result page."""
        return {
            "header_row": self.first_row,
            "header_rows": self.rows,
            "columns": [
                {"column": c.letter, "header": c.header, "field": c.field, "note": c.note}
                for c in self.columns
            ],
        }


def find_header(
    rows: Sequence[Sequence[object]],
    merged: Merged,
    matcher: dict[str, str],
    header_rows: int | None = None,
) -> HeaderLayout | None:
    """Return the best header among the first rows, or None when no row names enough fields."""
    best: HeaderLayout | None = None
    best_score = MIN_FIELDS - 1
    for index in range(min(len(rows), SEARCH_ROWS)):
        for height in (1, 2) if header_rows is None else (header_rows,):
            if index + height > len(rows):
                continue
            if height == 2 and not any(_carried(rows, merged, index)):
                continue  # a blank row over the header is not its first row
            layout = _layout(rows, merged, matcher, index, height)
            score = len(layout.fields)
            if score > best_score:
                best, best_score = layout, score
    return best


def _layout(
    rows: Sequence[Sequence[object]],
    merged: Merged,
    matcher: dict[str, str],
    index: int,
    height: int,
) -> HeaderLayout:
    top = _carried(rows, merged, index)
    if height == 1:
        texts = [[t] if t else [] for t in top]
        labels = top
    else:
        below = [clean_text(c) or "" for c in rows[index + 1]]
        width = max(len(top), len(below))
        top += [""] * (width - len(top))
        below += [""] * (width - len(below))
        texts = [_pair_candidates(t, b) for t, b in zip(top, below, strict=True)]
        labels = [_pair_label(t, b) for t, b in zip(top, below, strict=True)]
    return HeaderLayout(index + 1, height, _map_columns(texts, labels, matcher))


def _pair_candidates(top: str, below: str) -> list[str]:
    if not below:
        return [top] if top else []
    return [below, f"{top} {below}"] if top and top != below else [below]


def _pair_label(top: str, below: str) -> str:
    if not below or below == top:
        return top
    return f"{top} / {below}" if top else below


def _carried(rows: Sequence[Sequence[object]], merged: Merged, index: int) -> list[str]:
    """Return a row's texts with each horizontally merged cell's text carried across."""
    texts = [clean_text(c) or "" for c in rows[index]]
    for first_row, first_col, last_row, last_col in merged:
        if first_row <= index <= last_row and first_row < len(rows):
            source = rows[first_row]
            value = clean_text(source[first_col]) if first_col < len(source) else None
            if value:
                texts += [""] * (last_col + 1 - len(texts))
                for col in range(first_col, last_col + 1):
                    texts[col] = texts[col] or value
    return texts


def _map_columns(
    candidates: list[list[str]], labels: list[str], matcher: dict[str, str]
) -> tuple[ColumnMap, ...]:
    seen: set[str] = set()
    columns = []
    for index, (texts, label) in enumerate(zip(candidates, labels, strict=True)):
        if not texts:
            continue
        field = next((matcher[k] for k in _keys(texts) if k in matcher), None)
        note = None
        if field in seen:
            note = "duplicate"
        elif field:
            seen.add(field)
        columns.append(ColumnMap(index, label, field, note))
    return tuple(columns)


def _keys(texts: list[str]) -> list[str]:
    """Fold each candidate text, then the same without a unit in parentheses."""
    return [fold(t) for t in texts] + [fold(strip_units(t)) for t in texts]


def strip_units(text: str) -> str:
    """Drop a trailing unit in parentheses, "Thành tiền (VNĐ)" -> "Thành tiền"."""
    head, _, _ = text.partition("(")
    return head.strip() or text
