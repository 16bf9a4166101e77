"""One text key for diacritic-insensitive matching across the core package.

Real spreadsheets spell the same word with and without Vietnamese marks, in NFC and NFD, in any
case and with stray punctuation. Every lookup table in `procurement` (dosage forms, routes,
countries, units) is keyed by `fold_key`, so the folding rule lives here once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def strip_marks(text: str) -> str:
    """Return `text` in NFC without combining marks, with đ/Đ as d/D; keep case and punctuation."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """Fold `text` to a matching key: no marks, đ->d, lowercase, punctuation runs -> one space."""
    return _NON_ALNUM.sub(" ", strip_marks(text).lower()).strip()
