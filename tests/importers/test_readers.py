"""The readers on real files: every workbook is written by a real library, then read back."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.errors import UNREADABLE_FILE, UNSUPPORTED_FORMAT, FileRefused
from importers.reading import Sheet, cfb, open_sheets, sniff, sniff_format
from importers.reading.cells import DATE, DURATION, format_kind
from importers.reading.refusals import refusal, refusal_kinds
from tests.importers.files import (
    VIETNAMESE_ROWS,
    encode_cp1258,
    truncate,
    write_big_xlsx,
    write_csv,
    write_ods,
    write_ole,
    write_raw_xlsx,
    write_xls,
    write_xlsx,
    write_xlsx_shared,
    write_zip,
    write_zip_bomb,
)

NEVER = 10**12  # a stream threshold no test file reaches: calamine reads everything


@dataclass
class Read:
    """One sheet read to the end, as plain data."""

    name: str
    index: int
    hidden: bool
    merged: list[tuple[int, int, int, int]]
    rows: list[list[object]]
    reader: str

    def typed(self) -> tuple[object, ...]:
        """Everything but the reader, cells typed (1 == 1.0 == True otherwise)."""
        rows = [[(type(v), v) for v in row] for row in self.rows]
        return (self.name, self.index, self.hidden, self.merged, rows)


def read(path: Path, threshold: int = NEVER) -> list[Read]:
    """Read every sheet to plain data, rows included."""
    return [
        Read(s.name, s.index, s.hidden, sorted(s.merged), list(s.rows), s.reader)
        for s in open_sheets(path, stream_threshold_cells=threshold)
    ]


def assert_paths_agree(path: Path) -> list[Read]:
    """Read a workbook with calamine and with the streaming parser; both must yield the same."""
    by_calamine, by_stream = read(path), read(path, threshold=0)
    assert {s.reader for s in by_calamine} == {"calamine"}
    assert {s.reader for s in by_stream} == {"stream"}
    assert [s.typed() for s in by_stream] == [s.typed() for s in by_calamine]
    return by_calamine


def refused(kind: str, call: Callable[..., object], *args: object, **values: str) -> FileRefused:
    """Assert that calling (and fully reading) raises the refusal of the given kind."""
    expected = refusal(kind, **values)
    with pytest.raises(FileRefused) as caught:
        result = call(*args)
        if not isinstance(result, str):
            read_all(cast(Iterable[Sheet], result))
    assert (caught.value.code, caught.value.note_en) == (expected.code, expected.note_en)
    return caught.value


def read_all(sheets: Iterable[Sheet]) -> None:
    """Consume every row of every sheet."""
    for sheet in sheets:
        list(sheet.rows)


# --- .xlsx ----------------------------------------------------------------------------------------

TITLE = "BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN"
HOSPITAL_ROWS: list[list[object]] = [
    [TITLE],
    [],
    ["STT", "Tên thuốc", "Giá (VND)", None, "Ngày"],
    [None, None, "Giá kế hoạch", "Đơn giá trúng thầu"],
    [1, "Paracetamol 500mg", 1200, 1150.5, date(2025, 3, 15)],
    [2, "Amoxicilin", 850, 800, datetime(2025, 3, 16, 8, 30), True],
]
HOSPITAL_MERGES = ["A1:E1", "C3:D3", "A3:A4", "B3:B4", "E3:E4"]


def hospital_xlsx(path: Path) -> Path:
    return write_xlsx(
        path,
        {"Kết quả": HOSPITAL_ROWS, "Ẩn": [["ghi chú"]]},
        merged={"Kết quả": HOSPITAL_MERGES},
        hidden={"Ẩn"},
    )


def test_xlsx_values_merged_header_and_hidden_sheet(tmp_path: Path) -> None:
    sheets = read(hospital_xlsx(tmp_path / "ket-qua.xlsx"))
    assert [(s.name, s.index, s.hidden) for s in sheets] == [
        ("Kết quả", 0, False),
        ("Ẩn", 1, True),
    ]
    assert sheets[0].merged == [
        (0, 0, 0, 4),
        (2, 0, 3, 0),
        (2, 1, 3, 1),
        (2, 2, 2, 3),
        (2, 4, 3, 4),
    ]
    assert sheets[0].rows == [
        [TITLE],
        [],
        ["STT", "Tên thuốc", "Giá (VND)", None, "Ngày"],
        [None, None, "Giá kế hoạch", "Đơn giá trúng thầu"],
        [1.0, "Paracetamol 500mg", 1200.0, 1150.5, date(2025, 3, 15)],
        [2.0, "Amoxicilin", 850.0, 800.0, datetime(2025, 3, 16, 8, 30), True],
    ]
    assert sheets[1].rows == [["ghi chú"]]


def test_sheet_fields_and_lazy_rows(tmp_path: Path) -> None:
    sheet = next(open_sheets(hospital_xlsx(tmp_path / "a.xlsx")))
    assert (sheet.reader, sheet.row_count) == ("calamine", 6)
    assert iter(sheet.rows) is sheet.rows  # an iterator, not a list
    assert next(sheet.rows) == [TITLE]


def test_formula_without_cached_value_reads_none(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", {"S": [[2, 3, "=A1*B1", "sau"]]})
    assert assert_paths_agree(path)[0].rows == [[2.0, 3.0, None, "sau"]]


def test_formula_cached_value_is_read_never_evaluated(tmp_path: Path) -> None:
    formulas = [("S", "C1", "=A1*B1", 999), ("S", "D1", '="a"&"b"', "cached text")]
    path = write_xlsx_shared(tmp_path / "f.xlsx", {"S": [[2, 3]]}, formulas=formulas)
    assert assert_paths_agree(path)[0].rows == [[2.0, 3.0, 999.0, "cached text"]]


def test_leading_empty_rows_keep_excel_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [["header"], ["value"]]}, start="A4")
    rows = assert_paths_agree(path)[0].rows
    assert rows == [[], [], [], ["header"], ["value"]]  # rows[3] is Excel row 4


def test_data_at_d5_keeps_column_positions(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [["a", None, "c"], [None, 5]]}, start="D5")
    rows = assert_paths_agree(path)[0].rows
    assert rows == [
        [],
        [],
        [],
        [],
        [None, None, None, "a", None, "c"],
        [None, None, None, None, 5.0],
    ]


def test_shared_strings_dates_and_1904_system(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Tên", "Ngày", "Lúc", "Có", "Số"],
        ["Việt Nam", date(2024, 2, 29), datetime(2024, 3, 1, 7, 5, 9), False, -12.25],
        [],
        [" khoảng trắng ", date(1904, 1, 2), None, True, 10**15],
    ]
    for date1904 in (False, True):
        path = write_xlsx_shared(tmp_path / f"d{date1904}.xlsx", {"S": rows}, date1904=date1904)
        got = assert_paths_agree(path)[0].rows
        assert got[1] == rows[1] and got[2] == []
        assert got[3] == rows[3]


def test_merged_header_from_xlsxwriter(tmp_path: Path) -> None:
    merged = {"S": [(0, 0, 0, 3, "Tiêu đề"), (1, 1, 2, 1, "Giá")]}
    path = write_xlsx_shared(tmp_path / "m.xlsx", {"S": [[], [], [], [1, 2, 3]]}, merged=merged)
    sheet = assert_paths_agree(path)[0]
    assert sheet.merged == [(0, 0, 0, 3), (1, 1, 2, 1)]
    assert sheet.rows[:2] == [["Tiêu đề"], [None, "Giá"]]


RAW_STRINGS = [
    "<si><t>  trimmed  </t></si>",
    '<si><t xml:space="preserve">  kept  </t></si>',
    '<si><r><t xml:space="preserve">Đơn </t></r><r><rPr/><t>giá</t></r><rPh><t>X</t></rPh></si>',
    "<si><t>dòng_x000D_hai</t></si>",
    "<si><t></t></si>",
]
RAW_STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="&quot;d&quot;0.00"/>'
    '<numFmt numFmtId="166" formatCode="[h]:mm"/></numFmts>'
    '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>'
    '<xf numFmtId="14"/></cellXfs></styleSheet>'
)
RAW_SHEET = (
    '<dimension ref="A2:I6"/><sheetData>'
    '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
    '<c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c><c r="E2" t="s"><v>4</v></c></row>'
    '<row r="3"><c t="inlineStr"><is><t>nội tuyến</t></is></c>'  # no r= attributes
    '<c t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>'
    '<c t="d"><v>2024-01-02</v></c><c t="d"><v>2024-01-02T03:04:05</v></c>'
    '<c t="str"><f>X</f><v>công thức</v></c><c t="e"><v>#N/A</v></c>'
    '<c t="b"><v>0</v></c><c><v>1e3</v></c><c t="b"><v>1</v></c></row>'
    '<row r="4" s="1" customFormat="1"/>'
    '<row r="5"><c r="C5" s="1"><v>45366</v></c><c r="D5" s="2"><v>7</v></c>'
    '<c r="E5" s="3"><v>1.5</v></c><c r="F5" s="4"><v>45366.75</v></c><c r="G5" s="1"/></row>'
    '<row r="6"><c r="I6" s="1"><v>0.25</v></c></row>'
    '<row r="900" s="1" customFormat="1"/>'
    '</sheetData><mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>'
)


def test_hand_written_xml_cases_agree(tmp_path: Path) -> None:
    path = write_raw_xlsx(
        tmp_path / "raw.xlsx", {"Thô": RAW_SHEET}, shared_strings=RAW_STRINGS, styles=RAW_STYLES
    )
    sheet = assert_paths_agree(path)[0]
    assert sheet.merged == [(1, 0, 1, 1)]
    assert sheet.rows == [
        [],
        ["trimmed", "  kept  ", "Đơn giá", "dòng\rhai"],
        ["nội tuyến", "ab", date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, 5), "công thức", None,
         False, 1000.0, True],
        [],
        [None, None, date(2024, 3, 15), 7.0, 1.5, datetime(2024, 3, 15, 18, 0)],
        [None] * 8 + [0.25],  # a time of day folds into its fraction of a day
    ]  # fmt: skip


def test_hidden_state_and_order_from_workbook_xml(tmp_path: Path) -> None:
    sheets = {
        "Một": "<sheetData/>",
        "Hai": '<sheetData><row r="1"><c><v>2</v></c></row></sheetData>',
    }
    path = write_raw_xlsx(tmp_path / "h.xlsx", sheets, hidden={"Một"})
    got = assert_paths_agree(path)
    assert [(s.name, s.hidden, s.rows) for s in got] == [
        ("Một", True, []),
        ("Hai", False, [[2.0]]),
    ]


def test_threshold_switches_reader_per_sheet(tmp_path: Path) -> None:
    small = [[1, 2], [3, 4]]
    big = [[r * 10 + c for c in range(10)] for r in range(200)]
    path = write_xlsx_shared(tmp_path / "t.xlsx", {"Nhỏ": small, "Lớn": big})
    readers = {
        threshold: [s.reader for s in open_sheets(path, stream_threshold_cells=threshold)]
        for threshold in (0, 500)
    }
    assert readers == {0: ["stream", "stream"], 500: ["calamine", "stream"]}
    assert [s.reader for s in open_sheets(path)] == ["calamine", "calamine"]
    mixed = read(path, threshold=500)
    assert [s.typed() for s in mixed] == [s.typed() for s in read(path)]


def test_huge_dimension_with_few_rows_streams_by_default(tmp_path: Path) -> None:
    body = (
        '<dimension ref="A1:Z1000000"/><sheetData>'
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="B3"><v>3</v></c></row>'
        + "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(4, 2000))
        + '<row r="999999" s="1" customFormat="1"/></sheetData>'
    )
    path = write_raw_xlsx(tmp_path / "d.xlsx", {"S": body})
    sheet = next(open_sheets(path))
    assert (sheet.reader, sheet.row_count) == ("stream", 1_000_000)
    assert list(sheet.rows) == [[1.0], [], [None, 3.0]]  # trailing formatted rows dropped


def test_big_generated_workbook_agrees(tmp_path: Path) -> None:
    path = write_big_xlsx(tmp_path / "big.xlsx", rows=300, columns=12)
    rows = assert_paths_agree(path)[0].rows
    assert len(rows) == 301
    assert rows[1][:4] == ["Thuốc 1", 2.5, 3.5, date(2024, 1, 2)]


def test_streaming_memory_stays_flat(tmp_path: Path) -> None:
    peaks = {}
    for rows in (500, 3000):
        path = write_big_xlsx(tmp_path / f"big{rows}.xlsx", rows=rows, columns=4)
        sheet = next(open_sheets(path, stream_threshold_cells=0))
        tracemalloc.start()
        try:
            assert sum(1 for _ in sheet.rows) == rows + 1
            peaks[rows] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peaks[3000] < peaks[500] * 1.5 + 64 * 1024  # six times the rows, same memory
    assert peaks[3000] < 1024**2


cell_values = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e15, max_value=1e15),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)).map(lambda d: d.replace(microsecond=0)),
)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.lists(cell_values, max_size=6), max_size=6))
def test_property_stream_equals_calamine(tmp_path: Path, rows: list[list[object]]) -> None:
    path = write_xlsx_shared(tmp_path / "p.xlsx", {"S": rows})
    assert_paths_agree(path)


def test_ods_is_read_by_calamine(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "b.ods", "Bảng", [["Tên", 12.5], ["Việt Nam"]])
    assert sniff_format(path) == "ods"
    assert read(path)[0].rows == [["Tên", 12.5], ["Việt Nam"]]


# --- .xls -----------------------------------------------------------------------------------------


def test_xls_written_by_xlwt(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [],
        [None, None, None],
        ["STT", "Tên thuốc", "Ngày"],
        [1, "Paracetamol", date(2025, 3, 15)],
        [2.5, "Việt Nam", date(2024, 2, 29)],
    ]
    merged = {"Một": [(0, 0, 0, 2, "BỆNH VIỆN")]}  # first_row, last_row, first_col, last_col
    path = write_xls(tmp_path / "a.xls", {"Một": rows, "Hai": [["x"]]}, merged, hidden={"Hai"})
    assert sniff_format(path) == "xls"
    sheets = read(path)
    assert [(s.name, s.hidden, s.merged) for s in sheets] == [
        ("Một", False, [(0, 0, 0, 2)]),
        ("Hai", True, []),
    ]
    assert sheets[0].rows == [
        ["BỆNH VIỆN"],
        [],
        ["STT", "Tên thuốc", "Ngày"],
        [1, "Paracetamol", date(2025, 3, 15)],
        [2.5, "Việt Nam", date(2024, 2, 29)],
    ]


def test_compound_file_directory_of_real_xls(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "a.xls", {"S": [[1]]})
    with open(path, "rb") as fh:
        assert "Workbook" in cfb.stream_names(fh, path.stat().st_size)


# --- CSV ------------------------------------------------------------------------------------------

EXPECTED_CSV = [[None if v == "" else v for v in row] for row in VIETNAMESE_ROWS]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "ds.csv", VIETNAMESE_ROWS, encoding, delimiter)
    assert sniff_format(path) == "csv"
    (sheet,) = read(path)
    assert (sheet.name, sheet.reader, sheet.merged) == ("ds", "csv", [])
    assert sheet.rows == EXPECTED_CSV


def test_cp1258_decodes_to_nfc_vietnamese(tmp_path: Path) -> None:
    raw = encode_cp1258("Tên hoạt chất,Việt Nam,Đơn giá\r\n")
    assert b"\xf2" in raw  # the dot below of "ạ" is a separate combining byte in cp1258
    path = tmp_path / "a.csv"
    path.write_bytes(raw)
    assert read(path)[0].rows == [["Tên hoạt chất", "Việt Nam", "Đơn giá"]]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a|b|c\r\n1|2|3\r\n".encode("utf-16-le"), [["a", "b", "c"], ["1", "2", "3"]]),
        (b"sep=;\r\na;b,c\r\n1;2,5\r\n", [["a", "b,c"], ["1", "2,5"]]),
        ("Société;São Paulo\n".encode("cp1252"), [["Société", "São Paulo"]]),
        (b"one column\nsecond\n\n", [["one column"], ["second"]]),
        (b"a,b,,\n,,,\n1,\n\n\n", [["a", "b"], [], ["1"]]),
        (b'x,"quoted, comma","line\nbreak"\n', [["x", "quoted, comma", "line\nbreak"]]),
    ],
)
def test_csv_variants(tmp_path: Path, content: bytes, expected: list[list[str]]) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(content)
    assert read(path)[0].rows == expected


def test_csv_mostly_utf8_with_a_stray_byte_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes(("Tên hoạt chất;Việt Nam\n" * 50).encode() + b"bad \xff byte\n")
    rows = read(path)[0].rows
    assert rows[0] == ["Tên hoạt chất", "Việt Nam"]
    assert rows[-1] == ["bad \ufffd byte"]


def test_text_named_xls_is_read_as_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.xls", [["a", "b"], ["1", "2"]], delimiter="\t")
    assert read(path)[0].rows == [["a", "b"], ["1", "2"]]


# --- refusals -------------------------------------------------------------------------------------


def test_refusal_sentences_are_one_sentence_in_both_languages() -> None:
    for kind in refusal_kinds():
        note = refusal(kind, limit="2 GB")
        assert note.code in (UNREADABLE_FILE.code, UNSUPPORTED_FORMAT.code)
        for text in (note.note_en, note.note_vi):
            assert text.endswith(".") and ". " not in text and "{" not in text
        assert any(ch in note.note_vi for ch in "ăâđêôơưạảấầẩẫậếệịọốồổộớờởợụủứừửữự")


def test_text_file_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_text("STT,Tên thuốc\n1,Paracetamol\n", encoding="utf-8")
    refused("damaged-xlsx", sniff_format, path)
    refused("damaged-xlsx", open_sheets, path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    refused("empty", open_sheets, empty)
    refused("missing", open_sheets, tmp_path / "nowhere.xlsx")


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = truncate(hospital_xlsx(tmp_path / "a.xlsx"), tmp_path / "cut.xlsx")
    refused("damaged-xlsx", open_sheets, path)
    refused("damaged-xlsx", open_sheets, path, "xlsx")  # told the format: still refused


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    refused("zip", open_sheets, write_zip(tmp_path / "a.xlsx", {"hoso/readme.txt": "xin chào"}))
    docx = {"[Content_Types].xml": "wordprocessingml", "word/document.xml": "<w/>"}
    refused("office", open_sheets, write_zip(tmp_path / "b.xlsx", docx))


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = write_zip_bomb(tmp_path / "bomb.xlsx", megabytes=300)
    assert path.stat().st_size < 1024**2
    refused("bomb", sniff_format, path)
    refused("bomb", open_sheets, path, "xlsx")


def test_total_uncompressed_size_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = hospital_xlsx(tmp_path / "a.xlsx")
    monkeypatch.setattr(sniff, "MAX_UNCOMPRESSED_BYTES", 1024)
    error = refused("too-big", open_sheets, path, limit="1 KB")
    assert "over 1 KB" in error.note_en and "hơn 1 KB" in error.note_vi


def test_xlsb_like_zip(tmp_path: Path) -> None:
    members = {"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}
    refused("xlsb", open_sheets, write_zip(tmp_path / "a.xlsb", members))


def test_password_protected_ole(tmp_path: Path) -> None:
    path = write_ole(tmp_path / "secret.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    refused("encrypted", sniff_format, path)
    refused("encrypted", open_sheets, path)
    refused("encrypted", open_sheets, path, "xls")  # past the sniffer, calamine knows it too


def test_other_ole_documents(tmp_path: Path) -> None:
    refused("office", open_sheets, write_ole(tmp_path / "a.xls", ["WordDocument"]))
    damaged = tmp_path / "b.xls"
    damaged.write_bytes(cfb.OLE_MAGIC + b"\0" * 100)
    refused("damaged-xls", open_sheets, damaged)


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("image", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("image", b"\xff\xd8\xff\xe0\0\x10JFIF"),
        ("archive", b"Rar!\x1a\x07\x01\x00"),
        ("html", b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>"),
        ("html", b'\xef\xbb\xbf<html xmlns:o="urn:schemas-microsoft-com:office:office">'),
        ("html", b"\r\n<table border=1><tr><td>STT</td></tr></table>"),
        (
            "xml-2003",
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
        ),
        ("binary", bytes(range(256)) * 8),
        ("binary", b"\x01\x02\x03\x04\x05\x06abc" * 100),
    ],
)
def test_not_a_spreadsheet(tmp_path: Path, kind: str, content: bytes) -> None:
    path = tmp_path / "upload.xls"
    path.write_bytes(content)
    refused(kind, open_sheets, path)


def test_unknown_format_name_is_refused(tmp_path: Path) -> None:
    refused("binary", open_sheets, hospital_xlsx(tmp_path / "a.xlsx"), "numbers")


def test_damage_inside_sheet_xml_is_refused_on_both_paths(tmp_path: Path) -> None:
    broken = '<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c><v>2</v></row>'
    path = write_raw_xlsx(tmp_path / "x.xlsx", {"S": broken})
    refused("damaged-xlsx", open_sheets, path)
    sheet = next(open_sheets(path, stream_threshold_cells=0))
    with pytest.raises(FileRefused):
        list(sheet.rows)


def test_shared_string_index_out_of_range_is_refused(tmp_path: Path) -> None:
    body = '<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData>'
    path = write_raw_xlsx(tmp_path / "x.xlsx", {"S": body}, shared_strings=["<si><t>a</t></si>"])
    refused("damaged-xlsx", open_sheets, path)
    with pytest.raises(FileRefused):
        read_all(open_sheets(path, stream_threshold_cells=0))


# --- number formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("dd/mm/yyyy", DATE),
        ("[$-42A]dd/mm/yyyy", DATE),
        ("h:mm AM/PM", DATE),
        ("mmm-yy", DATE),
        ("[h]:mm:ss", DURATION),
        ("[mm]", DURATION),
        ("General", None),
        ("@", None),
        ("#,##0", None),
        ('#,##0 "đ"', None),
        ('"d"0.00', None),
        ("[Red]0.00", None),
        (r"\d0", None),
        ("0.00;[Red]dd", None),
        ('_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-', None),
    ],
)
def test_custom_number_formats(code: str, kind: str | None) -> None:
    assert format_kind(164, code) == kind


def test_builtin_number_formats() -> None:
    assert [format_kind(i, None) for i in (0, 2, 14, 22, 45, 46, 47, 49)] == [
        None, None, DATE, DATE, DATE, DURATION, DATE, None,
    ]  # fmt: skip
