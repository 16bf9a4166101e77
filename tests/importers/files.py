"""Write the spreadsheets the importer tests read: real files, generated into tmp_path.

No binary fixture is committed; every workbook is produced here by the same libraries officers'
tools resemble (openpyxl and xlsxwriter for .xlsx, xlwt for .xls) or, for the damaged and hostile
cases calamine must never see, assembled byte by byte. Any test module may import these helpers.
"""

from __future__ import annotations

import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import openpyxl
import xlsxwriter
import xlwt

Rows = Sequence[Sequence[object]]

VIETNAMESE_HEADER = ["STT", "Tên hoạt chất", "Nồng độ", "Đơn giá", "Nước sản xuất"]
VIETNAMESE_ROWS: list[list[object]] = [
    VIETNAMESE_HEADER,
    ["1", "Paracetamol", "500mg", "1.200", "Việt Nam"],
    ["2", "Amoxicilin; viên nang", "250mg", "850,5", "Ấn Độ"],
    ["3", 'Vitamin "C"', "", "12000", "Việt Nam"],
    ["4", "Dòng 1\nDòng 2", "1g", "3,000", "Đức"],
]

_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_ODS_MANIFEST = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def write_xlsx(
    path: Path,
    sheets: dict[str, Rows],
    merged: dict[str, Iterable[str]] | None = None,
    hidden: Iterable[str] = (),
    start: str = "A1",
) -> Path:
    """Write a workbook with openpyxl (inline strings, no formula cache), one sheet per entry."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    first_row, first_col = openpyxl.utils.cell.coordinate_to_tuple(start)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(first_row + r, first_col + c, value)
        for cell_range in (merged or {}).get(name, ()):
            sheet.merge_cells(cell_range)
        sheet.sheet_state = "hidden" if name in set(hidden) else "visible"
    book.save(path)
    return path


def write_xlsx_shared(
    path: Path,
    sheets: dict[str, Rows],
    merged: dict[str, Iterable[tuple[int, int, int, int, object]]] | None = None,
    date1904: bool = False,
    formulas: Iterable[tuple[str, str, str, object]] = (),
) -> Path:
    """Write a workbook with xlsxwriter (shared strings, dates formatted, cached formula values).

    merged maps a sheet to (first_row, first_col, last_row, last_col, value), 0-based;
    formulas are (sheet, cell, formula, cached value).
    """
    book = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    moment_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, moment_format)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)  # write() would take "=..." as a formula
                elif value is not None:
                    sheet.write(r, c, value)
        for first_row, first_col, last_row, last_col, value in (merged or {}).get(name, ()):
            sheet.merge_range(first_row, first_col, last_row, last_col, value)
    for name, cell, formula, value in formulas:
        book.get_worksheet_by_name(name).write_formula(cell, formula, None, value)
    book.close()
    return path


def write_big_xlsx(path: Path, rows: int, columns: int = 20) -> Path:
    """Write a rows x columns sheet in constant memory: text, numbers and dates mixed."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, [f"Cột {c}" for c in range(columns)])
    for r in range(1, rows + 1):
        for c in range(columns):
            if c % 4 == 0:
                sheet.write_string(r, c, f"Thuốc {r % 997}")
            elif c % 4 == 3:
                sheet.write_datetime(r, c, datetime(2024, 1, 1 + r % 28), date_format)
            else:
                sheet.write_number(r, c, r * 1.5 + c)
    book.close()
    return path


def write_xls(
    path: Path,
    sheets: dict[str, Rows],
    merged: dict[str, Iterable[tuple[int, int, int, int, object]]] | None = None,
    hidden: Iterable[str] = (),
) -> Path:
    """Write a .xls (BIFF8) with xlwt; dates get a dd/mm/yyyy style; merges via write_merge."""
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write(r, c, value, date_style)
                elif value is not None:
                    sheet.write(r, c, value)
        for first_row, last_row, first_col, last_col, value in (merged or {}).get(name, ()):
            sheet.write_merge(first_row, last_row, first_col, last_col, value)
        if name in set(hidden):
            sheet.visibility = 1
    book.save(str(path))
    return path


def encode_cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: base letters precomposed, tone marks combining."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONE_MARKS))
            out += base.encode("cp1258")
            out += "".join(p for p in parts if p in _TONE_MARKS).encode("cp1258")
    return bytes(out)


def csv_text(rows: Rows, delimiter: str = ",") -> str:
    """Render rows as CSV text, quoting fields that hold the separator, quotes or newlines."""
    lines = []
    for row in rows:
        fields = []
        for value in row:
            text = "" if value is None else str(value)
            if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
                text = '"' + text.replace('"', '""') + '"'
            fields.append(text)
        lines.append(delimiter.join(fields))
    return "\r\n".join(lines) + "\r\n"


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """Write rows as CSV bytes in the given encoding ("cp1258" writes combining tone marks)."""
    text = csv_text(rows, delimiter)
    path.write_bytes(encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    """Write a zip holding the given members (deflated)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def write_zip_bomb(path: Path, megabytes: int = 300) -> Path:
    """Write an .xlsx-looking zip whose sheet inflates to `megabytes` of zeros.

    One megabyte of zeros is deflated once, ended with a full flush so the block stands alone,
    and that block is written `megabytes` times: a valid ~1000:1 member in well under a second
    and a few kilobytes of memory.
    """
    chunk = b"\0" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    members = [_deflated("[Content_Types].xml", b"<Types/>"), _deflated("xl/workbook.xml", b"<w/>")]
    members.append(("xl/worksheets/sheet1.xml", [block] * megabytes + [tail], crc, megabytes << 20))
    with open(path, "wb") as fh:
        _write_raw_zip(fh, members)
    return path


_Member = tuple[str, list[bytes], int, int]  # name, deflated pieces, crc32, uncompressed size


def _deflated(name: str, data: bytes) -> _Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, [packer.compress(data) + packer.flush()], zlib.crc32(data), len(data)


def _write_raw_zip(fh: BinaryIO, members: list[_Member]) -> None:
    directory = b""
    for name, pieces, crc, size in members:
        offset, raw = fh.tell(), name.encode()
        packed = sum(len(p) for p in pieces)
        fields = (20, 0, 8, 0, 0x21, crc, packed, size, len(raw))
        fh.write(struct.pack("<4sHHHHHIIIHH", b"PK\3\4", *fields, 0) + raw)
        for piece in pieces:
            fh.write(piece)
        directory += struct.pack("<4sH", b"PK\1\2", 20) + struct.pack("<HHHHHIIIH", *fields)
        directory += struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset) + raw
    start = fh.tell()
    fh.write(directory)
    count = len(members)
    fh.write(struct.pack("<4sHHHHIIH", b"PK\5\6", 0, 0, count, count, len(directory), start, 0))


def write_raw_xlsx(
    path: Path,
    sheets: dict[str, str],
    shared_strings: Sequence[str] = (),
    styles: str | None = None,
    hidden: Iterable[str] = (),
    date1904: bool = False,
) -> Path:
    """Assemble an .xlsx from hand-written <sheetData> XML, for cases no library writes."""
    names = list(sheets)
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": f'<Types xmlns="{_CT}"/>',
        "_rels/.rels": _rels([("officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": _workbook_xml(names, set(hidden), date1904),
        "xl/_rels/workbook.xml.rels": _rels(
            [("worksheet", f"worksheets/sheet{i + 1}.xml") for i in range(len(names))]
            + [("sharedStrings", "sharedStrings.xml"), ("styles", "styles.xml")]
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">{"".join(shared_strings)}</sst>',
        "xl/styles.xml": styles
        or f'<styleSheet xmlns="{_MAIN}"><cellXfs count="1"><xf/></cellXfs></styleSheet>',
    }
    for i, body in enumerate(sheets.values()):
        members[f"xl/worksheets/sheet{i + 1}.xml"] = (
            f'<worksheet xmlns="{_MAIN}">{body}</worksheet>'
        )
    return write_zip(path, members)


def _rels(links: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{_DOC}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(links)
    )
    return f'<Relationships xmlns="{_REL}">{items}</Relationships>'


def _workbook_xml(names: list[str], hidden: set[str], date1904: bool) -> str:
    sheets = "".join(
        f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"'
        f"{' state=' + chr(34) + 'hidden' + chr(34) if name in hidden else ''}/>"
        for i, name in enumerate(names)
    )
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    return f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}">{pr}<sheets>{sheets}</sheets></workbook>'


def write_ods(path: Path, name: str, rows: Rows) -> Path:
    """Write a minimal OpenDocument spreadsheet (strings and numbers) by hand."""
    cells = []
    for row in rows:
        items = "".join(
            f'<table:table-cell office:value-type="float" office:value="{v}"/>'
            if isinstance(v, int | float)
            else f'<table:table-cell office:value-type="string"><text:p>{v}</text:p>'
            "</table:table-cell>"
            for v in row
        )
        cells.append(f"<table:table-row>{items}</table:table-row>")
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{"".join(cells)}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
    return path


def write_ole(path: Path, streams: Sequence[str]) -> Path:
    """Write a minimal OLE compound file whose directory names the given (empty) streams.

    With "EncryptionInfo" and "EncryptedPackage" it is what Excel saves for a password-protected
    .xlsx; the streams are empty because only the directory is ever inspected.
    """
    sector = 512
    free, end_of_chain, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(sector)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 4096)  # 1 FAT sector, directory at 1
    struct.pack_into("<IIII", header, 0x3C, end_of_chain, 0, end_of_chain, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end_of_chain, *([free] * 126))
    entries = [("Root Entry", 5, 1 if streams else no_stream, no_stream)]
    for i, name in enumerate(streams):
        right = i + 2 if i + 1 < len(streams) else no_stream
        entries.append((name, 2, no_stream, right))
    directory = bytearray(sector)
    for i, (name, kind, child, right) in enumerate(entries[:4]):
        raw = name.encode("utf-16-le") + b"\0\0"
        base = i * 128
        directory[base : base + len(raw)] = raw
        struct.pack_into("<HBB", directory, base + 0x40, len(raw), kind, 1)
        struct.pack_into("<III", directory, base + 0x44, no_stream, right, child)
        struct.pack_into("<I", directory, base + 0x74, end_of_chain)
    path.write_bytes(bytes(header) + fat + bytes(directory))
    return path


def truncate(source: Path, target: Path) -> Path:
    """Write the first half of a file's bytes, as an interrupted download leaves it."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target
