"""The sheet every reader yields, and the row shape all readers share.

Whatever the file format, the pipeline sees the same thing: a sheet whose rows start at Excel row
1, cells at their true column positions, None for empty cells, no trailing empty cells and no
trailing empty rows. Keeping that shape in one module is what lets the calamine and streaming
readers promise identical rows for the same workbook.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree
from python_calamine import CalamineError

from importers.errors import FileRefused

Row = list[object]
Merged = tuple[int, int, int, int]

# Failures of the libraries we read with: a damaged file, never a bug of ours (TypeError and
# AttributeError still escape, so bugs stay visible). calamine can also panic; pyo3 raises that
# as PanicException, a BaseException, matched by name in is_library_failure.
LIBRARY_ERRORS: tuple[type[BaseException], ...] = (
    CalamineError,
    zipfile.BadZipFile,
    zlib.error,
    etree.Error,
    csv.Error,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    OverflowError,
    NotImplementedError,  # zipfile: unsupported compression method
    RuntimeError,  # zipfile: encrypted member
)


@dataclass
class Sheet:
    """One sheet of an uploaded file, its rows read lazily."""

    name: str
    index: int  # 0-based position in the workbook (chart sheets count, they are not yielded)
    hidden: bool
    rows: Iterator[Row]  # from Excel row 1; an empty row is []
    merged: list[Merged] = field(default_factory=list)  # 0-based, inclusive; [] when unknown
    row_count: int | None = None  # rows in the sheet when known cheaply, for progress bars
    reader: str = "calamine"  # "calamine" | "stream" | "csv"


def trim(row: Row) -> Row:
    """Drop the empty cells a row ends with, in place, and return it."""
    while row and row[-1] is None:
        row.pop()
    return row


def without_trailing_empty_rows(rows: Iterator[Row]) -> Iterator[Row]:
    """Yield rows, holding empty ones back until a non-empty row shows they are not trailing."""
    pending = 0
    for row in rows:
        if not row:
            pending += 1
            continue
        for _ in range(pending):
            yield []
        pending = 0
        yield row


def is_library_failure(exc: BaseException) -> bool:
    """Tell a reading library's failure (or a calamine panic) from a bug or an interrupt."""
    if isinstance(exc, FileRefused | MemoryError):
        return False
    return isinstance(exc, LIBRARY_ERRORS) or type(exc).__name__ == "PanicException"


def guarded(rows: Iterator[Row], refuse: Callable[[], FileRefused]) -> Iterator[Row]:
    """Yield rows, turning a library failure half-way through into the file's refusal."""
    try:
        yield from rows
    except BaseException as exc:
        if is_library_failure(exc):
            raise refuse() from exc
        raise
