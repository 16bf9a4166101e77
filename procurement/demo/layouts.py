"""Write a hospital's result list ("DANH MỤC THUỐC TRÚNG THẦU") as hospitals publish it.

Title block (letterhead, motto, title, the decision line, the package line), a header over rows
8-9 with merged cells, a numbering row "(1)".."(18)", section rows, numbered data rows, a
"Tổng cộng" row, the place and date, and the signatures. openpyxl writes small files,
xlsxwriter in constant_memory mode writes large or streamed ones, xlwt writes .xls.

The buyer dict holds "name" (and optionally "parent" for row 1, "role" for the signers, "place"
or "province" for the date line); the decision dict holds "number" and "date" (and optionally
"tender_name" and "tender_code" for row 6). Lines are canonical award-line dicts; a value given
as text is written as text, which is how the demo spoils a row on purpose.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any, Protocol

from procurement.demo.catalog import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, SIGNERS

LARGE = 20_000  # more lines than this (or an unsized iterable) go through xlsxwriter
XLS_MAX = 65_000
HEADER_ROW, NUMBER_ROW, FIRST_DATA_ROW = 8, 10, 11
FIELDS = (
    None, "product_name", "active_ingredient", "strength", "route", "dosage_form", "packaging",
    "group", "registration_number", "manufacturer", "country", "unit", "quantity",
    "planned_unit_price", "unit_price", "amount", "supplier", "note",
)  # fmt: skip
NUMERIC = frozenset({"quantity", "planned_unit_price", "unit_price", "amount"})
STANDARD = (
    "STT", "Tên thuốc", "Tên hoạt chất", "Nồng độ, hàm lượng", "Đường dùng", "Dạng bào chế",
    "Quy cách đóng gói", "Nhóm thuốc", "GĐKLH hoặc GPNK", "Cơ sở sản xuất", "Nước sản xuất",
    "Đơn vị tính", "Số lượng", "Giá kế hoạch", "Đơn giá trúng thầu", "Thành tiền (VND)",
    "Nhà thầu trúng thầu", "Ghi chú",
)  # fmt: skip
VARIANT = (
    "STT", "Tên thuốc", "Hoạt chất", "Nồng độ - Hàm lượng", "Đường dùng", "Dạng bào chế",
    "Quy cách đóng gói", "Nhóm thuốc", "SĐK hoặc GPNK", "Cơ sở sản xuất", "Xuất xứ", "ĐVT",
    "SL trúng thầu", "Giá kế hoạch", "Đơn giá (có VAT)", "Thành tiền (VNĐ)", "Tên nhà thầu",
    "Ghi chú",
)  # fmt: skip
PRICE_PARENT = "Giá (VND)"
PRICE_COLUMNS = (14, 15)  # N and O sit under "Giá (VND)"
AMOUNT_COLUMN = 16
LAST_COLUMN = len(STANDARD)  # R
SECTIONS = ("THUỐC GENERIC", "THUỐC BIỆT DƯỢC GỐC", "VẮC XIN")
PACKAGE_SECTIONS = ("Gói thầu số 1: Thuốc generic", "Gói thầu số 2: Thuốc biệt dược gốc",
                    "Gói thầu số 3: Vắc xin")  # fmt: skip
SHEET_NAMES = ("Generic", "Biệt dược", "Vắc xin")
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class ListStyle:
    """How one hospital writes its list: header words, numbers, sections and sheets."""

    headers: str = "standard"  # standard | variant | ascii | nfd
    numbers: str = "number"  # number | text ("1.234.567")
    tender_line: bool = True  # row 6 "Gói thầu: ... - Mã TBMT: ..."
    split_sheets: bool = False  # one sheet per package (generic, originator, vaccine)
    section_column: int = 1  # section labels in column A (1) or B (2)
    package_sections: bool = False  # "Gói thầu số 2: ..." instead of "II. ..."


def strip_marks(text: str) -> str:
    """Remove Vietnamese diacritics ("Đơn giá" -> "Don gia")."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def header_texts(kind: str) -> tuple[tuple[str, ...], str]:
    """Return the 18 column headers and the price parent for a header style."""
    if kind == "variant":
        return VARIANT, PRICE_PARENT
    if kind == "ascii":
        return tuple(strip_marks(h) for h in STANDARD), strip_marks(PRICE_PARENT)
    if kind == "nfd":
        nfd = tuple(unicodedata.normalize("NFD", h) for h in STANDARD)
        return nfd, unicodedata.normalize("NFD", PRICE_PARENT)
    return STANDARD, PRICE_PARENT


def vn_number(value: float) -> str:
    """Format a number the Vietnamese way: 1.234.567 (decimals after a comma)."""
    whole = f"{int(value):,}".replace(",", ".")
    frac = abs(value) - abs(int(value))
    return whole + (f"{frac:.2f}"[1:].replace(".", ",") if frac else "")


def line_section(line: dict) -> int:
    """Return the section of a line: 0 generic, 1 originator (BDG), 2 vaccine."""
    if str(line.get("active_ingredient") or "").startswith("Vắc xin"):
        return 2
    return 1 if line.get("group") == "BDG" else 0


class Sink(Protocol):
    """A sheet that takes cells in non-decreasing row order (1-based rows and columns)."""

    def write(self, row: int, col: int, value: Any) -> None: ...

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None: ...


class _Openpyxl:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def write(self, row: int, col: int, value: Any) -> None:
        if value is not None:
            self.ws.cell(row=row, column=col, value=value)

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None:
        self.ws.merge_cells(start_row=row1, start_column=col1, end_row=row2, end_column=col2)


class _Xlwt:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def write(self, row: int, col: int, value: Any) -> None:
        if value is not None:
            self.ws.write(row - 1, col - 1, value)

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None:
        self.ws.merge(row1 - 1, row2 - 1, col1 - 1, col2 - 1)


class _Xlsxwriter:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def write(self, row: int, col: int, value: Any) -> None:
        if isinstance(value, str):  # the typed calls skip write()'s URL and number sniffing
            self.ws.write_string(row - 1, col - 1, value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.ws.write_number(row - 1, col - 1, value)
        elif value is not None:
            self.ws.write(row - 1, col - 1, value)

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None:
        # merge_range() would write blanks into rows already flushed in constant_memory mode;
        # the range list is what xlsxwriter serialises as <mergeCells>.
        self.ws.merge.append([row1 - 1, col1 - 1, row2 - 1, col2 - 1])


def _people(buyer: dict, decision: dict) -> list[str]:
    rng = random.Random(f"{buyer['name']}|{decision.get('number')}")
    return [
        f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
        for _ in range(3)
    ]


def _date_text(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def _title_block(sink: Sink, buyer: dict, decision: dict, style: ListStyle) -> None:
    titles = SIGNERS.get(buyer.get("role", "hospital"), SIGNERS["hospital"])
    sink.write(1, 1, buyer.get("parent") or "BỘ Y TẾ")
    sink.write(1, 10, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    sink.write(2, 1, buyer["name"].upper())
    sink.write(2, 10, "Độc lập - Tự do - Hạnh phúc")
    sink.write(4, 1, "DANH MỤC THUỐC TRÚNG THẦU")
    sink.merge(4, 1, 4, LAST_COLUMN)
    head = titles[2].capitalize()
    sink.write(5, 1, f"(Kèm theo Quyết định số {decision['number']} ngày "
                     f"{_date_text(decision['date'])} của {head} {buyer['name']})")  # fmt: skip
    sink.merge(5, 1, 5, LAST_COLUMN)
    if style.tender_line and decision.get("tender_name"):
        text = f"Gói thầu: {decision['tender_name']}"
        if decision.get("tender_code"):
            text += f" - Mã TBMT: {decision['tender_code']}"
        sink.write(6, 1, text)
        sink.merge(6, 1, 6, LAST_COLUMN)


def _header(sink: Sink, style: ListStyle) -> None:
    headers, parent = header_texts(style.headers)
    top, sub = HEADER_ROW, HEADER_ROW + 1
    for col, text in enumerate(headers, start=1):
        sink.write(top, col, parent if col == PRICE_COLUMNS[0] else None if col in PRICE_COLUMNS
                   else text)  # fmt: skip
    for col in PRICE_COLUMNS:
        sink.write(sub, col, headers[col - 1])
    for col in range(1, LAST_COLUMN + 1):
        if col not in PRICE_COLUMNS:
            sink.merge(top, col, sub, col)
    sink.merge(top, PRICE_COLUMNS[0], top, PRICE_COLUMNS[1])
    for col in range(1, LAST_COLUMN + 1):
        sink.write(NUMBER_ROW, col, f"({col})")


def _cell(line: dict, name: str | None, style: ListStyle) -> Any:
    value = line.get(name) if name else None
    if name in NUMERIC and isinstance(value, int | float) and style.numbers == "text":
        return vn_number(value)
    return value


def _body(
    sink: Sink, lines: Iterable[tuple[int, dict]], style: ListStyle, row: int, keep: bool
) -> tuple[int, float, list[tuple[int, int]]]:
    """Write sections and data rows from row on; return the next row, the total, positions."""
    positions: list[tuple[int, int]] = []
    total, number, seen = 0.0, 0, 0
    for section, group in groupby(lines, key=lambda item: line_section(item[1])):
        label = (PACKAGE_SECTIONS[section] if style.package_sections
                 else f"{ROMAN[seen % 4]}. {SECTIONS[section]}")  # fmt: skip
        sink.write(row, style.section_column, label)
        row, seen = row + 1, seen + 1
        for index, line in group:
            if not line.get("_repeat_previous"):  # an exact duplicate repeats the STT
                number += 1
            sink.write(row, 1, number)
            for col, name in enumerate(FIELDS[1:], start=2):
                value = _cell(line, name, style)
                if value is not None:
                    sink.write(row, col, value)
            amount = line.get("amount")
            total += amount if isinstance(amount, int | float) else 0
            if keep:  # a streamed million-line list keeps no positions
                positions.append((index, row))
            row += 1
    return row, total, positions


def _footer(sink: Sink, row: int, total: float, buyer: dict, decision: dict,
            style: ListStyle) -> None:  # fmt: skip
    sink.write(row, 2, "Tổng cộng")
    sink.write(row, AMOUNT_COLUMN, vn_number(total) if style.numbers == "text" else total)
    when = decision["date"]
    place = buyer.get("place") or buyer.get("province") or ""
    if isinstance(when, date):
        text = f"{place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"
    else:
        text = f"{place}, ngày {when}"
    sink.write(row + 2, 13, text)
    titles = SIGNERS.get(buyer.get("role", "hospital"), SIGNERS["hospital"])
    for col, title, name in zip((2, 7, 13), titles, _people(buyer, decision), strict=True):
        sink.write(row + 3, col, title)
        sink.write(row + 7, col, name)


def _write_sheet(sink: Sink, buyer: dict, decision: dict, lines: Iterable[tuple[int, dict]],
                 style: ListStyle, keep: bool = True) -> list[tuple[int, int]]:  # fmt: skip
    _title_block(sink, buyer, decision, style)
    _header(sink, style)
    row, total, positions = _body(sink, lines, style, FIRST_DATA_ROW, keep)
    _footer(sink, row, total, buyer, decision, style)
    return positions


def _split(lines: Sequence[dict], style: ListStyle) -> list[tuple[str, list[tuple[int, dict]]]]:
    indexed = sorted(enumerate(lines), key=lambda item: (line_section(item[1]), item[0]))
    if not style.split_sheets:
        return [("Danh mục", indexed)]
    sheets = []
    for section, group in groupby(indexed, key=lambda item: line_section(item[1])):
        sheets.append((SHEET_NAMES[section], list(group)))
    return sheets or [("Danh mục", [])]


def write_hospital_list(
    path: Path,
    buyer: dict,
    decision: dict,
    lines: list[dict] | Iterable[dict],
    *,
    fmt: str = "xlsx",
    style: ListStyle | None = None,
) -> None:
    """Write a hospital result list (.xlsx or .xls) for one buyer and decision."""
    hospital_list_positions(path, buyer, decision, lines, fmt=fmt, style=style, keep=False)


def hospital_list_positions(
    path: Path,
    buyer: dict,
    decision: dict,
    lines: list[dict] | Iterable[dict],
    *,
    fmt: str = "xlsx",
    style: ListStyle | None = None,
    keep: bool = True,
) -> list[tuple[str, int]]:
    """Write the list and return (sheet, Excel row) of each input line (keep=False: none)."""
    style = style or ListStyle()
    if fmt == "xls":
        import xlwt

        lines = list(lines)
        if len(lines) > XLS_MAX:
            raise ValueError(f"an .xls list holds at most {XLS_MAX} lines, got {len(lines)}")
        book = xlwt.Workbook(encoding="utf-8")
        found = _write_sheets(lambda name: _Xlwt(book.add_sheet(name)), buyer, decision, lines,
                              style)  # fmt: skip
        book.save(str(path))
        return found
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r} (xlsx or xls)")
    if isinstance(lines, Sequence) and len(lines) <= LARGE:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        found = _write_sheets(lambda name: _Openpyxl(wb.create_sheet(name)), buyer, decision,
                              lines, style)  # fmt: skip
        wb.save(path)
        return found
    import xlsxwriter

    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        sink = _Xlsxwriter(book.add_worksheet("Danh mục"))
        rows = _write_sheet(sink, buyer, decision, enumerate(lines), style, keep)
    return [("Danh mục", row) for _, row in rows]


def _write_sheets(new_sheet: Any, buyer: dict, decision: dict, lines: Sequence[dict],
                  style: ListStyle) -> list[tuple[str, int]]:  # fmt: skip
    found: list[tuple[str, int]] = [("", 0)] * len(lines)
    for name, indexed in _split(lines, style):
        for index, row in _write_sheet(new_sheet(name), buyer, decision, indexed, style):
            found[index] = (name, row)
    return found
