"""Award lists laid out as hospitals publish them, built in code for the import tests.

Each builder returns the grid (rows of cells, row 1 first) and the merged ranges, so a test knows
exactly which Excel row holds which line and can assert on row numbers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

HEADER_TOP = [
    "STT", "Tên thuốc", "Tên hoạt chất", "Nồng độ, hàm lượng", "Đường dùng", "Dạng bào chế",
    "Quy cách đóng gói", "Nhóm thuốc", "GĐKLH hoặc GPNK", "Cơ sở sản xuất", "Nước sản xuất",
    "Đơn vị tính", "Số lượng", "Giá (VND)", None, "Thành tiền (VND)", "Nhà thầu trúng thầu",
]  # fmt: skip
PRICE_CHILDREN = ("Giá kế hoạch", "Đơn giá trúng thầu")
PLAIN = {
    "Tên thuốc": "Ten thuoc", "Tên hoạt chất": "Ten hoat chat",
    "Nồng độ, hàm lượng": "Nong do, ham luong", "Đường dùng": "Duong dung",
    "Dạng bào chế": "Dang bao che", "Quy cách đóng gói": "Quy cach dong goi",
    "Nhóm thuốc": "Nhom thuoc", "GĐKLH hoặc GPNK": "GDKLH hoac GPNK",
    "Cơ sở sản xuất": "Co so san xuat", "Nước sản xuất": "Nuoc san xuat",
    "Đơn vị tính": "Don vi tinh", "Số lượng": "So luong", "Giá (VND)": "Gia (VND)",
    "Thành tiền (VND)": "Thanh tien (VND)", "Nhà thầu trúng thầu": "Nha thau trung thau",
    "Giá kế hoạch": "Gia ke hoach", "Đơn giá trúng thầu": "Don gia trung thau",
}  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One award line of a published list."""

    name: str
    ingredient: str
    strength: str
    route: str
    form: str
    packaging: str
    group: str
    registration: str
    manufacturer: str
    country: str
    unit: str
    quantity: object
    planned: object
    price: object
    supplier: str

    def cells(self, number: int) -> list[object]:
        """Return the row as published: STT, the columns, and the amount."""
        amount = None
        if isinstance(self.quantity, int | float) and isinstance(self.price, int | float):
            amount = self.quantity * self.price
        return [
            number, self.name, self.ingredient, self.strength, self.route, self.form,
            self.packaging, self.group, self.registration, self.manufacturer, self.country,
            self.unit, self.quantity, self.planned, self.price, amount, self.supplier,
        ]  # fmt: skip


PARACETAMOL = Line(
    "Hapacol 500",
    "Paracetamol",
    "500mg",
    "Uống",
    "Viên nén",
    "Hộp 10 vỉ x 10 viên",
    "N4",
    "VD-12345-19",
    "Công ty CP Dược Hậu Giang",
    "Việt Nam",
    "Viên",
    10000,
    400,
    380,
    "Công ty CP Dược phẩm Trung ương CPC1",
)
AUGMENTIN = Line(
    "Augmentin 1g",
    "Amoxicilin + Acid clavulanic",
    "875mg + 125mg",
    "Uống",
    "Viên nén bao phim",
    "Hộp 2 vỉ x 7 viên",
    "BDG",
    "VN-23456-20",
    "SmithKline Beecham",
    "Anh",
    "Viên",
    2000,
    16000,
    15500,
    "Công ty TNHH Zuellig Pharma Việt Nam",
)
CEFTRIAXON_BOX = Line(
    "Ceftriaxon 1g",
    "Ceftriaxon",
    "1g",
    "Tiêm",
    "Bột pha tiêm",
    "Hộp 10 lọ",
    "N2",
    "893110012345",
    "Công ty CP Dược phẩm Imexpharm",
    "Việt Nam",
    "Hộp",
    50,
    300000,
    290000,
    "Công ty CP Vimedimex",
)
VACCINE = Line(
    "Quinvaxem",
    "Vắc xin 5 trong 1 (DTP-VGB-Hib)",
    "0,5ml/liều",
    "Tiêm",
    "Hỗn dịch tiêm",
    "Hộp 1 lọ 1 liều",
    "N1",
    "QLVX-1234-20",
    "Janssen Vaccines",
    "Hàn Quốc",
    "Liều",
    3000,
    120000,
    119800,
    "Công ty CP Vimedimex",
)
LINES = (PARACETAMOL, AUGMENTIN, CEFTRIAXON_BOX, VACCINE)


@dataclass
class Grid:
    """A sheet as rows of cells (row 1 first) with merged ranges, 0-based inclusive."""

    rows: list[list[object]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    data_rows: dict[int, Line] = field(default_factory=dict)  # Excel row number -> line

    def add(self, *cells: object) -> int:
        """Append a row; return its Excel row number."""
        self.rows.append(list(cells))
        return len(self.rows)


def hospital_list(
    groups: dict[str, list[Line]] | None = None,
    *,
    diacritics: bool = True,
    nfd: bool = False,
    title: bool = True,
) -> Grid:
    """Build a result list: title block, two-row merged header, numbering, sections, total."""
    groups = groups or {
        "I. THUỐC GENERIC": [PARACETAMOL, CEFTRIAXON_BOX],
        "II. BIỆT DƯỢC GỐC": [AUGMENTIN, VACCINE],
    }
    grid = Grid()
    if title:
        grid.add("SỞ Y TẾ TỈNH NGHỆ AN", *[None] * 8, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        grid.add("BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN", *[None] * 8, "Độc lập - Tự do - Hạnh phúc")
        grid.add()
        grid.add("DANH MỤC THUỐC TRÚNG THẦU")
        grid.merged.append((3, 0, 3, 16))
        grid.add("(Kèm theo Quyết định số 215/QĐ-BV ngày 15/03/2025 của Giám đốc Bệnh viện)")
        grid.add("Gói thầu: Cung cấp thuốc generic năm 2025 - Mã TBMT: IB2500012345")
        grid.add()
    top = len(grid.rows)
    grid.add(*[_text(h, diacritics, nfd) for h in HEADER_TOP])
    grid.add(*[None] * 13, *[_text(h, diacritics, nfd) for h in PRICE_CHILDREN])
    for col in range(17):
        if col not in (13, 14):
            grid.merged.append((top, col, top + 1, col))
    grid.merged.append((top, 13, top, 14))
    grid.add(*[f"({n})" for n in range(1, 18)])
    number, total = 0, 0.0
    for section, lines in groups.items():
        grid.add(section)
        for line in lines:
            number += 1
            cells = line.cells(number)
            total += cells[15] or 0
            grid.data_rows[grid.add(*cells)] = line
    grid.add(None, "Tổng cộng", *[None] * 13, total)
    grid.add()
    grid.add(None, None, "Nghệ An, ngày 20 tháng 03 năm 2025")
    grid.add(None, "NGƯỜI LẬP BIỂU", None, None, "TRƯỞNG KHOA DƯỢC", None, None, "GIÁM ĐỐC")
    grid.add(None, "Nguyễn Văn An", None, None, "Trần Thị Bình", None, None, "Lê Văn Cường")
    return grid


def _text(header: str | None, diacritics: bool, nfd: bool) -> str | None:
    if header is None:
        return None
    text = header if diacritics else PLAIN.get(header, header)
    return unicodedata.normalize("NFD", text) if nfd else text


def save_xlsx(path: Path, sheets: dict[str, Grid]) -> Path:
    """Write grids as sheets of a real .xlsx with their merged ranges."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, grid in sheets.items():
        sheet = workbook.create_sheet(title)
        for number, row in enumerate(grid.rows, start=1):
            sheet.append(row)
            for column, value in enumerate(row, start=1):
                if isinstance(value, str) and value.startswith("="):
                    sheet.cell(number, column).data_type = "s"  # formula-like text, as typed
        for first_row, first_col, last_row, last_col in grid.merged:
            sheet.merge_cells(
                start_row=first_row + 1,
                start_column=first_col + 1,
                end_row=last_row + 1,
                end_column=last_col + 1,
            )
    workbook.save(path)
    return path
