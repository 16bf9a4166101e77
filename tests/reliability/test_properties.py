"""Properties of the parsers the importers rest on, over generated values (hypothesis).

tests/importers/test_values.py already has the grouped-integer and Vietnamese-decimal round trips
and "only CellError on st.text()" for numbers and dates; tests/procurement/test_identity.py has
"never raises" for strengths; tests/importers/test_import_invariant.py the invariant for a plain
CSV and workbook. This file adds what those leave out: currency and exponent round trips, every
written date format, strength value and unit round trips, the header finder under a title
block, and the invariant for stock reports and for published lists with a title block and totals.
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.errors import BAD_DATE, BAD_NUMBER, CellError
from importers.header import find_header
from importers.profiles import generic_profile
from importers.values import ENGLISH, VIETNAMESE, parse_date, parse_number
from procurement.strength import Strength, parse_strength
from tests.importers import test_import_invariant as invariant
from tests.importers.files import write_csv, write_xlsx_shared

BOUNDED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXCEL_EPOCH = date(1899, 12, 30)
CURRENCIES = ["đ", " đ", " VNĐ", " VND", " đồng", " dong", " ₫"]


def _vietnamese(value: Decimal, places: int) -> str:
    """Write a number the Vietnamese way: "1.234.567,5"."""
    return f"{value:,.{places}f}".translate(str.maketrans({",": ".", ".": ","}))


# --- numbers ---


@BOUNDED
@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(CURRENCIES),
    st.booleans(),
)
def test_a_price_with_its_currency_reads_as_the_number(n: int, currency: str, before: bool) -> None:
    text = f"{n:,}".replace(",", ".")
    written = f"{currency.strip()} {text}" if before else f"{text}{currency}"
    assert parse_number(written) == n
    assert parse_number(written, VIETNAMESE) == n


@BOUNDED
@given(
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=-12, max_value=12),
    st.sampled_from(["E", "e"]),
    st.sampled_from(["+", "", "-"]),
)
def test_scientific_notation_round_trips(
    lead: int, digits: int, exponent: int, letter: str, sign: str
) -> None:
    if sign == "-":
        exponent = -abs(exponent)
    shown = f"{abs(exponent):02d}" if sign else str(exponent)
    prefix = "+" if sign == "+" and exponent >= 0 else ""
    expected = float(f"{lead}.{digits:02d}e{exponent}")
    for mark in (",", "."):  # "1,2E+05" as Excel writes it in Vietnamese, "1.2E+05" in English
        text = f"{lead}{mark}{digits:02d}{letter}{prefix}{shown if exponent >= 0 else exponent}"
        parsed = parse_number(text)
        assert parsed is not None and math.isclose(parsed, expected, rel_tol=1e-12), text


@BOUNDED
@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=1, max_value=4))
def test_english_and_vietnamese_decimals_round_trip_in_auto_and_in_their_format(
    units: int, places: int
) -> None:
    value = Decimal(units).scaleb(-places)
    english, vietnamese = f"{value:,.{places}f}", _vietnamese(value, places)
    grouped = abs(value) >= 1000  # "1,234.5": both separators, no ambiguity for AUTO
    for text, fmt in ((english, ENGLISH), (vietnamese, VIETNAMESE)):
        parsed = parse_number(text, fmt)
        assert parsed is not None and math.isclose(parsed, float(value), rel_tol=1e-12)
        if grouped:
            auto = parse_number(text)
            assert auto is not None and math.isclose(auto, float(value), rel_tol=1e-12)


@BOUNDED
@given(st.text(max_size=40))
def test_numbers_never_raise_anything_but_bad_number_with_both_sentences(raw: str) -> None:
    try:
        parse_number(f"{raw} đ")
    except CellError as error:
        assert error.code == BAD_NUMBER.code and error.note_en and error.note_vi


# --- dates ---

WRITTEN = [
    "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d %b %Y",
    "%d %B %Y", "%d-%b-%Y", "%B %d, %Y", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M",
    "ngày %d tháng %m năm %Y", "%d tháng %m năm %Y", "Ngày %d/%m/%Y",
]  # fmt: skip
DATES = st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31))


@BOUNDED
@given(DATES)
def test_a_date_round_trips_through_every_written_format(day: date) -> None:
    for pattern in WRITTEN:
        text = day.strftime(pattern)
        assert parse_date(text) == day, text
        assert parse_date(unicodedata.normalize("NFD", text)) == day, text
    assert parse_date(day.strftime("%d-%b-%y")) == day  # "02-Jun-06": years 1970-2069
    assert parse_date(day.strftime("%d/%m/%y")) == day
    assert parse_date(f"  {day:%d/%m/%Y}  ") == day


@BOUNDED
@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 30)), st.floats(0, 0.999))
def test_excel_serials_round_trip_as_numbers_and_as_text(day: date, time_of_day: float) -> None:
    serial = (day - EXCEL_EPOCH).days
    assert parse_date(serial) == day
    assert parse_date(serial + time_of_day) == day
    if serial >= 10_000:  # shorter digit strings look like years and are refused
        assert parse_date(str(serial)) == day


@BOUNDED
@given(DATES, st.integers(min_value=1, max_value=40))
def test_an_impossible_day_is_bad_date_never_another_day(day: date, extra: int) -> None:
    last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    impossible = last.day + extra
    if impossible > 99:
        return
    try:
        parsed = parse_date(f"{impossible:02d}/{day:%m/%Y}")
    except CellError as error:
        assert error.code == BAD_DATE.code
    else:
        raise AssertionError(f"{impossible}/{day:%m/%Y} read as {parsed}")


@BOUNDED
@given(st.text(max_size=40), st.sampled_from([True, False]))
def test_dates_never_raise_anything_but_bad_date(raw: str, dayfirst: bool) -> None:
    try:
        parsed = parse_date(raw, dayfirst=dayfirst)
    except CellError as error:
        assert error.code == BAD_DATE.code and error.note_en and error.note_vi
    else:
        assert parsed is None or isinstance(parsed, date)


# --- strengths ---

MASS = {"mg": 1.0, "g": 1000.0, "mcg": 1.0, "µg": 1.0, "kg": 1e6}
CANONICAL = {"mg": "mg", "g": "mg", "kg": "mg", "mcg": "mcg", "µg": "mcg"}
AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(5000), places=2)


def _written(amount: Decimal, comma: bool) -> str:
    text = format(amount.normalize(), "f")
    return text.replace(".", ",") if comma else text


@BOUNDED
@given(AMOUNTS, st.sampled_from(sorted(MASS)), st.booleans(), st.sampled_from(["", " "]))
def test_a_strength_round_trips_its_value_and_unit(
    amount: Decimal, unit: str, comma: bool, space: str
) -> None:
    if comma and "." not in format(amount.normalize(), "f"):
        comma = False
    parsed = parse_strength(f"{_written(amount, comma)}{space}{unit}")
    assert parsed is not None and parsed.unit == CANONICAL[unit]
    assert parsed.value is not None
    assert math.isclose(parsed.value, float(amount) * MASS[unit], rel_tol=1e-9)


@BOUNDED
@given(AMOUNTS, st.integers(min_value=1, max_value=100), st.sampled_from(["mg", "g", "mcg"]))
def test_a_concentration_is_per_one_ml(amount: Decimal, volume: int, unit: str) -> None:
    parsed = parse_strength(f"{_written(amount, True)}{unit}/{volume}ml")
    assert parsed is not None and len(parsed.components) == 1
    part = parsed.components[0]
    assert (part.unit, part.per_unit) == (CANONICAL[unit], "ml")
    assert math.isclose(part.value, float(amount) * MASS[unit] / volume, rel_tol=1e-9)


@BOUNDED
@given(
    st.lists(st.tuples(AMOUNTS, st.sampled_from(["mg", "mcg", "IU"])), min_size=2, max_size=4),
    st.sampled_from([" + ", "+", "; "]),
)
def test_a_combination_keeps_each_component_in_order(
    parts: list[tuple[Decimal, str]], joiner: str
) -> None:
    text = joiner.join(f"{_written(a, False)}{u}" for a, u in parts)
    parsed = parse_strength(text)
    assert parsed is not None and parsed.value is None
    got = [(p.value, p.unit) for p in parsed.components]
    assert len(got) == len(parts)
    for (value, unit), (amount, written) in zip(got, parts, strict=True):
        assert unit == written.lower() and math.isclose(value, float(amount), rel_tol=1e-9)


@BOUNDED
@given(st.text(alphabet=st.characters(exclude_categories=("Nd",)), max_size=40))
def test_a_strength_without_a_digit_is_none(text: str) -> None:
    assert parse_strength(text) is None


@BOUNDED
@given(st.text(max_size=60))
def test_strengths_never_raise(text: str) -> None:
    result = parse_strength(text)
    assert result is None or (isinstance(result, Strength) and result.key)


# --- the header finder ---

MATCHER = generic_profile("awards").header_texts()
COLUMNS = {
    "STT": "line_no", "Chủ đầu tư": "buyer", "Tên hoạt chất": "active_ingredient",
    "Nồng độ, hàm lượng": "strength", "Số lượng": "quantity", "Thành tiền": "amount",
    "Nhà thầu trúng thầu": "supplier", "Ngày ban hành quyết định": "decision_date",
}  # fmt: skip
PRICES = {"Giá kế hoạch": "planned_unit_price", "Đơn giá trúng thầu": "unit_price"}
TITLES = st.lists(
    st.lists(
        st.sampled_from(
            [
                None,
                "SỞ Y TẾ TỈNH NGHỆ AN",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "DANH MỤC THUỐC TRÚNG THẦU",
                "Gói thầu số 3",
                "(Kèm theo Quyết định số 215/QĐ-BV)",
                "Mã TBMT: IB2500012345",
                "Năm 2025",
            ]
        ),
        max_size=4,
    ),
    max_size=12,
)


def _plain(text: str) -> str:
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )
    return stripped.replace("đ", "d").replace("Đ", "D")


@st.composite
def _disguised(draw: st.DrawFn, text: str) -> str:
    """The header text as some file writes it: case, diacritics, NFD, spaces."""
    if draw(st.booleans()):
        text = _plain(text)
    text = draw(st.sampled_from([str.upper, str.lower, str.title, str]))(text)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    spaces = draw(st.sampled_from([" ", "  ", "\u00a0", " \n"]))
    return draw(st.sampled_from(["", " ", "\t"])) + spaces.join(text.split()) + " "


@FEW
@given(data=st.data(), titles=TITLES, two_rows=st.booleans())
def test_the_header_is_found_under_any_title_block_with_every_field(
    data: st.DataObject, titles: list[list[object]], two_rows: bool
) -> None:
    names = data.draw(st.permutations(sorted(COLUMNS)))
    top = [data.draw(_disguised(name)) for name in names]
    rows: list[list[object]] = [*(list(t) for t in titles), []]  # a blank row, as published
    expected = {COLUMNS[name]: index for index, name in enumerate(names)}
    merged: list[tuple[int, int, int, int]] = []
    first = len(rows) + 1
    if two_rows:  # "Giá (VND)" merged over its two children, like hospital lists
        at = len(top)
        rows.append([*top, data.draw(_disguised("Giá (VND)")), None])
        rows.append([*[None] * at, *[data.draw(_disguised(c)) for c in PRICES]])
        merged.append((first - 1, at, first - 1, at + 1))
        merged += [(first - 1, col, first, col) for col in range(at)]
        expected.update({field: at + i for i, field in enumerate(PRICES.values())})
    else:
        rows.append(top)
    rows.append([1, "Bệnh viện A", "Paracetamol", "500mg", 100, 45000, "Công ty B", "15/03/2025"])
    header = find_header(rows, merged, MATCHER)
    assert header is not None
    assert (header.first_row, header.rows) == (first, 2 if two_rows else 1)
    assert header.fields == expected


@BOUNDED
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=15)), max_size=8), max_size=12))
def test_the_header_finder_never_raises(rows: list[list[object]]) -> None:
    header = find_header(rows, [], MATCHER)
    assert header is None or 1 <= header.first_row <= len(rows)


# --- the import invariant: accepted + rejected + skipped = rows ---

STOCK_HEADER = [
    "STT", "Mã thuốc", "Tên thuốc", "Hoạt chất", "Hàm lượng", "Đơn vị tính", "Số lô", "Hạn dùng",
    "Tồn đầu kỳ", "Nhập trong kỳ", "Xuất trong kỳ", "Tồn cuối kỳ", "Số ngày hết hàng",
]  # fmt: skip
STOCK_TITLE = [
    ["SỞ Y TẾ NGHỆ AN"],
    ["TRUNG TÂM Y TẾ HUYỆN NAM ĐÀN"],
    ["BÁO CÁO XUẤT NHẬP TỒN THUỐC THÁNG 7 NĂM 2026"],
    [],
]
AWARD_HEADER = [
    "STT", "Tên thuốc", "Tên hoạt chất", "Nồng độ, hàm lượng", "Đơn vị tính", "Số lượng",
    "Đơn giá trúng thầu", "Thành tiền", "Nhà thầu trúng thầu",
]  # fmt: skip
AWARD_TITLE = [
    ["BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN"],
    ["DANH MỤC THUỐC TRÚNG THẦU"],
    ["(Kèm theo Quyết định số 215/QĐ-BV ngày 15/03/2025 của Giám đốc Bệnh viện)"],
    [],
]
FOOTER = [["", "Tổng cộng", "", "", "", "", "1.310", ""], [], ["Người lập biểu", "", "Giám đốc"]]
# The invariant suite's cells, and a few more a stock report or a published list holds.
CELLS = st.one_of(
    invariant.CELLS, st.sampled_from(["1,2E+05", "45737", "500mg", "=1+1", "L01", "I. THUỐC"])
)


def _last_filled(grid: list[list[object]]) -> int:
    return max(i for i, row in enumerate(grid, 1) if any(c not in (None, "") for c in row))


STOCK_LINE = [1, "T001", "Hapacol 500", "Paracetamol", "500mg", "Viên", "L01", "31/12/2027",
              "1.000", "500", "1.200", "300", "0"]  # fmt: skip
AWARD_LINE = [1, "Hapacol 500", "Paracetamol", "500mg", "Viên", "10.000", "380", "3.800.000",
              "Công ty CP Dược phẩm Trung ương CPC1"]  # fmt: skip


def _grid(title: list[list[object]], header: list[str], rows: list[list[object]]) -> list:
    """Title, header, numbering row, one good line (a file with none is refused whole), the
    generated rows, totals and signatures."""
    numbering = [f"({n})" for n in range(1, len(header) + 1)]
    good = STOCK_LINE if header is STOCK_HEADER else AWARD_LINE
    return [*title, header, numbering, good, *rows, *FOOTER]


@FEW
@given(rows=st.lists(st.lists(CELLS, max_size=len(STOCK_HEADER)), max_size=20))
def test_every_row_of_a_stock_report_is_accepted_rejected_or_skipped_once(
    rows: list[list[object]],
) -> None:
    grid = _grid(STOCK_TITLE, STOCK_HEADER, rows)
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx_shared(Path(folder) / "ton-kho.xlsx", {"Tồn kho": grid})
        assert sum(invariant.counts(path, "stock-reports")) == _last_filled(grid)
        text_grid = [["" if c is None else str(c) for c in row] for row in grid]
        csv_path = write_csv(Path(folder) / "ton-kho.csv", text_grid)
        assert sum(invariant.counts(csv_path, "stock-reports")) == _last_filled(text_grid)


@FEW
@given(rows=st.lists(st.lists(CELLS, max_size=len(AWARD_HEADER)), max_size=20))
def test_every_row_of_a_published_list_with_title_and_totals_is_counted_once(
    rows: list[list[object]],
) -> None:
    grid = _grid(AWARD_TITLE, AWARD_HEADER, rows)
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx_shared(Path(folder) / "ds.xlsx", {"DS": grid})
        assert sum(invariant.counts(path, "awards")) == _last_filled(grid)
