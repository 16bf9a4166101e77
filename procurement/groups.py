"""Technical groups as files write them: "N4", "G1N4" (package G1, group N4), "Nhóm 4", "BDG".

DOM-03 and CEN-01 compare a line's group with a list item's; both read the cell the same way.
"""

from __future__ import annotations

import re

from procurement.textkey import fold_key

_GROUP = re.compile(r"(?:^|[^a-z])n(?:hom)?\s*([1-5])(?![0-9])")


def group_codes(text: object) -> frozenset[str]:
    """Return the technical groups a cell names: "N4", "G1N4" and "Nhóm 4" all give {"N4"}.

    A package code (G1..G5) is not a group; a cell naming no N-group ("BDG") is its own code;
    an empty cell names none.
    """
    if not isinstance(text, str) or not text.strip():
        return frozenset()
    key = fold_key(text)
    found = {f"N{digit}" for digit in _GROUP.findall(key)}
    return frozenset(found) if found else frozenset({key.upper()})
