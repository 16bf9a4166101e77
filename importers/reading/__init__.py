"""Open an uploaded procurement spreadsheet, whatever it really is, as a stream of sheets.

Officers upload .xlsx, .xls and .csv files, renamed, damaged, password-protected or huge. This
package tells the format from the bytes (sniff.py), reads Excel through calamine or, for very
large .xlsx sheets, a streaming parser (excel.py, xlsx_stream.py), reads delimited text in any
common encoding (csv_text.py), and refuses anything else with one bilingual sentence
(refusals.py). Every reader yields the same row shape (model.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from importers.reading.csv_text import csv_sheet
from importers.reading.excel import excel_sheets
from importers.reading.model import Sheet
from importers.reading.refusals import refusal
from importers.reading.sniff import (
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    RATIO_CHECK_ABOVE_BYTES,
    sniff_format,
)

# Up to this many cells a sheet is loaded whole by calamine (fast, about 100 bytes a cell);
# above it, it streams at constant memory, five times slower.
STREAM_THRESHOLD_CELLS = 6_000_000
FORMATS = ("xlsx", "xls", "ods", "csv")


def open_sheets(
    path: Path, fmt: str | None = None, *, stream_threshold_cells: int = STREAM_THRESHOLD_CELLS
) -> Iterator[Sheet]:
    """Open the file (refusing it now if unreadable) and return its sheets, each read lazily."""
    path = Path(path)
    fmt = fmt or sniff_format(path)
    if fmt == "csv":
        return iter([csv_sheet(path)])
    if fmt in FORMATS:
        return excel_sheets(path, fmt, stream_threshold_cells)
    raise refusal("binary")


__all__ = [
    "FORMATS",
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "RATIO_CHECK_ABOVE_BYTES",
    "STREAM_THRESHOLD_CELLS",
    "Sheet",
    "open_sheets",
    "sniff_format",
]
