"""Strength ("Nồng độ, hàm lượng") as numbers with canonical units, so peers can be compared.

PRC-02 groups prices by active ingredient + strength + dosage form; "0,5g", "500 mg" and
"500mg" must land in one group, and "40 mg/2 ml" with "20mg/ml". Canonical units:

- mass: mg (g, kg converted); mcg kept apart (mcg, µg, microgram; ng converted to mcg);
- volume: ml (l converted); activity: iu (IU, UI, đvqt, "đơn vị", U, MIU = 10^6 IU);
- %, and vaccine/other amounts kept by name: lf, ccid50, tcid50, pfu, du, elu, cfu, mmol, meq.

A denominator is normalized to one unit: "40 mg/2 ml" -> 20 mg/ml, "1g/100g" -> 10 mg/g,
"0,5 ml/liều" -> 0.5 ml/dose; a per-piece denominator ("/viên", "/gói") is dropped.
"875mg/125mg" is a combination because both sides are amounts. Numbers take the Vietnamese
decimal comma and thousands dot ("1.000.000", "0,5"); "1,000" with one comma reads as 1.0.
"triệu"/"million" and "tỷ"/"billion" multiply; "10^7.5" and "2 x 10^9" are powers. Quantities not
joined by an operator ("0,9% 500ml") become separate components. Unparseable words are skipped,
so "≥ 10^7.5 CCID50" parses to 31622776.6 ccid50 and nothing raises on arbitrary text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from procurement.textkey import strip_marks

# word -> (canonical unit, factor to it, kind); kinds: amount, volume, dose, count, percent
_UNITS: dict[str, tuple[str, float, str]] = {
    **dict.fromkeys(("mg", "miligam", "milligram", "milligrams"), ("mg", 1.0, "amount")),
    **dict.fromkeys(("g", "gr", "gam", "gram", "grams"), ("mg", 1000.0, "amount")),
    "kg": ("mg", 1e6, "amount"),
    **dict.fromkeys(
        ("mcg", "ug", "mcgr", "microgram", "micrograms", "microgam"), ("mcg", 1.0, "amount")
    ),
    **dict.fromkeys(("ng", "nanogram"), ("mcg", 0.001, "amount")),
    **dict.fromkeys(("ml", "mililit", "milliliter", "millilitre", "cc"), ("ml", 1.0, "volume")),
    **dict.fromkeys(("l", "lit", "liter", "litre", "liters", "litres"), ("ml", 1000.0, "volume")),
    **dict.fromkeys(("iu", "ui", "dvqt", "u", "unit", "units"), ("iu", 1.0, "amount")),
    "miu": ("iu", 1e6, "amount"),
    **{word: (word, 1.0, "amount") for word in ("lf", "ccid50", "tcid50", "pfu", "du", "elu")},
    **{word: (word, 1.0, "amount") for word in ("cfu", "mmol", "meq")},
    **dict.fromkeys(("lieu", "dose", "doses", "nhat", "puff", "actuation"), ("dose", 1.0, "dose")),
    **{word: (word, 1.0, "count") for word in ("vien", "nang", "goi", "ong", "lo", "chai", "tuyp")},
    **{word: (word, 1.0, "count") for word in ("tablet", "capsule", "sachet", "vial", "ampoule")},
    "%": ("%", 1.0, "percent"),
}
_GRAM_WORDS = frozenset(("g", "gr", "gam", "gram", "grams"))
_MASS_IN_G = {"mg": 0.001, "kg": 1000.0, "mcg": 1e-6, "ug": 1e-6, **dict.fromkeys(_GRAM_WORDS, 1.0)}
_MULTIPLIERS = {"trieu": 1e6, "million": 1e6, "ty": 1e9, "billion": 1e9, "nghin": 1e3, "ngan": 1e3}
_JOIN_WORDS = frozenset(("va", "and"))

_TOKEN = re.compile(
    r"(?P<pow>10\s*\^\s*(?P<exp>\d+(?:[.,]\d+)?))|(?P<num>\d+(?:[.,]\d+)*)"
    r"|(?P<word>[a-z]+\d*)|(?P<pct>%)|(?P<slash>/)|(?P<plus>[+;,&])"
)
_DOTTED_LETTERS = re.compile(r"(?<=[a-z])\.(?=[a-z])")
_TIMES = re.compile(r"(?<=[\d\s])[x*×](?=\s*\d)")
_THOUSANDS_DOT = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"[1-9]\d{0,2}(?:,\d{3}){2,}")
_SPELLED = (("don vi quoc te", " iu "), ("don vi", " iu "), ("µ", "mc"), ("μ", "mc"))

_PLUS, _SLASH, _TIMES_OP, _BREAK = "plus", "slash", "times", "break"


@dataclass(frozen=True)
class StrengthPart:
    """One component: `value` `unit`, per `per_value` `per_unit` when a concentration."""

    value: float
    unit: str
    per_value: float | None = None
    per_unit: str | None = None

    @property
    def key(self) -> str:
        """Return the canonical text, e.g. "500mg", "40mg/ml", "0.5ml/dose"."""
        text = f"{_fmt(self.value)}{self.unit}"
        if self.per_unit is None:
            return text
        per = "" if self.per_value in (None, 1.0) else _fmt(self.per_value)
        return f"{text}/{per}{self.per_unit}"


@dataclass(frozen=True)
class Strength:
    """The strength of a drug: one component per active ingredient, in the order written."""

    components: tuple[StrengthPart, ...]

    @property
    def value(self) -> float | None:
        """Return the value of a single-component strength, None for a combination."""
        return self.components[0].value if len(self.components) == 1 else None

    @property
    def unit(self) -> str | None:
        """Return the unit of a single-component strength, None for a combination."""
        return self.components[0].unit if len(self.components) == 1 else None

    @property
    def key(self) -> str:
        """Return the canonical text, components joined by "+", e.g. "875mg+125mg"."""
        return "+".join(part.key for part in self.components)


@dataclass
class _Qty:
    value: float | None
    word: str | None = None


@dataclass
class _Draft:
    num: _Qty
    den: _Qty | None = None
    joined: bool = False


@lru_cache(maxsize=65536)
def parse_strength(text: str | None) -> Strength | None:
    """Parse a strength cell; return None when no quantity with a unit is found."""
    if not text:
        return None
    drafts = _drafts(_items(_prepare(text)))
    _backfill_units(drafts)
    parts = tuple(part for part in map(_finish, drafts) if part is not None)
    return Strength(parts) if parts else None


def _fmt(value: float) -> str:
    """Format a number without exponent or trailing zeros, to 6 significant digits."""
    rounded = float(f"{value:.6g}")
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:f}".rstrip("0").rstrip(".")


def _prepare(text: str) -> str:
    lowered = strip_marks(text).lower()
    for spelled, short in _SPELLED:
        lowered = lowered.replace(spelled, short)
    return _TIMES.sub(" x ", _DOTTED_LETTERS.sub("", lowered))


def _number(raw: str) -> float | None:
    """Read a number written the Vietnamese or the English way."""
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "." in raw and _THOUSANDS_DOT.fullmatch(raw):
        raw = raw.replace(".", "")
    elif "," in raw:
        raw = raw.replace(",", "") if _THOUSANDS_COMMA.fullmatch(raw) else raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _power(exponent: str) -> float | None:
    value = _number(exponent)
    return None if value is None or value > 300 else 10.0**value


def _items(text: str) -> list[_Qty | str]:
    """Turn text into quantities and operators; unknown words become breaks."""
    items: list[_Qty | str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "pow":
            _add_power(items, _power(match.group("exp")))
        elif kind == "num":
            items.append(_Qty(_number(match.group("num"))))
        elif kind in ("word", "pct"):
            _add_word(items, match.group(kind))
        else:
            items.append(_SLASH if kind == "slash" else _PLUS)
    return items


def _add_power(items: list[_Qty | str], value: float | None) -> None:
    if len(items) >= 2 and items[-1] == _TIMES_OP and isinstance(items[-2], _Qty):
        coefficient = items[-2]
        if coefficient.word is None and coefficient.value is not None and value is not None:
            del items[-1]
            coefficient.value *= value
            return
    items.append(_Qty(value))


def _add_word(items: list[_Qty | str], word: str) -> None:
    last = items[-1] if items else None
    if isinstance(last, _Qty) and last.word is None and last.value is not None:
        if word in _MULTIPLIERS:
            last.value *= _MULTIPLIERS[word]
            return
        if word in _UNITS:
            last.word = word
            return
    if word in _UNITS:
        items.append(_Qty(None, word))
    elif word in _JOIN_WORDS:
        items.append(_PLUS)
    else:
        items.append(_TIMES_OP if word == "x" else _BREAK)


def _drafts(items: list[_Qty | str]) -> list[_Draft]:
    """Group quantities into components, attaching denominators after a slash."""
    drafts: list[_Draft] = []
    pending: str | None = None
    for item in items:
        if not isinstance(item, _Qty):
            pending = item if item in (_PLUS, _SLASH) else None
            continue
        last = drafts[-1] if drafts else None
        if pending == _SLASH and last and last.den is None and _is_denominator(last.num, item):
            last.den = item
        elif item.value is not None:
            drafts.append(_Draft(item, joined=pending is not None))
        pending = None
    return drafts


def _kind(qty: _Qty) -> str | None:
    return _UNITS[qty.word][2] if qty.word in _UNITS else None


def _is_denominator(num: _Qty, den: _Qty) -> bool:
    """Tell "40mg/ml" (a concentration) from "875mg/125mg" (a combination)."""
    num_kind, den_kind = _kind(num), _kind(den)
    if num_kind in (None, "percent", "count") or den_kind is None:
        return False
    if den.value is None or den_kind in ("dose", "count"):
        return True
    if den_kind == "volume":
        return num_kind != "volume"
    if den.word in _GRAM_WORDS:
        return den.value == 100 or (den.value == 1 and num.word not in _GRAM_WORDS)
    return False


def _backfill_units(drafts: list[_Draft]) -> None:
    """Give "875 + 125 mg" the unit of the next joined component."""
    for index in range(len(drafts) - 2, -1, -1):
        current, following = drafts[index], drafts[index + 1]
        if current.num.word is None and following.joined and following.num.word is not None:
            current.num.word = following.num.word


def _finish(draft: _Draft) -> StrengthPart | None:
    """Convert a draft to canonical units; None when it has no unit or no finite value."""
    if draft.num.word not in _UNITS or draft.num.value is None:
        return None
    unit, factor, _ = _UNITS[draft.num.word]
    value = draft.num.value * factor
    per = _per(draft.den)
    if per is None:
        return StrengthPart(value, unit) if math.isfinite(value) else None
    amount, per_unit = per
    ratio = value / amount if amount else math.inf
    return StrengthPart(ratio, unit, 1.0, per_unit) if math.isfinite(ratio) else None


def _per(den: _Qty | None) -> tuple[float, str] | None:
    """Return (amount of the denominator in its canonical unit, that unit), None to drop it."""
    if den is None or den.word is None:
        return None
    kind = _kind(den)
    amount = den.value if den.value else 1.0
    if kind == "volume":
        return amount * _UNITS[den.word][1], "ml"
    if kind == "dose":
        return amount, "dose"
    if den.word in _MASS_IN_G:
        return amount * _MASS_IN_G[den.word], "g"
    return None
