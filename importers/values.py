"""Cell value parsing: numbers, dates, whole numbers and text length, in one place.

Every importer and every profile parses values here, once per cell, so that "12.000 đ", "1,2E+05"
and "ngày 15 tháng 3 năm 2025" mean the same in every file, so that the officer reads one
bilingual sentence per bad value, and so that the hot path (millions of cells) is tuned once:
native int, float and date values take an isinstance fast path, and string parsing is memoized
per (string, convention).
"""

from __future__ import annotations

import calendar
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, TypeVar

from importers.errors import BAD_DATE, BAD_NUMBER, TOO_LONG, CellError
from importers.text import fold

CACHE_LIMIT = 200_000
SHOWN_LIMIT = 60


@dataclass(frozen=True)
class NumberFormat:
    """A source's number convention; None means auto-detect (see `parse_number`)."""

    decimal: str | None = None
    thousands: str | None = None


VIETNAMESE = NumberFormat(decimal=",", thousands=".")
ENGLISH = NumberFormat(decimal=".", thousands=",")
AUTO = NumberFormat()


class _Failure(NamedTuple):
    """A memoized CellError; a new exception is raised per cell so tracebacks never pile up."""

    code: str
    note_en: str
    note_vi: str


_MISS = object()
_K = TypeVar("_K", bound=tuple[Hashable, ...])
_T = TypeVar("_T")
_number_cache: dict[tuple[str, str | None, str | None], int | float | _Failure | None] = {}
_date_cache: dict[tuple[str, tuple[str, ...], bool], date | _Failure | None] = {}


def _shown(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= SHOWN_LIMIT else text[: SHOWN_LIMIT - 1] + "…"


def _memoized(cache: dict[_K, _T | _Failure], key: _K, compute: Callable[..., _T | _Failure]) -> _T:
    """Return compute(*key), computed once per key; raise a new CellError for a failure."""
    hit = cache.get(key, _MISS)
    if hit is _MISS:
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        hit = cache[key] = compute(*key)
    if type(hit) is _Failure:
        raise CellError(*hit)
    return hit  # type: ignore[return-value]


# numbers

_CURRENCY = re.compile(r"VN[DĐ]|US\$|USD|EUR|đồng|dong|đ|₫|\$|€", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"(.+?)[eE]([+-]?[0-9]+)")
_MANTISSA = re.compile(r"[0-9., ]*[0-9][0-9., ]*")
_DIGITS = re.compile(r"[0-9]+")
_SIGNS = {"+": 1, "-": -1, "−": -1}


def parse_number(raw: object, fmt: NumberFormat = AUTO) -> int | float | None:
    """Parse a cell as a number; None when empty; CellError bad-number otherwise.

    Text may carry currency tokens anywhere (đ, ₫, VND, VNĐ, đồng, dong, USD, $, €, EUR), a
    sign or accounting parentheses ("(1.234)" is -1234), a trailing "%" (dropped: "5%" is 5),
    an exponent ("1,2E+05", "1.2e5"), and spaces or non-breaking spaces between digit groups of
    three ("1 234 567"). Unit suffixes such as "/viên" are refused, not stripped.

    With AUTO the separators are read as follows:
    - both "." and "," present: the last one is the decimal ("1.234,5" and "1,234.5" -> 1234.5);
    - one kind, more than once: thousands ("1.234.567" -> 1234567);
    - one kind, once, followed by exactly three digits and preceded by one to three digits not
      all zero: thousands ("12.000" and "12,000" -> 12000, the Vietnamese reading);
    - otherwise, and always in front of an exponent: decimal ("1,5", "0.125", "0,500" -> 0.5).
    An explicit format is followed strictly: VIETNAMESE refuses "1,234.5" and "12.5". A format
    giving only one separator implies the other ("," decimal implies "." thousands and back).

    Returns an int when the text has no decimal part and no exponent, a float otherwise; an int
    input stays int and a float input stays float (3.0 is not turned into 3).
    """
    if raw is None:
        return None
    kind = type(raw)
    if kind is int:
        return raw  # type: ignore[return-value]
    if kind is float:
        return _finite(raw)  # type: ignore[arg-type]
    if kind is str:
        return _memoized(_number_cache, (raw, fmt.decimal, fmt.thousands), _number_or_failure)
    return _other_number(raw, fmt)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise CellError(*_not_a_number(value))
    return value


def _other_number(raw: object, fmt: NumberFormat) -> int | float | None:
    """Accept numeric types other than int and float (numpy, Decimal); refuse bool and dates."""
    if isinstance(raw, str):
        return parse_number(str(raw), fmt)
    if isinstance(raw, bool) or not isinstance(raw, numbers.Real | Decimal):
        raise CellError(*_not_a_number(raw))
    if isinstance(raw, numbers.Integral):
        return int(raw)
    return _finite(float(raw))


def _not_a_number(raw: object) -> _Failure:
    shown = _shown(raw)
    return _Failure(BAD_NUMBER.code, f"'{shown}' is not a number", f"'{shown}' không phải là số")


def _number_or_failure(
    raw: str, decimal: str | None, thousands: str | None
) -> int | float | _Failure | None:
    fmt = NumberFormat(decimal, thousands)
    try:
        return _number_text(raw, fmt)
    except _Mismatch:
        explicit = _explicit(fmt)
        if explicit is None:
            return _not_a_number(raw.strip())
        return _format_mismatch(raw.strip(), explicit)
    except (ValueError, OverflowError):
        return _not_a_number(raw.strip())


class _Mismatch(ValueError):
    """The separators or digit groups do not fit the convention in use."""


def _format_mismatch(raw: str, separators: tuple[str, str]) -> _Failure:
    decimal, thousands = separators
    example = f"1{thousands}234{decimal}5"
    shown = _shown(raw)
    return _Failure(
        BAD_NUMBER.code,
        f"'{shown}' is not a number in this file's format ({example})",
        f"'{shown}' không phải là số theo định dạng của tệp ({example})",
    )


def _number_text(raw: str, fmt: NumberFormat) -> int | float | None:
    text = raw.strip()
    if not text:
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    sign, text = _sign(_CURRENCY.sub("", text).strip())
    mantissa, exponent = _exponent(text.removesuffix("%").rstrip())
    mantissa = " ".join(mantissa.split())
    if not _MANTISSA.fullmatch(mantissa):
        raise ValueError(raw)
    whole, fraction = _split(mantissa, _separators(mantissa, fmt, exponent is not None))
    return _assemble(sign, whole, fraction, exponent)


def _sign(text: str) -> tuple[int, str]:
    """Split off accounting parentheses or a leading sign."""
    if text.startswith("(") and text.endswith(")"):
        return -1, text[1:-1].strip()
    if text[:1] in _SIGNS:
        return _SIGNS[text[0]], text[1:].lstrip()
    return 1, text


def _exponent(text: str) -> tuple[str, str | None]:
    match = _SCIENTIFIC.fullmatch(text)
    return (match[1], match[2]) if match else (text, None)


def _separators(mantissa: str, fmt: NumberFormat, scientific: bool) -> tuple[str, str]:
    """Return (decimal, thousands) for this text; spaces between digits are always thousands."""
    explicit = _explicit(fmt)
    if " " in mantissa:
        decimal = explicit[0] if explicit else ("," if "," in mantissa else ".")
        return decimal, " "
    return explicit or _detected(mantissa, scientific)


@lru_cache(maxsize=64)
def _explicit(fmt: NumberFormat) -> tuple[str, str] | None:
    if fmt.decimal is None and fmt.thousands is None:
        return None
    decimal = fmt.decimal or ("," if fmt.thousands == "." else ".")
    thousands = fmt.thousands if fmt.thousands is not None else ("." if decimal == "," else ",")
    return decimal, thousands


def _detected(mantissa: str, scientific: bool) -> tuple[str, str]:
    """Apply the AUTO rules documented in `parse_number`."""
    dot, comma = mantissa.rfind("."), mantissa.rfind(",")
    if dot >= 0 and comma >= 0:
        return (".", ",") if dot > comma else (",", ".")
    separator = "." if dot >= 0 else ","
    other = "," if separator == "." else "."
    if mantissa.count(separator) > 1:
        return other, separator
    before, _, after = mantissa.partition(separator)
    grouped = len(after) == 3 and 1 <= len(before) <= 3 and before.strip("0") != ""
    return (other, separator) if grouped and not scientific else (separator, other)


def _split(mantissa: str, separators: tuple[str, str]) -> tuple[str, str | None]:
    """Return the whole and fractional digits, checking digit groups of three."""
    decimal, thousands = separators
    whole, point, fraction = mantissa.partition(decimal)
    if point and not _DIGITS.fullmatch(fraction):
        raise _Mismatch(mantissa)
    if thousands and thousands in whole:
        if not _grouping(thousands).fullmatch(whole):
            raise _Mismatch(mantissa)
        whole = whole.replace(thousands, "")
    elif not (_DIGITS.fullmatch(whole) or (point and not whole)):
        raise _Mismatch(mantissa)
    return whole, fraction if point else None


@lru_cache(maxsize=8)
def _grouping(thousands: str) -> re.Pattern[str]:
    return re.compile(rf"[1-9][0-9]{{0,2}}(?:{re.escape(thousands)}[0-9]{{3}})+")


def _assemble(sign: int, whole: str, fraction: str | None, exponent: str | None) -> int | float:
    if fraction is None and exponent is None:
        return sign * int(whole)
    value = float(f"{whole or '0'}.{fraction or '0'}e{exponent or '0'}")
    if not math.isfinite(value):
        raise ValueError(whole)
    return sign * value


def parse_integer(raw: object, fmt: NumberFormat = AUTO) -> int | None:
    """Parse a whole number (a count, a year); 3.0 is accepted as 3, 3.5 is bad-number."""
    value = parse_number(raw, fmt)
    if value is None or type(value) is int:
        return value
    if value.is_integer():
        return int(value)
    shown = _shown(raw)
    raise CellError(
        BAD_NUMBER.code, f"'{shown}' is not a whole number", f"'{shown}' không phải là số nguyên"
    )


def check_text_length(text: str, limit: int = 2000) -> str:
    """Return the text, refusing one longer than the limit: it is a pasted block, not a value."""
    if len(text) <= limit:
        return text
    start = text[:40]
    raise CellError(
        TOO_LONG.code,
        f"'{start}…' is {len(text)} characters long, more than the {limit} allowed",
        f"'{start}…' dài {len(text)} ký tự, vượt quá giới hạn {limit} ký tự",
    )


# dates

EXCEL_EPOCH = date(1899, 12, 30)
FIRST_SERIAL, LAST_SERIAL = 1, 2958465
EXCEL_LEAP_BUG = 60

_TIME = (
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?: ?[AaPp][Mm])?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_ISO = re.compile(rf"([0-9]{{4}})([-/.])([0-9]{{1,2}})\2([0-9]{{1,2}}){_TIME}")
_NUMERIC = re.compile(rf"([0-9]{{1,2}})([-/.])([0-9]{{1,2}})\2([0-9]{{4}}|[0-9]{{2}}){_TIME}")
_NAMED_DAY_FIRST = re.compile(r"([0-9]{1,2})[-/. ]([A-Za-z]{3,9})\.?[-/. ,]+([0-9]{4}|[0-9]{2})")
_NAMED_MONTH_FIRST = re.compile(r"([A-Za-z]{3,9})\.? ([0-9]{1,2}),? ([0-9]{4})")
_VIETNAMESE = re.compile(r"(?:ngay )?([0-9]{1,2}) thang ([0-9]{1,2}) nam ([0-9]{4})")
_MONTH_YEAR = re.compile(r"(?:thang )?([0-9]{1,2}) (?:nam )?([0-9]{4})")
_YEAR_MONTH = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})")
_COMPACT = re.compile(r"((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})")
_SERIAL = re.compile(r"[0-9]{5,7}(?:\.[0-9]+)?")
_LEADING_NGAY = re.compile(r"ng[aà]y\s+", re.IGNORECASE)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip


def parse_date(raw: object, formats: tuple[str, ...] = (), dayfirst: bool = True) -> date | None:
    """Parse a cell as a date; None when empty; CellError bad-date otherwise.

    Accepts date and datetime values, Excel serials (1900 system, 1 to 2958465, the time of
    day ignored; 60, Excel's non-existent 29/02/1900, is refused), strings of five to seven
    digits as serials (shorter ones look like years and are refused), the strptime `formats`
    first, then dd/mm/yyyy with "/", "-" or "." (month first when dayfirst is False; two-digit
    years are 2000+yy below 70, else 1900+yy), ISO yyyy-mm-dd with an optional time, English
    month names ("02-Jun-06", "15 Mar 2025", "March 15, 2025"), "ngày 15 tháng 3 năm 2025",
    and a month alone ("tháng 3/2025", "03/2025", "2025-03") as its first day.
    """
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        return _memoized(_date_cache, (raw, formats, dayfirst), _date_or_failure)
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
        return _from_serial(raw)
    raise CellError(*_not_a_date(raw))


def _not_a_date(raw: object) -> _Failure:
    shown = _shown(raw)
    return _Failure(
        BAD_DATE.code,
        f"'{shown}' is not a date (expected dd/mm/yyyy)",
        f"'{shown}' không phải là ngày (cần dạng dd/mm/yyyy)",
    )


def _from_serial(serial: numbers.Real) -> date:
    """Convert an Excel 1900-system serial, where 60 is the fictitious 29/02/1900."""
    if not FIRST_SERIAL <= serial < LAST_SERIAL + 1:  # type: ignore[operator]
        shown = _shown(serial)
        raise CellError(
            BAD_DATE.code,
            f"{shown} is not an Excel date (serials run from 1 to {LAST_SERIAL})",
            f"{shown} không phải là ngày Excel (số ngày từ 1 đến {LAST_SERIAL})",
        )
    day = int(serial)
    if day == EXCEL_LEAP_BUG:
        raise CellError(
            BAD_DATE.code,
            "serial 60 is 29/02/1900, a day that does not exist (an Excel bug)",
            "số 60 là ngày 29/02/1900, ngày không có thật (lỗi của Excel)",
        )
    return EXCEL_EPOCH + timedelta(days=day + (1 if day < EXCEL_LEAP_BUG else 0))


def _date_or_failure(raw: str, formats: tuple[str, ...], dayfirst: bool) -> date | _Failure | None:
    text = " ".join(raw.split())
    if not text:
        return None
    try:
        return _date_text(unicodedata.normalize("NFC", text), formats, dayfirst)
    except CellError as error:
        return _Failure(error.code, error.note_en, error.note_vi)


def _date_text(text: str, formats: tuple[str, ...], dayfirst: bool) -> date:
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text))
    parts = _date_parts(_LEADING_NGAY.sub("", text, count=1), dayfirst)
    if parts is None:
        raise CellError(*_not_a_date(text))
    return _checked_date(*parts, text)


def _date_parts(text: str, dayfirst: bool) -> tuple[int, int, int] | None:
    """Return (year, month, day) from the first built-in layout that matches the whole text."""
    if match := _ISO.fullmatch(text):
        return int(match[1]), int(match[3]), int(match[4])
    if match := _COMPACT.fullmatch(text):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _NUMERIC.fullmatch(text):
        first, second = int(match[1]), int(match[3])
        day, month = (first, second) if dayfirst else (second, first)
        return _full_year(match[4]), month, day
    return _named_parts(text) or _vietnamese_parts(text)


def _named_parts(text: str) -> tuple[int, int, int] | None:
    if match := _NAMED_DAY_FIRST.fullmatch(text):
        month = _MONTHS.get(match[2].lower())
        return (_full_year(match[3]), month, int(match[1])) if month else None
    if match := _NAMED_MONTH_FIRST.fullmatch(text):
        month = _MONTHS.get(match[1].lower())
        return (int(match[3]), month, int(match[2])) if month else None
    return None


def _vietnamese_parts(text: str) -> tuple[int, int, int] | None:
    if match := _YEAR_MONTH.fullmatch(text):
        return int(match[1]), int(match[2]), 1
    key = fold(text)
    if match := _VIETNAMESE.fullmatch(key):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _MONTH_YEAR.fullmatch(key):
        return int(match[2]), int(match[1]), 1
    return None


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) > 2:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    """Build the date, explaining an impossible one (31/02, month 13) to the officer."""
    shown = _shown(text)
    if not 1 <= year <= 9999:
        raise CellError(
            BAD_DATE.code,
            f"'{shown}' is not a valid date: there is no year {year}",
            f"'{shown}' không phải ngày hợp lệ: không có năm {year}",
        )
    if not 1 <= month <= 12:
        raise CellError(
            BAD_DATE.code,
            f"'{shown}' is not a valid date: there is no month {month}",
            f"'{shown}' không phải ngày hợp lệ: không có tháng {month}",
        )
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise CellError(
            BAD_DATE.code,
            f"'{shown}' is not a valid date: {month:02d}/{year} has no day {day}",
            f"'{shown}' không phải ngày hợp lệ: tháng {month:02d}/{year} không có ngày {day}",
        )
    return date(year, month, day)
