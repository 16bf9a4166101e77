"""How many rows a file holds, guessed cheaply before it is read, for a progress bar.

An .xlsx states each sheet's extent in a <dimension> element at the head of its XML (the
streaming reader probes it already); delimited text has about one row per line break. Neither
needs the file parsed. A .xls or .ods, or an .xlsx without dimensions, has no cheap answer: None,
and the progress bar shows rows read without a percentage. The guess counts every row, title and
blank rows included, as the importer's `rows_read` does.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from importers.reading.sniff import sniff_format
from importers.reading.xlsx_package import read_package

_BLOCK = 1 << 20


def estimate_rows(path: Path) -> int | None:
    """Return about how many rows the file holds, or None when that is not cheap to know."""
    try:
        fmt = sniff_format(Path(path))
        if fmt == "csv":
            return _line_breaks(Path(path))
        if fmt == "xlsx":
            return _xlsx_rows(Path(path))
    except Exception:  # the import itself refuses a bad file with a sentence; a guess only fails
        return None
    return None


def _xlsx_rows(path: Path) -> int | None:
    with zipfile.ZipFile(path) as zf:
        sheets = read_package(zf).sheets
    if not sheets or any(part.last_row is None for part in sheets):
        return None
    return sum(part.last_row or 0 for part in sheets)


def _line_breaks(path: Path) -> int:
    count, last = 0, b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last not in (b"", b"\n"))
