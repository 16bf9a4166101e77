"""Tell data rows from the rows around them: numbering, sections, totals, signatures, blanks.

Published lists interleave the table with rows that are not awards: the "(1) (2) (3)" numbering
row, section rows ("I. THUỐC GENERIC"), a "Tổng cộng" total, the date line and signatures. They are
skipped and counted, never reported to the officer as bad rows. A row that carries a value in a
quantity or price column, or fills three mapped columns, is data: if it then fails to parse it is
a row error, so nothing the officer typed as data disappears silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from importers.text import fold

BLANK, NUMBERING, SECTION, TOTAL, SIGNATURE, HEADER, TITLE = (
    "blank", "numbering", "section", "total", "signature", "header", "title",
)  # fmt: skip

_NUMBERING_CELL = re.compile(r"^\(?\s*(\d{1,3}|[A-Za-z])\s*\)?(\s*=.*)?$")
_TOTAL_EXACT = frozenset(
    {
        "tong", "cong", "tong cong", "tong so", "tong gia tri", "cong khoan", "tong cong tien",
        "total", "grand total", "sum", "subtotal", "cong tong",
    }
)  # fmt: skip
_TOTAL_PREFIXES = ("tong cong", "tong so tien", "tong gia tri", "grand total", "total ")
_SIGNATURE_WORDS = (
    "nguoi lap", "thu truong", "giam doc", "ke toan", "truong khoa", "truong phong",
    "ky ghi ro", "ky ten", "ky va ghi", "prepared by", "approved by", "signature", "xac nhan",
    "chu tich", "to truong", "pho giam doc",
)  # fmt: skip
_NUMERIC_TEXT = re.compile(
    r"^\s*[-+(]?\s*[\d\s.,]*\d[\d\s.,]*(?:e[+-]?\d+)?\s*\)?\s*(?:%|đ|₫|vn[dđ]|usd|\$)?\s*$",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


def is_numbering_row(row: Sequence[object]) -> bool:
    """Return True for the "(1) (2) (3)" row, or 1, 2, 3 across the columns, under the header.

    Runs on every row, so it leaves at the first cell that cannot belong to a numbering row.
    """
    count, previous, texts = 0, None, False
    for cell in row:
        if cell is None or cell == "":
            continue
        kind = type(cell)
        if kind is str:
            if not _NUMBERING_CELL.match(cell.strip()):  # type: ignore[union-attr]
                return False
            texts = True
        elif kind is int or kind is float:
            if previous is not None and cell != previous + 1:
                return False
            previous = cell
        else:
            return False
        count += 1
    return count >= 3 and not (texts and previous is not None)


def looks_numeric(cell: object) -> bool:
    """Tell a number, or text written as one ("1.234.567", "12.000 đ"), from words.

    Signatures and the date line often sit under the quantity and price columns; words there
    must not make a row count as data, while a mistyped number still must.
    """
    kind = type(cell)
    if kind is int or kind is float:
        return True
    return kind is str and bool(_NUMERIC_TEXT.match(cell))  # type: ignore[arg-type]


def is_total_text(text: str) -> bool:
    """Return True when a cell says the row is a total ("Tổng cộng", "Cộng", "Total")."""
    key = fold(text)
    return key in _TOTAL_EXACT or key.startswith(_TOTAL_PREFIXES)


def is_signature_text(text: str) -> bool:
    """Return True for a signature caption or the "..., ngày .. tháng .. năm" date line."""
    key = fold(text)
    return any(word in key for word in _SIGNATURE_WORDS) or bool(_DATE_LINE.search(key))


def first_texts(row: Sequence[object], limit: int = 3) -> list[str]:
    """Return the first few text cells of a row, where totals and captions are written."""
    texts = []
    for cell in row:
        if isinstance(cell, str) and cell.strip():
            texts.append(cell)
            if len(texts) == limit:
                break
    return texts
