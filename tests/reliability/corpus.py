"""The bad-input corpus: every kind of file officers (and attackers) send, generated in code.

Each case is a named generator that writes one file into a folder and says what must happen to
it: REFUSED (the whole file, one sentence naming the problem, nothing written) or ROWS (imported,
the bad rows reported with row, column, value and reason, the good rows kept). The same corpus
is fed to `procurement import` and to the upload page, so the two entry points are held to the
same outcome. The writers of tests/importers are reused; only what they lack is built here.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import get_column_letter

from tests.importers.files import (
    csv_text,
    truncate,
    write_csv,
    write_ods,
    write_ole,
    write_xls,
    write_xlsx,
    write_xlsx_shared,
    write_zip,
    write_zip_bomb,
)
from tests.importers.published import (
    AUGMENTIN,
    CEFTRIAXON_BOX,
    PARACETAMOL,
    VACCINE,
    Grid,
    Line,
    hospital_list,
    save_xlsx,
)

REFUSED, ROWS = "refused", "rows"
BOMB_MEGABYTES = 2048  # what the bomb would inflate to: far above any test process's memory
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
FORMULAS = ('=HYPERLINK("http://evil.example","bấm")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)")
LONG_TEXT = 100_000
HUGE_TEXT = 2_000_000

Writer = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    """One bad file: how to write it and what the importer must do with it.

    `refusal` is a fragment of the English sentence a REFUSED file gets; `accepted` and `errors`
    ((column letter, field, error type) triples, row numbers checked apart) describe a ROWS file;
    `stored` are texts that must reach the database intact (encodings, hostile cells), or
    (field, value) pairs some stored line must hold (parsed numbers).
    """

    id: str
    name: str
    write: Writer
    expect: str
    refusal: str = ""
    accepted: int = 0
    errors: frozenset[tuple[str | None, str | None, str]] = frozenset()
    stored: tuple[str | tuple[str, object], ...] = ()
    big: bool = False  # generated once per test session

    def build(self, folder: Path) -> Path:
        """Write the case's file into the folder; return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        return self.write(folder / self.name)


# --- building blocks ----------------------------------------------------------------------------


def _list(lines: list[Line], **options: object) -> Grid:
    return hospital_list({"I. THUỐC": lines}, **options)  # type: ignore[arg-type]


def _good() -> Grid:
    return hospital_list()


def _ranges(grid: Grid) -> list[str]:
    return [
        f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"
        for r1, c1, r2, c2 in grid.merged
    ]


def _xlsx(grid_of: Callable[[], Grid]) -> Writer:
    return lambda path: save_xlsx(path, {"DS": grid_of()})


def _csv(encoding: str, delimiter: str = ",") -> Writer:
    return lambda path: write_csv(path, _good().rows, encoding, delimiter)


def _bytes(content: bytes) -> Writer:
    def write(path: Path) -> Path:
        path.write_bytes(content)
        return path

    return write


def _rewrite_sheet(path: Path, edit: Callable[[str], str]) -> Path:
    """Rewrite the first worksheet's XML of a saved workbook (what no library would write)."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = edit(members[sheet].decode()).encode()
    path.unlink()
    return write_zip(path, members)  # type: ignore[arg-type]


# --- files that are not spreadsheets ----------------------------------------------------------


def _text_named_xlsx(path: Path) -> Path:
    path.write_text("STT,Tên thuốc,Đơn giá\n1,Paracetamol,1200\n", encoding="utf-8")
    return path


def _truncated(path: Path) -> Path:
    whole = save_xlsx(path.with_name("whole.xlsx"), {"DS": _good()})
    return truncate(whole, path)


def _bomb(path: Path) -> Path:
    return write_zip_bomb(path, megabytes=BOMB_MEGABYTES)


def _encrypted(path: Path) -> Path:
    return write_ole(path, ["EncryptionInfo", "EncryptedPackage"])


def _xlsb(path: Path) -> Path:
    return write_zip(path, {"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x83\x01\0"})


def _docx(path: Path) -> Path:
    members = {"[Content_Types].xml": "wordprocessingml", "word/document.xml": "<w:document/>"}
    return write_zip(path, members)


def _html_table(path: Path) -> Path:
    cells = "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in row) + "</tr>"
        for row in _good().rows
    )
    head = '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><table border=1>'
    path.write_text(f"{head}{cells}</table></body></html>", encoding="utf-8")
    return path


def _xml_2003(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row><Cell><Data>STT</Data></Cell></Row></Table></Worksheet>"
        "</Workbook>",
        encoding="utf-8",
    )
    return path


# --- workbooks with no table --------------------------------------------------------------------


def _only_sheet_empty(path: Path) -> Path:
    return write_xlsx(path, {"Sheet1": []})


def _merged_header_over_nothing(path: Path) -> Path:
    rows: list[list[object]] = [["DANH MỤC THUỐC TRÚNG THẦU"], [], [None]]
    return write_xlsx(path, {"DS": rows}, merged={"DS": ["A1:Q1", "A3:A4", "B3:P4"]})


def _header_only(path: Path) -> Path:
    grid = _good()
    first_data = min(grid.data_rows)
    grid.rows = grid.rows[: first_data - 2]  # title, header and numbering row, no line
    return save_xlsx(path, {"DS": grid})


def _no_price_column(path: Path) -> Path:
    grid = _good()
    for row in grid.rows:
        del row[13:15]
    grid.merged = [m for m in grid.merged if m[1] < 13]
    return save_xlsx(path, {"DS": grid})


def _no_buyer(path: Path) -> Path:
    return save_xlsx(path, {"DS": hospital_list(title=False)})


def _hidden_only(path: Path) -> Path:
    grid = _good()
    return write_xlsx(
        path,
        {"Ghi chú": [["Xem trang ẩn"]], "DS": grid.rows},
        merged={"DS": _ranges(grid)},
        hidden={"DS"},
    )


def _many_sheets(path: Path) -> Path:
    sheets = {f"Trang {n}": [[f"ghi chú {n}"]] for n in range(300)}
    return write_xlsx_shared(path, sheets)


# --- workbooks that import, with their bad rows reported ---------------------------------------


def _xls_renamed(path: Path) -> Path:
    grid = _good()
    merged = {"DS": [(r1, r2, c1, c2, grid.rows[r1][c1]) for r1, c1, r2, c2 in grid.merged]}
    for r1, c1, r2, c2 in grid.merged:  # write_merge writes the value; the cells stay empty
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if r < len(grid.rows) and c < len(grid.rows[r]):
                    grid.rows[r][c] = None
    return write_xls(path, {"DS": grid.rows}, merged)


def _ods(path: Path) -> Path:
    return write_ods(path, "DS", [["" if v is None else v for v in row] for row in _good().rows])


def _hidden_sheet(path: Path) -> Path:
    grid, hidden = _good(), _list([replace(PARACETAMOL, price="không đọc")])
    return write_xlsx(
        path,
        {"DS": grid.rows, "Nháp": hidden.rows},
        merged={"DS": _ranges(grid), "Nháp": _ranges(hidden)},
        hidden={"Nháp"},
    )


def _formulas_cached(path: Path) -> Path:
    grid = _good()
    merged = {"DS": [(r1, c1, r2, c2, grid.rows[r1][c1]) for r1, c1, r2, c2 in grid.merged]}
    formulas = []
    for row, line in grid.data_rows.items():
        price = line.price
        formulas.append(("DS", f"O{row}", 'WEBSERVICE("http://evil.example/x")', price))
        formulas.append(("DS", f"P{row}", f"M{row}*O{row}", line.quantity * price))  # type: ignore[operator]
    return write_xlsx_shared(path, {"DS": grid.rows}, merged=merged, formulas=formulas)


def _formula_without_cache(path: Path) -> Path:
    grid = _good()
    row = min(grid.data_rows)
    grid.rows[row - 1][14] = f"=N{row}*0.95"  # openpyxl stores no cached value: it reads empty
    return write_xlsx(path, {"DS": grid.rows}, merged={"DS": _ranges(grid)})


def _duplicate_headers(grid_of: Callable[[], Grid] = _good) -> Writer:
    def write(path: Path) -> Path:
        grid = grid_of()
        top = next(i for i, row in enumerate(grid.rows) if row and row[0] == "STT")
        grid.rows[top][16] = "Tên thuốc"  # the supplier column is headed like column B
        return save_xlsx(path, {"DS": grid})

    return write


def _every_row_invalid() -> Grid:
    return _list([replace(line, price="abc", quantity="nhiều") for line in (PARACETAMOL, VACCINE)])


QUANTITIES_AND_PRICES = [
    replace(PARACETAMOL, quantity=-5),
    replace(AUGMENTIN, quantity=0),
    replace(CEFTRIAXON_BOX, price=0),
    replace(VACCINE, price=-119800),
    replace(PARACETAMOL, name="Hapacol 650", quantity=10**15),
    replace(AUGMENTIN, name="Augmentin 625", price=10**14),
    replace(CEFTRIAXON_BOX, name="Ceftriaxon 2g"),
]


def _dates(path: Path) -> Path:
    grid = _list([PARACETAMOL, AUGMENTIN, CEFTRIAXON_BOX, VACCINE])
    top = next(i for i, row in enumerate(grid.rows) if row and row[0] == "STT")
    grid.rows[top].append("Ngày quyết định")
    days = iter([date(2025, 3, 15), date(2099, 1, 1), date(1995, 6, 30), "31/02/2025"])
    for row in sorted(grid.data_rows):
        grid.rows[row - 1].append(next(days))
    return write_xlsx(path, {"DS": grid.rows}, merged={"DS": _ranges(grid)})


def _money_texts() -> Grid:
    return _list(
        [
            replace(PARACETAMOL, price="12.000 đ", planned="12.500 đ"),
            replace(AUGMENTIN, quantity="1,2E+05"),
        ]
    )


def _long(length: int) -> Callable[[], Grid]:
    return lambda: _list([replace(PARACETAMOL, name="Hapacol " + "x" * length), AUGMENTIN])


CONTROLS = "".join(chr(c) for c in range(32))


def _controls() -> Grid:
    """A kept line with every control character in its name, a rejected one with them too."""
    return _list(
        [
            replace(PARACETAMOL, name=f"Hapacol{CONTROLS}500", supplier=f"CPC1\x00{CONTROLS}"),
            replace(AUGMENTIN, price=f"15{CONTROLS}500x", manufacturer="Smith\x00Kline"),
        ]
    )


def _controls_xlsx(path: Path) -> Path:
    grid = _controls()
    merged = {"DS": [(r1, c1, r2, c2, grid.rows[r1][c1]) for r1, c1, r2, c2 in grid.merged]}
    return write_xlsx_shared(path, {"DS": grid.rows}, merged=merged)  # _xHHHH_ escapes


def _controls_csv(path: Path) -> Path:
    """Every control character once, in a file of ordinary size (a dense run reads as binary)."""
    grid = _list(
        [
            replace(PARACETAMOL, name=f"Hapacol{CONTROLS}500"),
            replace(AUGMENTIN, price="15\x00500x", manufacturer="Smith\x00Kline"),
            CEFTRIAXON_BOX,
            VACCINE,
        ]
    )
    return write_csv(path, grid.rows)


def _hostile_cells() -> Grid:
    return _list(
        [
            replace(PARACETAMOL, name=SCRIPT, supplier=IMAGE, price=420, planned=400),
            replace(AUGMENTIN, name='Augmentin"><svg onload=alert(3)>', price="<b>x</b>"),
        ]
    )


def _formula_text_cells() -> Grid:
    """Formula-like text in kept lines (one priced above plan, so it is flagged) and in a
    rejected one, so every export and the error report carry them."""
    lines = [replace(PARACETAMOL, price=420, planned=400), AUGMENTIN, CEFTRIAXON_BOX, VACCINE]
    kept = [
        replace(line, name=text, supplier=text) for line, text in zip(lines, FORMULAS, strict=True)
    ]
    return _list([*kept, replace(AUGMENTIN, name="Augmentin 625", price="=1+1")])


def _header_on_row_35(path: Path) -> Path:
    grid = _good()
    top = next(i for i, row in enumerate(grid.rows) if row and row[0] == "STT")
    pad = 34 - top
    notes = [[f"Ghi chú {n}: xem hướng dẫn"] if n % 3 == 0 else [] for n in range(pad)]
    grid.rows[top:top] = notes
    grid.merged = [
        (r1 + pad, c1, r2 + pad, c2) if r1 >= top else (r1, c1, r2, c2)
        for r1, c1, r2, c2 in grid.merged
    ]
    return save_xlsx(path, {"DS": grid})


def _mixed_delimiters(path: Path) -> Path:
    text = csv_text(_good().rows, ";")
    lines = text.split("\r\n")
    lines[-3] = lines[-3].replace(";", ",")  # one signature line typed with commas
    path.write_text("\r\n".join(lines), encoding="utf-8")
    return path


def _stray_byte(path: Path) -> Path:
    raw = csv_text(_good().rows).encode()
    at = raw.index(b"Hapacol")
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])
    return path


def _huge_dimension(path: Path) -> Path:
    save_xlsx(path, {"DS": _good()})
    return _rewrite_sheet(
        path,
        lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml),
    )


def _million_empty_rows(path: Path) -> Path:
    save_xlsx(path, {"DS": _good()})
    empty = "".join(f'<row r="{r}" spans="1:16384"/>' for r in range(40, 1_048_577))
    wide = '<row r="39"><c r="XFD39" s="0"/></row>'
    return _rewrite_sheet(
        path, lambda xml: xml.replace("</sheetData>", wide + empty + "</sheetData>")
    )


def _two_million_in_a_cell(path: Path) -> Path:
    path.write_bytes(
        csv_text(_list([replace(PARACETAMOL, name="x" * HUGE_TEXT), AUGMENTIN]).rows).encode()
    )
    return path


def _unclosed_quote(path: Path) -> Path:
    path.write_text(csv_text(_good().rows) + '5,"Quinvaxem\n' + "y" * 200_000, encoding="utf-8")
    return path


VI = ("Vắc xin 5 trong 1 (DTP-VGB-Hib)", "Công ty CP Dược Hậu Giang", "Hộp 1 lọ 1 liều")

CASES: list[Case] = [
    # refused: not a spreadsheet, or not one this system reads
    Case("empty-file", "trong.xlsx", _bytes(b""), REFUSED, "The file is empty"),
    Case("text-named-xlsx", "ket-qua.xlsx", _text_named_xlsx, REFUSED, "not a valid Excel"),
    Case("truncated-zip", "cat-ngang.xlsx", _truncated, REFUSED, "not a valid Excel"),
    Case("zip-bomb", "bom.xlsx", _bomb, REFUSED, "(over 2 GB)", big=True),
    Case("password-protected", "mat-khau.xlsx", _encrypted, REFUSED, "password-protected"),
    Case("xlsb", "nhi-phan.xlsb", _xlsb, REFUSED, "binary workbook (.xlsb)"),
    Case("xlsb-named-xlsx", "nhi-phan.xlsx", _xlsb, REFUSED, "binary workbook (.xlsb)"),
    Case("pdf", "quyet-dinh.pdf", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), REFUSED, "PDF"),
    Case("pdf-named-xlsx", "quyet-dinh.xlsx", _bytes(b"%PDF-1.4\n1 0 obj<<>>"), REFUSED, "PDF"),
    Case(
        "png-named-xls",
        "anh-chup.xls",
        _bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        REFUSED,
        "an image",
    ),
    Case(
        "rar-named-xlsx",
        "nen.xlsx",
        _bytes(b"Rar!\x1a\x07\x01\0" + bytes(64)),
        REFUSED,
        "compressed archive",
    ),
    Case("docx-named-xlsx", "to-trinh.xlsx", _docx, REFUSED, "Word or PowerPoint"),
    Case("html-table-as-xls", "bao-cao.xls", _html_table, REFUSED, "web page (HTML)"),
    Case("excel-2003-xml", "bang.xls", _xml_2003, REFUSED, "Excel 2003 XML"),
    Case(
        "damaged-xls",
        "hong.xls",
        _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)),
        REFUSED,
        "not a valid Excel 97-2003",
    ),
    Case("binary-noise", "rac.csv", _bytes(bytes(range(256)) * 8), REFUSED, "not a spreadsheet"),
    Case("unclosed-quote-csv", "dang-do.csv", _unclosed_quote, REFUSED, "could not be read as CSV"),
    # refused: a spreadsheet without the table the importer needs
    Case("only-sheet-empty", "rong.xlsx", _only_sheet_empty, REFUSED, "No sheet (Sheet1)"),
    Case(
        "merged-header-over-nothing",
        "gop-o.xlsx",
        _merged_header_over_nothing,
        REFUSED,
        "has a table header",
    ),
    Case("header-only", "chi-tieu-de.xlsx", _header_only, REFUSED, "no line under it"),
    Case("no-price-column", "thieu-gia.xlsx", _no_price_column, REFUSED, "Unit price"),
    Case("no-buyer", "khong-tieu-de.xlsx", _no_buyer, REFUSED, "--set buyer="),
    Case(
        "list-only-on-hidden-sheet",
        "an.xlsx",
        _hidden_only,
        REFUSED,
        "hidden sheets (DS) are not read",
    ),
    Case(
        "300-sheets",
        "nhieu-trang.xlsx",
        _many_sheets,
        REFUSED,
        "No sheet (Trang 0, Trang 1, Trang 2, Trang 3, Trang 4 and 295 more)",
    ),
    # imported; bad rows reported row by row
    Case("xls-renamed-xlsx", "cu.xlsx", _xls_renamed, ROWS, accepted=4),
    Case("ods", "libre.ods", _ods, ROWS, accepted=4),
    Case("hidden-sheet", "co-trang-an.xlsx", _hidden_sheet, ROWS, accepted=4),
    Case("formulas-cached", "cong-thuc.xlsx", _formulas_cached, ROWS, accepted=4),
    Case(
        "formula-without-cache",
        "cong-thuc-trong.xlsx",
        _formula_without_cache,
        ROWS,
        accepted=3,
        errors=frozenset({("O", "unit_price", "missing-value")}),
    ),
    Case("csv-utf16", "utf16.csv", _csv("utf-16", "\t"), ROWS, accepted=4, stored=VI),
    Case("csv-cp1258", "cp1258.csv", _csv("cp1258", ";"), ROWS, accepted=4, stored=VI),
    Case("csv-utf8-bom", "bom.csv", _csv("utf-8-sig"), ROWS, accepted=4, stored=VI),
    Case("duplicate-headers", "trung-cot.xlsx", _duplicate_headers(), ROWS, accepted=4),
    Case(
        "every-row-invalid",
        "toan-loi.xlsx",
        _xlsx(_every_row_invalid),
        ROWS,
        accepted=0,
        errors=frozenset({("M", "quantity", "bad-number"), ("O", "unit_price", "bad-number")}),
    ),
    # a zero quantity or price is kept (quantity and prices have 0 as their lower bound)
    Case(
        "quantities-and-prices",
        "so-luong.xlsx",
        _xlsx(lambda: _list(QUANTITIES_AND_PRICES)),
        ROWS,
        accepted=3,
        errors=frozenset(
            {
                ("M", "quantity", "out-of-range"),
                ("O", "unit_price", "out-of-range"),
                ("P", "amount", "out-of-range"),
            }
        ),
    ),
    Case(
        "dates-future-and-old",
        "ngay.xlsx",
        _dates,
        ROWS,
        accepted=1,
        errors=frozenset(
            {("R", "decision_date", "out-of-range"), ("R", "decision_date", "bad-date")}
        ),
    ),
    Case(
        "money-texts",
        "tien.xlsx",
        _xlsx(_money_texts),
        ROWS,
        accepted=2,
        stored=(("unit_price", 12000), ("planned_unit_price", 12500), ("quantity", 120000)),
    ),
    Case(
        "text-100k",
        "dai.xlsx",
        _xlsx(_long(LONG_TEXT)),
        ROWS,
        accepted=1,
        errors=frozenset({("B", "product_name", "too-long")}),
    ),
    Case(
        "text-2m-csv",
        "rat-dai.csv",
        _two_million_in_a_cell,
        REFUSED,
        "a cell is far too long",
        big=True,
    ),
    Case(
        "text-2m-xlsx",
        "rat-dai.xlsx",
        _xlsx(_long(HUGE_TEXT)),
        ROWS,
        accepted=1,
        errors=frozenset({("B", "product_name", "too-long")}),
        big=True,
    ),
    Case(
        "control-characters-xlsx",
        "dieu-khien.xlsx",
        _controls_xlsx,
        ROWS,
        accepted=1,
        errors=frozenset({("O", "unit_price", "bad-number")}),
        stored=("Hapacol 500",),
    ),
    Case(
        "control-characters-csv",
        "dieu-khien.csv",
        _controls_csv,
        ROWS,
        accepted=3,
        errors=frozenset({("O", "unit_price", "bad-number")}),
        stored=("Hapacol 500",),
    ),
    Case(
        "html-and-script",
        "kich-ban.xlsx",
        _xlsx(_hostile_cells),
        ROWS,
        accepted=1,
        errors=frozenset({("O", "unit_price", "bad-number")}),
        stored=(SCRIPT, IMAGE),
    ),
    Case(
        "formula-text-cells",
        "cong-thuc-chu.xlsx",
        _xlsx(_formula_text_cells),
        ROWS,
        accepted=4,
        errors=frozenset({("O", "unit_price", "bad-number")}),
        stored=FORMULAS,
    ),
    Case("header-on-row-35", "tieu-de-35.xlsx", _header_on_row_35, ROWS, accepted=4),
    Case("csv-mixed-delimiters", "lan.csv", _mixed_delimiters, ROWS, accepted=4),
    Case("csv-stray-binary-byte", "byte-la.csv", _stray_byte, ROWS, accepted=4),
    Case("dimension-claims-xfd1048576", "kich-thuoc.xlsx", _huge_dimension, ROWS, accepted=4),
    Case(
        "million-empty-rows-and-columns",
        "trieu-dong.xlsx",
        _million_empty_rows,
        ROWS,
        accepted=4,
        big=True,
    ),
]


# --- what the tests assert on, shared by both entry points --------------------------------------


def case_ids() -> list[str]:
    """Return every case's id, for parametrize."""
    return [case.id for case in CASES]


def by_id(case_id: str) -> Case:
    """Return the case of that id."""
    return next(case for case in CASES if case.id == case_id)


@dataclass(frozen=True)
class Written:
    """What the database and the data folder hold: lines, imported files, errors, copies."""

    lines: int
    imported: int
    row_errors: list[tuple[int, str | None, str | None, str, str | None, str]]
    stored_copies: int

    @property
    def nothing(self) -> bool:
        """Tell whether nothing at all was written."""
        return (self.lines, self.imported, len(self.row_errors), self.stored_copies) == (0,) * 4

    def since(self, before: Written) -> Written:
        """Return what changed after `before` (for a refused file: nothing)."""
        return Written(
            self.lines - before.lines,
            self.imported - before.imported,
            [e for e in self.row_errors if e not in before.row_errors],
            self.stored_copies - before.stored_copies,
        )


def written(sessions: Any, data_folder: Path, source: int | None = None) -> Written:
    """Count what files left behind: lines, imported files, row errors (of one file), copies."""
    from sqlalchemy import func, select

    from procurement.models import AwardLine, RowErrorRecord, SourceFile

    with sessions() as session:
        lines = session.scalar(select(func.count()).select_from(AwardLine)) or 0
        imported = session.scalar(
            select(func.count()).select_from(SourceFile).where(SourceFile.status == "imported")
        )
        query = select(RowErrorRecord).order_by(RowErrorRecord.id)
        if source is not None:
            query = query.where(RowErrorRecord.source_file_id == source)
        errors = [
            (e.row_number, e.column, e.field, e.type, e.value, e.note_vi)
            for e in session.scalars(query)
        ]
    copies = sum(1 for p in (data_folder / "files").rglob("*") if p.is_file())
    return Written(lines, imported or 0, errors, copies)


def stored_lines(sessions: Any, folder: Path, source: int | None = None) -> list[dict[str, Any]]:
    """Return the stored award lines (of one file) as the JSON export gives them."""
    import json

    from procurement.services.award_export import awards_export

    target = folder / "stored.json"
    with sessions() as session:
        awards_export(session, "json", target)
    lines = json.loads(target.read_text(encoding="utf-8"))
    return [line for line in lines if source is None or line["source_file_id"] == source]


def assert_rows_outcome(case: Case, found: Written, lines: list[dict[str, Any]]) -> None:
    """Assert a ROWS case: good lines kept, each bad row reported with where, what and why."""
    assert len(lines) == case.accepted  # (a line published again replaces the earlier one)
    assert {(column, name, kind) for _, column, name, kind, _, _ in found.row_errors} == set(
        case.errors
    )
    for row, _column, _name, _kind, _value, note in found.row_errors:
        assert row > 0 and note  # where, and why in the officer's language
    for expected in case.stored:
        if isinstance(expected, tuple):
            name, value = expected
            assert any(line[name] == value for line in lines), (name, value)
        else:
            assert any(expected in str(v) for line in lines for v in line.values()), expected
