"""Drug identity: active ingredient(s) + strength + dosage form, as one stable key.

Prices are only comparable between the same drug (PRC-02 peers, DOM-02 alternatives, DOM-03
list items), and files spell the same drug many ways: "Amoxicilin + Acid clavulanic" and
"Acid Clavulanic+Amoxicilin", "Amlodipin besilat" and "Amlodipin", NFC and NFD. The key folds
those differences away; the display forms keep what the file said. Strength parsing lives in
`procurement.strength`, dosage forms and routes in `procurement.dosage_forms`; both are
re-exported here so callers import drug identity from one place.

Ingredient splitting: "+", ";", " và ", " and ", " & " always split; "/" splits when both sides
look like names ("Sulfamethoxazol/Trimethoprim"); ", " splits only when every piece has a word
of four letters or more, so "Vitamin B1, B6, B12" stays whole. Separators inside parentheses
never split.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from procurement.dosage_forms import (
    DOSAGE_FORM_PHRASES,
    FORM_MODIFIERS,
    OTHER,
    ROUTE_PHRASES,
    canonical_dosage_form,
    canonical_route,
)
from procurement.strength import Strength, StrengthPart, parse_strength
from procurement.textkey import fold_key

__all__ = [
    "CANONICAL_FORMS",
    "COUNTER_ION_WORDS",
    "DOSAGE_FORM_PHRASES",
    "FORM_MODIFIERS",
    "HYDRATE_WORDS",
    "ROUTE_PHRASES",
    "SALT_WORDS",
    "Strength",
    "StrengthPart",
    "canonical_dosage_form",
    "canonical_route",
    "identity_key",
    "identity_key_from_text",
    "ingredient_key",
    "ingredients_as_written",
    "parse_strength",
    "split_ingredients",
]

CANONICAL_FORMS: frozenset[str] = frozenset(
    {form for _, form in DOSAGE_FORM_PHRASES} | {new for _, _, new in FORM_MODIFIERS} | {OTHER}
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Hydrate words (these and any word ending in "hydrat"/"hydrate") always leave an ingredient's
# key: "Magnesi lactat dihydrat" -> "magnesi lactat", "Glucose khan" -> "glucose".
HYDRATE_WORDS: frozenset[str] = _words("hydrat hydrate khan anhydrous")
# Salt words leave the key ("Amlodipin besilat" -> "amlodipin") only when a real base word
# remains: "Natri clorid", "Magnesi sulfat" and "Calci carbonat" keep theirs.
SALT_WORDS: frozenset[str] = _words(
    """hydroclorid hydrochlorid hydrochloride dihydroclorid hcl natri sodium kali potassium
    calci calcium magnesi magnesium sulfat sulphat sulfate sulphate phosphat phosphate maleat
    maleate besilat besylat besylate mesilat mesylat mesylate fumarat fumarate tartrat tartrate
    succinat hyclat"""
)
# Words that are not a base on their own: what remains of "Natri clorid", "Calci carbonat".
COUNTER_ION_WORDS: frozenset[str] = _words(
    """clorid chlorid chloride carbonat bicarbonat hydrocarbonat oxyd oxid hydroxyd hydroxid
    lactat gluconat citrat acetat iodid bromid fluorid glycerophosphat aspartat sat kem mangan
    nhom lithi"""
)

_HARD_SPLIT = re.compile(r"\s*[+;]\s*|\s+(?:và|and|&)\s+", re.IGNORECASE)
_SLASH_SPLIT = re.compile(r"\s*/\s*")
_COMMA_SPLIT = re.compile(r"\s*,(?!\d)\s*")
_STARTS_WITH_NAME = re.compile(r"[^\W\d_]{2,}")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_AS_FORM = re.compile(r"\s(?:duoi dang|tuong duong voi|tuong duong)\s.*$")
_NOT_UNITS = frozenset(("mg", "g", "ml", "l", "mcg", "iu", "ui", "lieu", "dose", "vien", "kg"))


def _depth_zero(text: str, index: int) -> bool:
    prefix = text[:index]
    return prefix.count("(") + prefix.count("[") == prefix.count(")") + prefix.count("]")


def _split_outside(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split `text` on `pattern`, ignoring matches inside parentheses or brackets."""
    pieces, start = [], 0
    for match in pattern.finditer(text):
        if _depth_zero(text, match.start()):
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _looks_like_name(piece: str) -> bool:
    words = fold_key(piece).split()
    return bool(_STARTS_WITH_NAME.match(piece)) and bool(words) and words[0] not in _NOT_UNITS


def _split_soft(piece: str) -> list[str]:
    """Split one piece on "/" or ", " when every part looks like an ingredient name."""
    slashed = _split_outside(piece, _SLASH_SPLIT)
    if len(slashed) > 1 and all(map(_looks_like_name, slashed)):
        return [name for part in slashed for name in _split_soft(part)]
    commas = _split_outside(piece, _COMMA_SPLIT)
    if len(commas) > 1 and all(_LONG_WORD.search(part) and part[0].isalpha() for part in commas):
        return commas
    return [piece]


def _display(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).strip(" ,;/+-:.")


def _without_parentheses(name: str) -> str:
    previous = None
    while previous != name:
        previous, name = name, _PARENTHESES.sub(" ", name)
    return name


@lru_cache(maxsize=65536)
def ingredients_as_written(text: str | None) -> tuple[str, ...]:
    """Split a combination into display names in the order written, duplicates removed."""
    if not text:
        return ()
    names: dict[str, str] = {}
    for piece in _split_outside(unicodedata.normalize("NFC", text), _HARD_SPLIT):
        for name in map(_display, _split_soft(piece)):
            if fold_key(name):
                names.setdefault(fold_key(name), name)
    return tuple(names.values())


@lru_cache(maxsize=65536)
def split_ingredients(text: str | None) -> tuple[str, ...]:
    """Split a combination into display names ordered by fold_key, duplicates removed."""
    return tuple(sorted(ingredients_as_written(text), key=fold_key))


@lru_cache(maxsize=65536)
def ingredient_key(name: str) -> str:
    """Return an ingredient's key: folded, without parentheses, "dưới dạng ..." or salt words."""
    folded = fold_key(_without_parentheses(name))
    words = _AS_FORM.sub("", f" {folded} ").split()
    words = [word for word in words if not _is_hydrate(word)] or words
    kept = [word for word in words if word not in SALT_WORDS]
    has_base = any(len(word) >= 3 and word not in COUNTER_ION_WORDS for word in kept)
    return " ".join(kept if has_base else words)


def _is_hydrate(word: str) -> bool:
    return word in HYDRATE_WORDS or word.endswith(("hydrat", "hydrate"))


def _form_key(form: str | None) -> str:
    if not form:
        return "?"
    return form if form in CANONICAL_FORMS else canonical_dosage_form(form) or "?"


@lru_cache(maxsize=65536)
def identity_key(ingredients: tuple[str, ...], strength: Strength | None, form: str | None) -> str:
    """Build "ingredient+ingredient|strength|form", invariant to ingredient order and spelling.

    Pass `ingredients` in the order the strength is written (`ingredients_as_written`): when
    the strength has one component per ingredient, the pairs are sorted together.
    """
    keys = [ingredient_key(name) for name in ingredients]
    parts = strength.components if strength else ()
    if len(keys) > 1 and len(parts) == len(keys):
        pairs = sorted(zip(keys, parts, strict=True), key=lambda pair: (pair[0], pair[1].key))
        strength_key = "+".join(part.key for _, part in pairs)
    else:
        strength_key = strength.key if strength else "?"
    ingredient_part = "+".join(sorted(key for key in keys if key)) or "?"
    return f"{ingredient_part}|{strength_key}|{_form_key(form)}"


@lru_cache(maxsize=65536)
def identity_key_from_text(ingredients: str | None, strength: str | None, form: str | None) -> str:
    """Build the identity key straight from the three spreadsheet cells."""
    return identity_key(ingredients_as_written(ingredients), parse_strength(strength), form)
