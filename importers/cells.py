"""Per-column cell parsers, built once per sheet so the row loop only calls closures.

Every cell of every file goes through here, so each parser is a closure that already knows its
field's type, bounds, the profile's number and date conventions, sentinels and value table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta

from importers.errors import BAD_VALUE, OUT_OF_RANGE, CellError
from importers.fields import DATE, INTEGER, NUMBER, Field
from importers.profiles import Profile
from importers.text import clean_text, fold
from importers.values import check_text_length, parse_date, parse_integer, parse_number

CellParser = Callable[[object], object]

EARLIEST_DECISION = date(2000, 1, 1)
FUTURE_MARGIN = timedelta(days=31)
MEMO_LIMIT = 100_000


def cell_parser(field: Field, profile: Profile) -> CellParser:
    """Return the parser of one field's cells under a profile's conventions."""
    if field.type in (NUMBER, INTEGER):
        return _number_parser(field, profile)
    if field.type == DATE:
        return _date_parser(field, profile)
    return _text_parser(field, profile)


def _text_parser(field: Field, profile: Profile) -> CellParser:
    sentinels = profile.sentinels
    table = profile.values.get(field.name)
    choose = _chooser(field) if field.choices else None

    def parse_text(raw: object) -> object:
        text = clean_text(raw)
        if text is None or fold(text) in sentinels:
            return None
        if table is not None:
            text = table.get(fold(text), text)
        return choose(text) if choose else check_text_length(text)

    return _memoized(parse_text)


def _memoized(parse: CellParser) -> CellParser:
    """Remember a parser's answer per distinct text: real columns repeat a few hundred values."""
    known: dict[object, object] = {}

    def parse_cell(raw: object) -> object:
        if type(raw) is not str:
            return parse(raw)
        try:
            return known[raw]
        except KeyError:
            pass
        value = parse(raw)  # a CellError propagates and is not remembered
        if len(known) > MEMO_LIMIT:
            known.clear()
        known[raw] = value
        return value

    return parse_cell


def _chooser(field: Field) -> Callable[[str], str]:
    """Map a phrase of a closed vocabulary to its value; anything else is a bad value."""
    allowed = sorted({value for _, value in field.choices})

    def choose(text: str) -> str:
        key = fold(text)
        for phrase, value in field.choices:
            if fold(phrase) in key:
                return value
        raise bad_value(
            text,
            f"use one of {', '.join(allowed)}",
            f"hãy dùng một trong {', '.join(allowed)}",
        )

    return choose


def _number_parser(field: Field, profile: Profile) -> CellParser:
    sentinels = profile.sentinels
    fmt = profile.numbers
    convert = parse_integer if field.type == INTEGER else parse_number
    low = field.minimum if field.minimum is not None else -math.inf
    high = field.maximum if field.maximum is not None else math.inf

    def parse(raw: object) -> object:
        kind = type(raw)
        if kind is float and field.type == NUMBER and low <= raw <= high:  # type: ignore[operator]
            return raw  # the common case: a number cell within bounds (NaN fails the test)
        if kind is str and fold(raw) in sentinels:  # type: ignore[arg-type]
            return None
        value = convert(raw, fmt)
        if value is not None and (value < low or value > high):
            raise _out_of_range(field, value)
        return value

    return parse


def _date_parser(field: Field, profile: Profile) -> CellParser:
    sentinels = profile.sentinels
    formats, dayfirst = profile.date_formats, profile.dayfirst
    bounded = field.name == "decision_date"

    def parse(raw: object) -> object:
        if isinstance(raw, str) and fold(raw) in sentinels:
            return None
        value = parse_date(raw, formats, dayfirst)
        if bounded and value is not None:
            check_decision_date(value)
        return value

    return parse


def check_decision_date(value: date) -> None:
    """Refuse a decision date before 2000 or in the future: a typo, not a decision."""
    if value < EARLIEST_DECISION or value > date.today() + FUTURE_MARGIN:
        shown = value.strftime("%d/%m/%Y")
        raise CellError(
            OUT_OF_RANGE.code,
            f"decision date {shown} is before 2000 or in the future",
            f"ngày quyết định {shown} trước năm 2000 hoặc ở tương lai",
        )


def _out_of_range(field: Field, value: float) -> CellError:
    if field.minimum is not None and value < field.minimum:
        return CellError(
            OUT_OF_RANGE.code,
            f"{field.label_en} {value:,.15g} is below {field.minimum:,.15g}",
            f"{field.label_vi} {value:,.15g} nhỏ hơn {field.minimum:,.15g}",
        )
    return CellError(
        OUT_OF_RANGE.code,
        f"{field.label_en} {value:,.15g} is implausibly large (above {field.maximum:,.15g})",
        f"{field.label_vi} {value:,.15g} lớn bất thường (trên {field.maximum:,.15g})",
    )


def bad_value(value: object, why_en: str, why_vi: str) -> CellError:
    """Build the error for a value of the right type that the field does not allow."""
    return CellError(BAD_VALUE.code, f"{value!r}: {why_en}", f"{value!r}: {why_vi}")
