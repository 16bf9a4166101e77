"""Write the national portal export, the social-security CSV, reference prices and lists.

The portal export has one header row per sheet and many buyers; the social-security export is a
UTF-8 CSV (with BOM) with ASCII column names and the decision number and date in one cell.
Reference prices and reference lists are the Ministry's tables the rules compare against.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

DATE_FORMAT = "dd/mm/yyyy"
PORTAL_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("STT", None), ("Mã TBMT", "tender_code"), ("Tên gói thầu", "tender_name"),
    ("Chủ đầu tư", "buyer_name"), ("Tỉnh", "province"), ("Hình thức LCNT", "procedure"),
    ("Số quyết định", "decision_number"), ("Ngày ban hành quyết định", "decision_date"),
    ("Số nhà thầu tham dự", "bidder_count"), ("Tên thuốc", "product_name"),
    ("Hoạt chất", "active_ingredient"), ("Hàm lượng", "strength"),
    ("Dạng bào chế", "dosage_form"), ("Đường dùng", "route"), ("Quy cách", "packaging"),
    ("Nhóm TCKT", "group"), ("SĐK/GPNK", "registration_number"),
    ("Tên cơ sở sản xuất", "manufacturer"), ("Xuất xứ", "country"), ("ĐVT", "unit"),
    ("SL trúng thầu", "quantity"), ("Giá kế hoạch", "planned_unit_price"),
    ("Giá trúng thầu (VNĐ)", "unit_price"), ("Thành tiền (VNĐ)", "amount"),
    ("Tên nhà thầu trúng thầu", "supplier"),
)  # fmt: skip
CSV_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("ten", "product_name"), ("hoatchat", "active_ingredient"), ("hamluong", "strength"),
    ("dangbaoche", "dosage_form"), ("duongdung", "route"), ("donggoi", "packaging"),
    ("sodk", "registration_number"), ("nhasx", "manufacturer"), ("nuocsx", "country"),
    ("donvitinh", "unit"), ("soluong", "quantity"), ("gia", "unit_price"),
    ("thanhtien", "amount"), ("tennhathau", "supplier"), ("quyetdinh", None),
    ("nhomthau", "group"), ("goithau", "tender_name"), ("ten_cskcb", "buyer_name"),
    ("ten_tinh", "province"),
)  # fmt: skip
REFERENCE_PRICE_HEADERS = (
    "Tên hoạt chất", "Nồng độ, hàm lượng", "Dạng bào chế", "Đơn vị tính", "Giá tham chiếu (VND)",
    "Nguồn", "Hiệu lực từ", "Hiệu lực đến",
)  # fmt: skip
REFERENCE_LIST_HEADERS = (
    "STT", "Tên hoạt chất", "Nồng độ, hàm lượng", "Đường dùng, dạng bào chế", "Đơn vị tính",
    "Nhóm TCKT",
)  # fmt: skip
LIST_TITLES = {
    "domestic-only": "DANH MỤC THUỐC CHỈ CHẤP NHẬN THẦU CỦA CƠ SỞ SẢN XUẤT TRONG NƯỚC",
    "centralized": "DANH MỤC THUỐC ĐẤU THẦU TẬP TRUNG CẤP QUỐC GIA",
}
LIST_BASIS = {
    "domestic-only": "(Ban hành kèm theo Thông tư số 03/2024/TT-BYT ngày 16/04/2024)",
    "centralized": "(Ban hành kèm theo Thông tư số 04/2024/TT-BYT ngày 16/04/2024)",
}


def _sheet_key(line: dict, sheets_by: str) -> str:
    if sheets_by == "year":
        when = line.get("decision_date")
        year = when.year if isinstance(when, date) else str(when)[-4:]
        return f"Năm {year}"
    if sheets_by == "province":
        return str(line.get("province") or "Khác")[:31]
    if sheets_by == "procedure":
        return str(line.get("procedure") or "Khác")[:31]
    raise ValueError(f"unknown sheets_by {sheets_by!r} (year, province or procedure)")


def write_portal_export(path: Path, lines: Iterable[dict], sheets_by: str = "year") -> None:
    """Write a national e-procurement portal export (.xlsx, one sheet per year by default)."""
    portal_positions(path, lines, sheets_by, keep=False)


def portal_positions(
    path: Path, lines: Iterable[dict], sheets_by: str = "year", keep: bool = True
) -> list[tuple[str, int]]:
    """Write the export and return (sheet, Excel row) of each input line (keep=False: none)."""
    import xlsxwriter

    positions: list[tuple[str, int]] = []
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        bold, day = book.add_format({"bold": True}), book.add_format({"num_format": DATE_FORMAT})
        sheets: dict[str, list] = {}
        for line in lines:
            key = _sheet_key(line, sheets_by)
            if key not in sheets:
                sheets[key] = [book.add_worksheet(key), 0]
                sheets[key][0].write_row(0, 0, [title for title, _ in PORTAL_COLUMNS], bold)
            ws, count = sheets[key]
            count += 1
            sheets[key][1] = count
            for col, (_, name) in enumerate(PORTAL_COLUMNS):
                _portal_cell(ws, count, col, count if name is None else line.get(name), day,
                             text_date=bool(line.get("_date_as_text")))  # fmt: skip
            if keep:
                positions.append((key, count + 1))
        if not sheets:
            book.add_worksheet("Năm").write_row(0, 0, [title for title, _ in PORTAL_COLUMNS])
    return positions


def _portal_cell(ws: Any, row: int, col: int, value: Any, day: Any, *, text_date: bool) -> None:
    if isinstance(value, date):
        if text_date:
            ws.write_string(row, col, value.strftime("%d/%m/%Y"))
        else:
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
    elif isinstance(value, str):
        ws.write_string(row, col, value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value)


def write_social_security_csv(path: Path, lines: Iterable[dict]) -> None:
    """Write a social-security (BHXH) price export: UTF-8 with BOM, comma-separated."""
    social_security_positions(path, lines, keep=False)


def social_security_positions(
    path: Path, lines: Iterable[dict], keep: bool = True
) -> list[tuple[str, int]]:
    """Write the CSV and return ("", line number) of each line (keep=False: none)."""
    positions: list[tuple[str, int]] = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([name for name, _ in CSV_COLUMNS])
        for number, line in enumerate(lines, start=2):
            writer.writerow([_csv_cell(line, name) for _, name in CSV_COLUMNS])
            if keep:
                positions.append(("", number))
    return positions


def _csv_cell(line: dict, name: str | None) -> str:
    if name is None:
        when = line.get("decision_date")
        text = when.strftime("%d/%m/%Y") if isinstance(when, date) else str(when or "")
        return f"{line.get('decision_number') or ''} ngày {text}".strip()
    value = line.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_reference_prices(path: Path, rows: Sequence[dict]) -> None:
    """Write a reference-price table: one header row, dates as Excel dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Giá tham chiếu"
    ws.append(REFERENCE_PRICE_HEADERS)
    keys = ("active_ingredient", "strength", "dosage_form", "unit", "price", "source",
            "valid_from", "valid_to")  # fmt: skip
    for row in rows:
        ws.append([row.get(key) for key in keys])
        for cell in ws[ws.max_row][6:8]:
            cell.number_format = DATE_FORMAT
    wb.save(path)


def write_reference_list(path: Path, list_type: str, rows: Sequence[dict]) -> None:
    """Write a Ministry reference list: title, legal basis, header on row 4, items below."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh mục"
    width = len(REFERENCE_LIST_HEADERS)
    ws.cell(row=1, column=1, value=LIST_TITLES[list_type])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=1, value=LIST_BASIS[list_type])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for col, title in enumerate(REFERENCE_LIST_HEADERS, start=1):
        ws.cell(row=4, column=col, value=title)
    for number, row in enumerate(rows, start=1):
        route_form = f"{row['route']}, {row['dosage_form'][:1].lower()}{row['dosage_form'][1:]}"
        values = (number, row["active_ingredient"], row["strength"], route_form, row["unit"],
                  row["group"])  # fmt: skip
        for col, value in enumerate(values, start=1):
            ws.cell(row=4 + number, column=col, value=value)
    wb.save(path)
