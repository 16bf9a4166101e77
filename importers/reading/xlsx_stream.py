"""Read a large .xlsx sheet in bounded memory: lxml iterparse over the zip member.

calamine loads a whole sheet into memory, so memory grows with the file; past a size threshold
the sheet is streamed instead. Each <row> is turned into a list of values and then cleared, with
its already-read siblings deleted, so the tree never grows; the zip member is decompressed as it
is read, never extracted to disk. Values follow calamine's rules (see cells.py), so both readers
yield identical rows for the same file.

Merged ranges sit at the END of the sheet XML (<mergeCells> after <sheetData>), but the header
finder needs them before the first row. They are collected by a cheap first pass: the member is
decompressed once more and scanned for <mergeCell ref="..."> with a regular expression, without
parsing XML (a literal "<" cannot occur in cell text, where XML escapes it). The pass costs one
extra decompression, about 5% of the time the rows take.

Speed: about a fifth of calamine's (see excel.py), for memory that no longer grows with the file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from importers.reading.cells import excel_serial, iso_value, unescape
from importers.reading.model import Merged, Row, guarded
from importers.reading.refusals import refusal
from importers.reading.xlsx_package import (
    Package,
    SheetPart,
    column_index,
    item_text,
    load_strings,
    load_styles,
)

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_CHUNK = 1 << 20
_DIGITS = "0123456789"
_DATE_CACHE = 10_000  # distinct date cells remembered, so each converts once
_OVERLAP = 256  # longest <mergeCell ref="..."> tag, so a match cut by a chunk edge is seen


def stream_rows(path: Path, package: Package, part: SheetPart) -> Iterator[Row]:
    """Yield the rows of one sheet from Excel row 1, reading the XML incrementally."""
    return guarded(_rows(path, package, part), lambda: refusal("damaged-xlsx"))


def _rows(path: Path, package: Package, part: SheetPart) -> Iterator[Row]:
    with zipfile.ZipFile(path) as zf:
        _load_tables(zf, package)
        reader = _CellReader(package)
        expected = 1
        with zf.open(part.member) as fh:
            for number, cells in _parsed_rows(fh, reader):
                if not cells:
                    continue  # an empty row is yielded only when a later row has data
                for _ in range(max(number, expected) - expected):
                    yield []
                yield cells
                expected = max(number, expected) + 1


def _load_tables(zf: zipfile.ZipFile, package: Package) -> None:
    if package.strings is None:
        package.strings = load_strings(zf, package)
    if package.kinds is None:
        package.kinds = load_styles(zf, package)


def _parsed_rows(fh: IO[bytes], reader: _CellReader) -> Iterator[tuple[int, Row]]:
    number = 0
    events = etree.iterparse(fh, tag="{*}row", resolve_entities=False, no_network=True)
    for _, row in events:
        number = int(row.get("r") or number + 1)
        cells = reader.row(row)
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
        yield number, cells


class _CellReader:
    """Turn <c> elements into values, with the workbook's strings and styles at hand.

    row() is the hot loop (every cell of a large file passes through it), so shared strings and
    numbers, nearly all cells, are decoded inline with local names; the rest go to _other().
    """

    def __init__(self, package: Package) -> None:
        self.strings = package.strings or []
        self.date_styles = {str(i): kind for i, kind in enumerate(package.kinds or []) if kind}
        self.date1904 = package.date1904
        self.columns: dict[str, int] = {}
        self.dates: dict[tuple[str, str], object] = {}  # dates repeat down a column
        self.v_tag = self.is_tag = ""

    def row(self, row: etree._Element) -> Row:
        """Return a row's values at their column positions, without trailing empty cells."""
        if not self.v_tag:
            namespace = row.tag[: row.tag.find("}") + 1]
            self.v_tag, self.is_tag = namespace + "v", namespace + "is"
        v_tag, strings, columns = self.v_tag, self.strings, self.columns
        values: Row = []
        column = -1
        for cell in row:
            ref = cell.get("r")
            if ref is None:
                column += 1
            else:
                letters = ref.rstrip(_DIGITS)
                column = columns.get(letters, -1)
                if column < 0:
                    column = columns[letters] = column_index(letters)
            kind = cell.get("t")
            if kind is None or kind == "s" or kind == "n":
                last = cell[-1] if len(cell) else None  # <v> follows any <f>
                if last is None or last.tag != v_tag or not last.text:
                    continue
                value = strings[int(last.text)] or None if kind == "s" else self._number(cell, last)
            else:
                value = self._other(kind, cell)
            if value is None:
                continue
            if column >= len(values):
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values.append(value)
            else:
                values[column] = value
        return values

    def _number(self, cell: etree._Element, v: etree._Element) -> object:
        text = v.text
        try:
            number = float(text)
        except ValueError:
            return text  # calamine keeps what is not a number as text
        if "_" in text or text[0] <= " " or text[-1] <= " ":
            return text  # Python's float() accepts these, Rust's parser does not
        kind = self.date_styles.get(cell.get("s"))
        if kind is None:
            return number
        value = self.dates.get((text, kind))
        if value is None:
            if len(self.dates) > _DATE_CACHE:
                self.dates.clear()
            value = self.dates[text, kind] = excel_serial(number, kind, self.date1904)
        return value

    def _other(self, kind: str, cell: etree._Element) -> object:
        """Decode inline strings, formula strings, booleans, ISO dates; errors give None."""
        if kind == "inlineStr":
            inline = cell.find(self.is_tag)
            return None if inline is None else item_text(inline) or None
        text = cell.findtext(self.v_tag)
        if not text or kind == "e":
            return None
        if kind == "str":
            return unescape(text)
        if kind == "b":
            return text.strip() not in ("0", "false")
        return iso_value(text) if kind == "d" else None


def merged_ranges(path: Path, part: SheetPart) -> list[Merged]:
    """Collect a sheet's merged ranges (0-based, inclusive) with a regex pass over its XML."""
    found: dict[Merged, None] = {}
    with zipfile.ZipFile(path) as zf, zf.open(part.member) as fh:
        tail = b""
        while chunk := fh.read(_CHUNK):
            window = tail + chunk
            for match in _MERGE.finditer(window):
                found[_range(match)] = None
            tail = window[-_OVERLAP:]
    return list(found)


def _range(match: re.Match[bytes]) -> Merged:
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    return (
        int(first_row) - 1,
        column_index(first_col.decode()),
        int(last_row) - 1,
        column_index(last_col.decode()),
    )
