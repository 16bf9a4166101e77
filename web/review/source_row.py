"""The original cells of a flagged line's row, read from the stored copy of its file.

A page must stay quick however large the file: .xlsx and .csv are streamed and reading stops
at the row, and only up to MAX_STREAMED_ROW rows deep; .xls and .ods are read whole by
calamine, so only files up to MAX_WHOLE_BYTES. Past those bounds the page says so and offers
the download. Rows read are kept in a small per-process cache: the same flag is opened again
and again while it is discussed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from importers.errors import FileRefused, column_letter
from importers.reading import open_sheets
from importers.reading.csv_text import csv_sheet
from importers.reading.model import is_library_failure
from importers.reading.sniff import check_zip_bounds
from importers.reading.xlsx_package import PackageError, column_index, read_package
from importers.reading.xlsx_stream import stream_rows
from procurement.services.flag_review import SourceRef

MAX_STREAMED_ROW = 10_000  # streamed at about 14,000 rows a second: under a second
MAX_WHOLE_BYTES = 5 * 1024 * 1024
STREAMED = ("xlsx", "csv")

# Why a row is not shown; the view turns these into sentences.
NOT_STORED, MISSING, TOO_DEEP, TOO_LARGE, UNREADABLE, NOT_FOUND = (
    "not-stored", "missing", "too-deep", "too-large", "unreadable", "not-found",
)  # fmt: skip


@dataclass(frozen=True)
class OriginalCell:
    """One cell of the original row under its file's own header."""

    column: str
    header: str
    value: str


@dataclass(frozen=True)
class OriginalRow:
    """The row's cells, or why they cannot be shown."""

    cells: tuple[OriginalCell, ...] = ()
    problem: str | None = None


def original_row(source: SourceRef) -> OriginalRow:
    """Return the original cells of the source's row, or the reason they are not shown."""
    if not source.stored_path:
        return OriginalRow(problem=NOT_STORED)
    path = Path(source.stored_path)
    if not path.is_file():
        return OriginalRow(problem=MISSING)
    if source.file_format in STREAMED and source.row > MAX_STREAMED_ROW:
        return OriginalRow(problem=TOO_DEEP)
    if source.file_format not in STREAMED and path.stat().st_size > MAX_WHOLE_BYTES:
        return OriginalRow(problem=TOO_LARGE)
    values = _row_values(str(path), source.file_format, source.sheet, source.row)
    if isinstance(values, str):
        return OriginalRow(problem=values)
    return OriginalRow(cells=_under_headers(values, source.columns))


@lru_cache(maxsize=256)
def _row_values(path: str, fmt: str, sheet: str | None, number: int) -> tuple[object, ...] | str:
    """Read one row (1-based) of a sheet; the content at a stored path never changes."""
    try:
        rows = _sheet_rows(Path(path), fmt, sheet)
        return NOT_FOUND if rows is None else _nth(rows, number)
    except FileRefused:
        return UNREADABLE
    except Exception as exc:
        if is_library_failure(exc) or isinstance(exc, PackageError):
            return UNREADABLE
        raise


def _sheet_rows(path: Path, fmt: str, name: str | None) -> Iterator[list[object]] | None:
    """Return a sheet's rows, lazily: .xlsx and .csv stream and stop where the caller stops."""
    if fmt == "csv":
        return csv_sheet(path).rows
    if fmt == "xlsx":
        with zipfile.ZipFile(path) as zf:
            check_zip_bounds(zf)
            package = read_package(zf)
        part = next((p for p in package.sheets if name is None or p.name == name), None)
        return None if part is None else stream_rows(path, package, part)
    sheet = next((s for s in open_sheets(path, fmt) if name is None or s.name == name), None)
    return None if sheet is None else sheet.rows


def _nth(rows: Iterator[list[object]], number: int) -> tuple[object, ...] | str:
    try:
        for index, row in enumerate(rows, start=1):
            if index == number:
                return tuple(row)
        return NOT_FOUND
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _under_headers(
    values: tuple[object, ...], columns: list[tuple[str, str]]
) -> tuple[OriginalCell, ...]:
    """Pair the row's cells with the file's headers; cells outside the header keep a letter."""
    cells = []
    named = set()
    for letter, header in columns:
        index = column_index(letter)
        named.add(index)
        cells.append(
            OriginalCell(letter, header, _text(values[index] if index < len(values) else None))
        )
    for index, value in enumerate(values):
        if index not in named and value not in (None, ""):
            cells.append(OriginalCell(column_letter(index), "", _text(value)))
    return tuple(cells)


def _text(value: object) -> str:
    """Show a cell as the file holds it: whole numbers without ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M")
            if value.time() != datetime.min.time()
            else value.strftime("%d/%m/%Y")
        )
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)
