"""Excel cell values as the pipeline sees them: dates from serials, odd types folded away.

An Excel date is a number with a date number format; the streaming reader must decide which
numbers are dates exactly as calamine does, or the two readers would disagree on the same file.
So the rules here follow calamine's: a built-in format 14-22, 45 or 47, or a custom format whose
first section has a d, m, y, h or s outside quotes, brackets and escapes, is a date; [h], [mm]
or [ss] make it a duration. Serials convert in the 1900 system (serial 60, Excel's phantom
29 Feb 1900, lands on 28 Feb) or the 1904 system, rounded to the millisecond.

The pipeline knows str, int, float, bool, date, datetime and None. calamine also produces
time-of-day (a date cell holding less than one day) and timedelta (a duration format); both are
folded back into the float number of days the cell holds, so no other type reaches the pipeline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

DATE, DURATION = "date", "duration"
BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), 45, 47})
BUILTIN_DURATION_FORMATS = frozenset({46})

_EPOCH_1900 = datetime(1899, 12, 31)
_EPOCH_1904 = datetime(1904, 1, 1)
_MS_PER_DAY = 86_400_000
_DATE_LETTERS = frozenset("dmyhsDMYHS")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def format_kind(num_fmt_id: int, code: str | None) -> str | None:
    """Return DATE, DURATION or None for a cell style's number format."""
    if code is not None:
        return _custom_kind(code)
    if num_fmt_id in BUILTIN_DATE_FORMATS:
        return DATE
    return DURATION if num_fmt_id in BUILTIN_DURATION_FORMATS else None


def _custom_kind(code: str) -> str | None:
    chars = iter(code)
    quoted = after_a = False
    for char in chars:
        if char in "\\_":  # escapes the next character, even inside quotes
            next(chars, None)
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":  # only the first section (positive numbers) counts
            return None
        elif char == "[":
            if _is_elapsed(_bracket(chars)):
                return DURATION
        elif after_a:  # "AM/PM" and "A/P" mark a time; after them only p, m and / count
            if char in "pPmM/":
                return DATE
        elif char in _DATE_LETTERS:
            return DATE
        else:
            after_a = char in "aA"
    return None


def _bracket(chars: Iterator[str]) -> str:
    text = []
    for char in chars:
        if char == "]":
            break
        text.append(char)
    return "".join(text)


def _is_elapsed(text: str) -> bool:
    return bool(text) and text[0] in "hmsHMS" and text.lower() == text[0].lower() * len(text)


def excel_serial(value: float, kind: str, date1904: bool) -> object:
    """Convert a serial with a date or duration format, as calamine does, to a plain value."""
    if kind == DURATION:
        return _round_ms(value * _MS_PER_DAY) / _MS_PER_DAY
    shifted = value - 1 if not date1904 and value >= 60 else value
    try:
        moment = (_EPOCH_1904 if date1904 else _EPOCH_1900) + timedelta(
            milliseconds=_round_ms(shifted * _MS_PER_DAY)
        )
    except OverflowError:
        return value
    if value < 1.0:
        return plain(moment.time())
    return moment.date() if value == int(value) else moment


def _round_ms(value: float) -> int:
    """Round half away from zero, like Rust's f64::round."""
    whole = math.floor(abs(value))
    whole += abs(value) - whole >= 0.5
    return int(math.copysign(whole, value))


def iso_value(text: str) -> object:
    """Convert a t="d" ISO 8601 cell as calamine does: datetime, date, time of day, or text."""
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text)
            return text if moment.tzinfo else moment
        if ":" in text:
            return plain(time.fromisoformat(text))
        return date.fromisoformat(text)
    except ValueError:
        return text


def plain(value: object) -> object:
    """Fold a time of day or a duration into its float number of days; keep anything else."""
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return (seconds * 1000 + value.microsecond // 1000) / _MS_PER_DAY
    if isinstance(value, timedelta):
        return (value // timedelta(milliseconds=1)) / _MS_PER_DAY
    return value


def unescape(text: str) -> str:
    """Decode OOXML's _xHHHH_ escapes (how control characters such as CR are stored)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
