"""Text hygiene shared by every importer: one cleaning and one matching key for all cells.

Real exports mix NFC and NFD ("Việt Nam" both ways), non-breaking spaces, tabs, line breaks and
stray control characters; `clean_text` makes a cell's text canonical and `fold` (the core's
`fold_key`, one rule for the whole code base) gives the key that header, category and sentinel
matching compare, so "Đơn giá (VNĐ)" meets "don gia vnd".
Both run for every cell of every file, so string results are memoized in bounded dicts.
"""

from __future__ import annotations

import re
import unicodedata

from procurement.textkey import fold_key as fold

CACHE_LIMIT = 200_000

_MISS = object()
_WHITESPACE = re.compile(r"\s+")
_KEPT_CONTROLS = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85"
_REMOVED = {
    code: None
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x200B, 0xFEFF]
    if chr(code) not in _KEPT_CONTROLS
}

_clean_cache: dict[str, str | None] = {}


def clean_text(raw: object) -> str | None:
    """Return the cell's canonical text (NFC, single spaces, no controls), None when blank.

    Zero-width spaces and byte-order marks are removed with the control characters because
    they are invisible to the officer yet break matching.
    """
    if raw is None:
        return None
    if not isinstance(raw, str):
        return _other_text(raw)
    hit = _clean_cache.get(raw, _MISS)
    if hit is _MISS:
        if len(_clean_cache) > CACHE_LIMIT:
            _clean_cache.clear()
        hit = _clean_cache[raw] = _clean(raw)
    return hit  # type: ignore[return-value]


def _other_text(raw: object) -> str | None:
    """Show an integral float as Excel does ("12", not "12.0"); other values through str()."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return _clean(str(raw))


def _clean(raw: str) -> str | None:
    text = unicodedata.normalize("NFC", raw.translate(_REMOVED))
    return _WHITESPACE.sub(" ", text).strip() or None


def is_sentinel(text: str, sentinels: frozenset[str]) -> bool:
    """Tell whether a cell means "no value"; text made only of punctuation always does."""
    key = fold(text)
    return not key or key in sentinels


DEFAULT_SENTINELS = frozenset(
    fold(s)
    for s in [
        "N/A", "NA", "n/a", "-", "--", "…", "...", "Date Not Captured", "không có", "không",
        "null", "none", "#N/A",
    ]
)  # fmt: skip
