"""Tests for number, date, whole-number and text-length parsing of cell values."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from importers.errors import BAD_DATE, BAD_NUMBER, TOO_LONG, CellError
from importers.values import (
    AUTO,
    ENGLISH,
    VIETNAMESE,
    NumberFormat,
    check_text_length,
    parse_date,
    parse_integer,
    parse_number,
)

EXCEL_EPOCH = date(1899, 12, 30)
ENGLISH_TO_VIETNAMESE = str.maketrans({",": ".", ".": ","})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("12.000", 12000),
        ("12,000", 12000),
        ("12.000 đ", 12000),
        ("12.000đ", 12000),
        ("12.000 VNĐ", 12000),
        ("12.000 vnđ", 12000),
        ("12.000 đồng", 12000),
        ("12000 dong", 12000),
        ("₫ 5.000", 5000),
        (" 1 234 567 VND", 1234567),
        ("1\u00a0234\u00a0567", 1234567),
        ("1 234,5", 1234.5),
        ("USD 1,250.50", 1250.5),
        ("$12", 12),
        ("€ 3,5", 3.5),
        ("7 EUR", 7),
        ("1,5", 1.5),
        ("12.5", 12.5),
        ("0.125", 0.125),
        ("0,500", 0.5),
        (".5", 0.5),
        ("1234.567", 1234.567),
        ("1,2E+05", 120000.0),
        ("1.2e5", 120000.0),
        ("1.234E3", 1234.0),
        ("(1.234)", -1234),
        ("(12.000 đ)", -12000),
        ("-5", -5),
        ("+5", 5),
        ("- 1.234", -1234),
        ("−3", -3),
        ("5%", 5),
        ("12,5 %", 12.5),
        ("0", 0),
        ("  42  ", 42),
    ],
)
def test_parse_number_auto(raw: str, expected: float) -> None:
    value = parse_number(raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw", ["", "   ", "\u00a0", None])
def test_parse_number_empty_is_none(raw: object) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    "raw",
    ["abc", "12,3,4", "1.2.3,4,5", "12.000/viên", "12.000 đ/viên", "5.", "12 5", "1e999", "nan",
     "inf", "-", "đ", "(-5)", "1.2.3", "1,23,45", "١٢", "1 234.567,5", "--5", "0x10"],
)  # fmt: skip
def test_parse_number_refuses(raw: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_number(raw)
    assert caught.value.code == BAD_NUMBER.code


def test_bad_number_notes_quote_the_value() -> None:
    with pytest.raises(CellError) as caught:
        parse_number("12,3,4")
    assert caught.value.note_en == "'12,3,4' is not a number"
    assert caught.value.note_vi == "'12,3,4' không phải là số"


def test_cached_failure_raises_a_fresh_error_each_time() -> None:
    errors = []
    for _ in range(2):
        with pytest.raises(CellError) as caught:
            parse_number("abc")
        errors.append(caught.value)
    assert errors[0] is not errors[1]
    assert errors[0].note_en == errors[1].note_en


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567),
        ("12.000", 12000),
        ("1234,5", 1234.5),
        ("0,5", 0.5),
        ("1 234,5", 1234.5),
        ("1,2E+05", 120000.0),
        ("12.000 đ", 12000),
    ],
)
def test_parse_number_vietnamese(raw: str, expected: float) -> None:
    assert parse_number(raw, VIETNAMESE) == expected


@pytest.mark.parametrize("raw", ["1,234.5", "12.5", "1,234,567", "1 234.5", "0.500", "1.2e5"])
def test_vietnamese_refuses_english_numbers(raw: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_number(raw, VIETNAMESE)
    assert caught.value.code == BAD_NUMBER.code
    assert "1.234,5" in caught.value.note_en
    assert "1.234,5" in caught.value.note_vi


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,234.5", 1234.5), ("12.000", 12.0), ("12,000", 12000), ("0.125", 0.125)],
)
def test_parse_number_english(raw: str, expected: float) -> None:
    assert parse_number(raw, ENGLISH) == expected


@pytest.mark.parametrize("raw", ["1.234,5", "1,5", "1.234.567"])
def test_english_refuses_vietnamese_numbers(raw: str) -> None:
    with pytest.raises(CellError):
        parse_number(raw, ENGLISH)


def test_one_separator_given_implies_the_other() -> None:
    assert parse_number("1.234,5", NumberFormat(decimal=",")) == 1234.5
    assert parse_number("1,234.5", NumberFormat(thousands=",")) == 1234.5
    assert parse_number("1 234,5", NumberFormat(decimal=",", thousands=" ")) == 1234.5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12, 12), (-7, -7), (12.5, 12.5), (3.0, 3.0), (Decimal("2.5"), 2.5), (10**20, 10**20)],
)
def test_parse_number_native_values(raw: object, expected: float) -> None:
    value = parse_number(raw)
    assert value == expected
    assert type(value) is type(expected) or isinstance(raw, Decimal)


@pytest.mark.parametrize(
    "raw", [True, False, math.nan, math.inf, -math.inf, date(2025, 1, 1), time(10, 0), [1]]
)
def test_parse_number_refuses_non_numbers(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        parse_number(raw)
    assert caught.value.code == BAD_NUMBER.code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("1.234", 1234), (3.0, 3), (7, 7), ("3,0", 3), ("", None), (None, None)],
)
def test_parse_integer(raw: object, expected: int | None) -> None:
    value = parse_integer(raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw", ["3,5", 2.5, "abc", "0,125"])
def test_parse_integer_refuses_fractions(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        parse_integer(raw)
    assert caught.value.code == BAD_NUMBER.code


def test_parse_integer_follows_the_format() -> None:
    assert parse_integer("1,234", ENGLISH) == 1234
    with pytest.raises(CellError):
        parse_integer("1,234", VIETNAMESE)


def test_check_text_length() -> None:
    assert check_text_length("Paracetamol") == "Paracetamol"
    assert check_text_length("x" * 2000) == "x" * 2000
    assert check_text_length("abc", limit=3) == "abc"
    with pytest.raises(CellError) as caught:
        check_text_length("x" * 2001)
    assert caught.value.code == TOO_LONG.code
    assert "2001" in caught.value.note_en and "2001" in caught.value.note_vi
    with pytest.raises(CellError):
        check_text_length("abcd", limit=3)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (45736, date(2025, 3, 20)),
        (45737, date(2025, 3, 21)),
        (45737.75, date(2025, 3, 21)),
        ("45737", date(2025, 3, 21)),
        ("45737.5", date(2025, 3, 21)),
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (2958465, date(9999, 12, 31)),
        ("15/03/2025", date(2025, 3, 15)),
        ("15-03-2025", date(2025, 3, 15)),
        ("15.03.2025", date(2025, 3, 15)),
        ("5/3/25", date(2025, 3, 5)),
        ("5/3/99", date(1999, 3, 5)),
        ("15/03/2025 10:20", date(2025, 3, 15)),
        ("02-Jun-06", date(2006, 6, 2)),
        ("2-Jun-2006", date(2006, 6, 2)),
        ("15 Mar 2025", date(2025, 3, 15)),
        ("15 march 2025", date(2025, 3, 15)),
        ("15-SEPT-2025", date(2025, 9, 15)),
        ("March 15, 2025", date(2025, 3, 15)),
        ("2025-03-15", date(2025, 3, 15)),
        ("2025-03-15T00:00:00", date(2025, 3, 15)),
        ("2025-03-15 10:20", date(2025, 3, 15)),
        ("2025/03/15", date(2025, 3, 15)),
        ("20250315", date(2025, 3, 15)),
        ("ngày 15 tháng 3 năm 2025", date(2025, 3, 15)),
        ("Ngày 15 tháng 03 năm 2025", date(2025, 3, 15)),
        ("15 tháng 03 năm 2025", date(2025, 3, 15)),
        ("ngày 15/3/2025", date(2025, 3, 15)),
        ("tháng 3/2025", date(2025, 3, 1)),
        ("Tháng 3 năm 2025", date(2025, 3, 1)),
        ("03/2025", date(2025, 3, 1)),
        ("2025-03", date(2025, 3, 1)),
        ("  15/03/2025  ", date(2025, 3, 15)),
        (datetime(2025, 3, 15, 10, 20), date(2025, 3, 15)),
        (date(2025, 3, 15), date(2025, 3, 15)),
    ],
)
def test_parse_date(raw: object, expected: date) -> None:
    assert parse_date(raw) == expected


def test_serials_match_openpyxl() -> None:
    for serial in (1, 59, 61, 45736, 45737, 2958465):
        assert parse_date(serial) == from_excel(serial).date()


def test_parse_date_nfd_vietnamese() -> None:
    import unicodedata

    assert parse_date(unicodedata.normalize("NFD", "ngày 15 tháng 3 năm 2025")) == date(2025, 3, 15)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_parse_date_empty_is_none(raw: object) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    "raw",
    ["31/02/2025", "29/02/2023", "13/13/2025", "00/01/2025", "abc", "2025", "15/03", "32 Mar 2025",
     "15 Foo 2025", "0000-01-01", "15/03-2025", 60, 0, -5, 2958466, math.nan, True, time(10, 0),
     timedelta(days=3), "ngày 31 tháng 4 năm 2025"],
)  # fmt: skip
def test_parse_date_refuses(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(raw)
    assert caught.value.code == BAD_DATE.code


def test_impossible_date_note_explains() -> None:
    with pytest.raises(CellError) as caught:
        parse_date("31/02/2025")
    assert caught.value.note_en == "'31/02/2025' is not a valid date: 02/2025 has no day 31"
    assert "không có ngày 31" in caught.value.note_vi


def test_month_first() -> None:
    assert parse_date("03/15/2025", dayfirst=False) == date(2025, 3, 15)
    with pytest.raises(CellError):
        parse_date("03/15/2025")


def test_explicit_formats_come_first() -> None:
    assert parse_date("03/04/2025", formats=("%m/%d/%Y",)) == date(2025, 3, 4)
    assert parse_date("2025 Q 075", formats=("%Y Q %j",)) == date(2025, 3, 16)
    assert parse_date("15/03/2025", formats=("%Y%m%d",)) == date(2025, 3, 15)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_vietnamese_integers_round_trip(n: int) -> None:
    text = f"{n:,}".replace(",", ".")
    assert parse_number(text) == n
    assert parse_number(text, VIETNAMESE) == n


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_english_integers_round_trip(n: int) -> None:
    text = f"{n:,}"
    assert parse_number(text) == n
    assert parse_number(text, ENGLISH) == n


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.integers(min_value=1, max_value=6),
)
def test_vietnamese_decimals_round_trip(units: int, places: int) -> None:
    value = Decimal(units).scaleb(-places)
    text = f"{value:,.{places}f}".translate(ENGLISH_TO_VIETNAMESE)
    parsed = parse_number(text, VIETNAMESE)
    assert parsed is not None
    assert math.isclose(parsed, float(value), rel_tol=1e-9)


@given(st.text(), st.sampled_from([AUTO, VIETNAMESE, ENGLISH]))
def test_parse_number_only_raises_cell_errors(raw: str, fmt: NumberFormat) -> None:
    try:
        value = parse_number(raw, fmt)
    except CellError as error:
        assert error.code == BAD_NUMBER.code
        assert error.note_en and error.note_vi
    else:
        assert value is None or (type(value) in (int, float) and math.isfinite(value))


@given(st.text(alphabet="0123456789.,-+() eE%đ$", max_size=20))
def test_parse_number_only_raises_cell_errors_on_numberish_text(raw: str) -> None:
    try:
        parse_number(raw)
    except CellError as error:
        assert error.code == BAD_NUMBER.code


@given(st.text())
def test_parse_date_only_raises_cell_errors(raw: str) -> None:
    try:
        parse_date(raw)
    except CellError as error:
        assert error.code == BAD_DATE.code


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_dates_round_trip(day: date) -> None:
    serial = (day - EXCEL_EPOCH).days
    assert parse_date(serial) == day
    assert parse_date(float(serial) + 0.5) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%m/%d/%Y"), dayfirst=False) == day
    assert parse_date(datetime.combine(day, time(13, 45))) == day
