"""Write tables to .xlsx, .csv and .json the same way everywhere, safe to open in Excel.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula when an
officer opens the export: such text is prefixed with an apostrophe, the OWASP advice for CSV
injection. Workbooks are written in openpyxl's write-only mode so a large export streams.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
VN_NUMBER = "#,##0.##"
VN_INTEGER = "#,##0"
VN_DATE = "dd/mm/yyyy"
MAX_WIDTH = 60


def neutralize(value: Any) -> Any:
    """Return text that cannot start a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write UTF-8 CSV with a BOM (so Excel shows Vietnamese right); return the row count."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_plain(neutralize(v)) for v in row])
            count += 1
    return count


def write_json(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a JSON array of objects, streamed; return the row count."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for row in rows:
            handle.write(",\n" if count else "\n")
            handle.write(
                json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False, default=_plain)
            )
            count += 1
        handle.write("\n]\n")
    return count


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    widths: Mapping[str, Sequence[int]] | None = None,
) -> int:
    """Write sheets with a bold frozen header, autofilter and Vietnamese formats; return rows.

    `widths` gives a sheet's column widths in characters (by sheet title); without it a column
    is as wide as its header.
    """
    workbook = Workbook(write_only=True)
    total = 0
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        total += _fill(sheet, headers, rows, (widths or {}).get(title))
    workbook.save(path)
    return total


def _fill(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
) -> int:
    widths = list(widths or []) + [len(h) + 2 for h in headers[len(widths or []) :]]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 10), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count + 1}"
    return count


def _cell(sheet: Worksheet, value: Any) -> Any:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=neutralize(value))
        cell.data_type = "s"
        return cell
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = VN_INTEGER if float(value).is_integer() else VN_NUMBER
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = VN_DATE
        return cell
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
