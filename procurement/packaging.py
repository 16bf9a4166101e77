"""Packaging ("Quy cách đóng gói") and the price per base unit, so pack prices compare.

One buyer pays per box ("Hộp", 100 tablets), another per tablet ("Viên"): PRC-02 and DOM-02
compare prices per base unit (tablet, capsule, ampoule, vial, bottle, tube, sachet, bag, dose,
syringe, pen, patch; ml when a bulk liquid is sold by the ml). The unit column decides: a base
unit is already per unit; a pack unit (box, blister, carton) is divided by the number of base
units the packaging text puts in one such pack.

Packaging text is read as counted units from the outside in: "Hộp 10 vỉ x 10 viên" is one box
of 10 blisters of 10 tablets. Content sizes ("5ml", "1,5g") are not counts. The base unit is the
innermost counted piece ("Hộp 1 lọ 30 viên" -> tablets); doses count only when nothing else
does ("Hộp 10 lọ x 10 liều" -> 10 vials, 100 doses). A bare "v" is a blister when another
count follows, else a tablet ("H/10v/10v" -> 100). Only the first alternative is read: text
after ";", "hoặc"/"or", "+", "kèm"/"và" (a solvent ampoule, another pack size) is ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile
from types import MappingProxyType

from procurement.textkey import fold_key, strip_marks

PER_UNIT, PER_PACK, UNKNOWN_UNIT = "per-unit", "per-pack", "unknown-unit"


# fold_key of a unit word -> canonical English base unit
BASE_UNITS: MappingProxyType[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("vien", "vien nen", "vien sui", "vien nhai"), "tablet"),
        **dict.fromkeys(("tablet", "tablets"), "tablet"),
        **dict.fromkeys(("vien nang", "nang", "capsule", "capsules"), "capsule"),
        **dict.fromkeys(("vien dat", "vien dan", "suppository", "suppositories"), "suppository"),
        **dict.fromkeys(("ong", "amp", "ampul", "ampule", "ampoule", "ampoules"), "ampoule"),
        **dict.fromkeys(("lo", "vial", "vials"), "vial"),
        **dict.fromkeys(("chai", "binh", "bottle", "bottles"), "bottle"),
        **dict.fromkeys(("tuyp", "tup", "tube", "tubes"), "tube"),
        **dict.fromkeys(("goi", "sachet", "sachets"), "sachet"),
        **dict.fromkeys(("tui", "bag", "bags"), "bag"),
        **dict.fromkeys(("lieu", "dose", "doses"), "dose"),
        **dict.fromkeys(("bom tiem", "bom", "syringe", "syringes"), "syringe"),
        **dict.fromkeys(("but tiem", "pen", "pens"), "pen"),
        **dict.fromkeys(("mieng", "mieng dan", "patch", "patches"), "patch"),
        **dict.fromkeys(("binh xit", "inhaler", "inhalers"), "inhaler"),
        **dict.fromkeys(("cai", "piece", "pieces"), "piece"),
        "ml": "ml",
    }
)
# fold_key of a pack word -> canonical English pack
PACK_UNITS: MappingProxyType[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("hop", "box", "boxes"), "box"),
        **dict.fromkeys(("vi", "blister", "blisters"), "blister"),
        **dict.fromkeys(("thung", "carton", "cartons"), "carton"),
        **dict.fromkeys(("loc", "khay", "pack", "packs"), "pack"),
    }
)
# Units that give a content size, never a count.
_CONTENT = frozenset(("ml", "l", "lit", "g", "gam", "gr", "mg", "mcg", "kg", "iu", "ui", "cm"))
_PACK_ONLY = {"h": "box"}  # abbreviations read only in packaging text ("H/10v/10v")
_CUT = re.compile(r"[;\n+]|\b(?:hoac|or|kem|va)\b")
_TOKENS = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+")
_PACK, _BASE, _DOSE, _AMBIGUOUS = "pack", "base", "dose", "v"


@dataclass(frozen=True)
class _Entry:
    count: int
    kind: str  # pack | base | dose | v (vỉ or viên, resolved later)
    name: str | None  # canonical English unit, None for an unnamed "10 x"


def _classify(words: list[str]) -> tuple[str, str | None, int] | None:
    """Classify the unit words after a count: (kind, canonical name, words used)."""
    for size in (2, 1):
        word = " ".join(words[:size])
        if len(words) >= size and word in BASE_UNITS:
            kind = _DOSE if BASE_UNITS[word] == "dose" else _BASE
            return kind, BASE_UNITS[word], size
        if len(words) >= size and (word in PACK_UNITS or word in _PACK_ONLY):
            return _PACK, PACK_UNITS.get(word) or _PACK_ONLY[word], size
    if words and words[0] == "v":
        return _AMBIGUOUS, None, 1
    return None


def _count(raw: str) -> int | None:
    value = float(raw.replace(",", "."))
    return int(value) if value.is_integer() and 0 < value < 1e9 else None


def _words_at(tokens: list[str], start: int) -> list[str]:
    """Return up to two words starting at `start`, stopping at a number."""
    return list(takewhile(lambda token: not token[0].isdigit(), tokens[start : start + 2]))


def _read(tokens: list[str]) -> list[_Entry]:
    """Read the leading container and every "<count> <unit>" pair."""
    entries: list[_Entry] = []
    leading = _classify(_words_at(tokens, 0))
    if leading and leading[0] != _AMBIGUOUS:
        entries.append(_Entry(1, leading[0], leading[1]))
    for index, token in enumerate(tokens):
        if not token[0].isdigit():
            continue
        words = _words_at(tokens, index + 1)
        unit = _classify(words) if words and words[0] not in _CONTENT else None
        count = _count(token)
        if count and unit:
            entries.append(_Entry(count, unit[0], unit[1]))
        elif count and (not words or words[0] == "x"):
            entries.append(_Entry(count, _PACK, None))
    return entries


def _resolve(entries: list[_Entry]) -> tuple[_Entry, ...]:
    """Make each ambiguous "v" a blister when a count follows it, else a tablet."""
    resolved = []
    for index, entry in enumerate(entries):
        if entry.kind == _AMBIGUOUS:
            inner = any(e.kind in (_BASE, _AMBIGUOUS) for e in entries[index + 1 :])
            entry = _Entry(entry.count, *((_PACK, "blister") if inner else (_BASE, "tablet")))
        resolved.append(entry)
    return tuple(resolved)


@lru_cache(maxsize=65536)
def _entries(packaging: str | None) -> tuple[_Entry, ...]:
    if not packaging:
        return ()
    text = _CUT.split(strip_marks(packaging).lower(), maxsplit=1)[0]
    return _resolve(_read(_TOKENS.findall(text)))


def _base_index(entries: tuple[_Entry, ...]) -> int | None:
    """Index of the innermost base unit, or of the innermost dose when there is none."""
    for kind in (_BASE, _DOSE):
        found = [index for index, entry in enumerate(entries) if entry.kind == kind]
        if found:
            return found[-1]
    return None


def _product(entries: tuple[_Entry, ...]) -> int:
    return math.prod(entry.count for entry in entries)


@lru_cache(maxsize=65536)
def units_per_pack(packaging: str | None) -> int | None:
    """Count base units in the outermost pack ("Hộp 10 vỉ x 10 viên" -> 100); None if unclear."""
    entries = _entries(packaging)
    base = _base_index(entries)
    return _product(entries[: base + 1]) if base is not None else None


@lru_cache(maxsize=65536)
def doses_per_pack(packaging: str | None) -> int | None:
    """Count doses in the outermost pack ("Hộp 10 lọ x 10 liều" -> 100); None if not stated."""
    entries = _entries(packaging)
    doses = [index for index, entry in enumerate(entries) if entry.kind == _DOSE]
    return _product(entries[: doses[-1] + 1]) if doses else None


@lru_cache(maxsize=65536)
def base_unit_of(packaging: str | None) -> str | None:
    """Return the canonical base unit the packaging counts ("tablet", "vial", "dose")."""
    entries = _entries(packaging)
    base = _base_index(entries)
    return entries[base].name if base is not None else None


def units_per(pack: str, packaging: str | None) -> int | None:
    """Count base units in one `pack` ("box", "blister", ...) of this packaging."""
    entries = _entries(packaging)
    base = _base_index(entries)
    if base is None:
        return None
    named = [index for index, entry in enumerate(entries[:base]) if entry.name == pack]
    if named:
        return _product(entries[named[0] + 1 : base + 1])
    return _product(entries[: base + 1]) if pack in ("box", "pack") else None


@lru_cache(maxsize=65536)
def unit_kind(unit: str | None) -> tuple[str, str] | None:
    """Classify a unit cell: ("base", "tablet"), ("pack", "box"), or None when unknown."""
    words = fold_key(unit or "").split()
    for size in (len(words), 2, 1):
        key = " ".join(words[:size])
        if key in BASE_UNITS:
            return _BASE, BASE_UNITS[key]
        if key in PACK_UNITS:
            return _PACK, PACK_UNITS[key]
    return None


def standard_unit_price(
    unit_price: float, unit: str | None, packaging: str | None
) -> tuple[float | None, str | None, str]:
    """Return (price per base unit, base unit, how: per-unit | per-pack | unknown-unit)."""
    kind = unit_kind(unit)
    if kind and kind[0] == _BASE:
        return unit_price, kind[1], PER_UNIT
    if kind:
        count, base = units_per(kind[1], packaging), base_unit_of(packaging)
        if count and base:
            return unit_price / count, base, PER_PACK
    return None, None, UNKNOWN_UNIT
