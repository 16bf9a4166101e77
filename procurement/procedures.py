"""Procurement procedures as portals code them and files spell them, mapped to one vocabulary.

CMP-01 (single bidder in a competitive procedure) and CMP-04 (non-competitive share) need to know
which procedures are competitive, whatever the file called them.
"""

from __future__ import annotations

from functools import lru_cache

from procurement.textkey import fold_key

OPEN, RESTRICTED, COMPETITIVE_OFFER = "open_bidding", "restricted_bidding", "competitive_offer"
DIRECT_APPOINTMENT, DIRECT_PROCUREMENT = "direct_appointment", "direct_procurement"
NEGOTIATION, CENTRALIZED, OTHER = "price_negotiation", "centralized", "other"

COMPETITIVE = frozenset({OPEN, RESTRICTED, COMPETITIVE_OFFER})
NON_COMPETITIVE = frozenset({DIRECT_APPOINTMENT, DIRECT_PROCUREMENT})

# Portal codes first (DTRR ...), then Vietnamese and English phrases, matched on folded text.
# CDTRG is "chỉ định thầu rút gọn" (simplified direct appointment), so it counts as direct
# appointment; DOMAIN.md calls it competitive quotation, which the portal's wording contradicts.
_PHRASES: tuple[tuple[str, str], ...] = (
    ("dtrr", OPEN), ("dau thau rong rai", OPEN), ("open bidding", OPEN), ("open tender", OPEN),
    ("open", OPEN), ("dthc", RESTRICTED), ("dau thau han che", RESTRICTED),
    ("restricted", RESTRICTED), ("chct", COMPETITIVE_OFFER), ("chao hang canh tranh",
    COMPETITIVE_OFFER), ("competitive offer", COMPETITIVE_OFFER), ("competitive quotation",
    COMPETITIVE_OFFER), ("request for quotation", COMPETITIVE_OFFER),
    ("cdtrg", DIRECT_APPOINTMENT), ("cdt", DIRECT_APPOINTMENT), ("chi dinh thau",
    DIRECT_APPOINTMENT), ("direct appointment", DIRECT_APPOINTMENT), ("direct award",
    DIRECT_APPOINTMENT), ("single source", DIRECT_APPOINTMENT), ("mstt", DIRECT_PROCUREMENT),
    ("mua sam truc tiep", DIRECT_PROCUREMENT), ("direct procurement", DIRECT_PROCUREMENT),
    ("direct purchase", DIRECT_PROCUREMENT), ("dam phan gia", NEGOTIATION), ("dpg", NEGOTIATION),
    ("price negotiation", NEGOTIATION), ("mua sam tap trung", CENTRALIZED),
    ("dau thau tap trung", CENTRALIZED), ("centralized", CENTRALIZED),
    ("centralised", CENTRALIZED), ("framework", CENTRALIZED),
)  # fmt: skip


@lru_cache(maxsize=4096)
def canonical_procedure(text: str | None) -> str | None:
    """Return the canonical procedure for a code or phrase, "other" if unknown, None if empty."""
    if not text:
        return None
    key = fold_key(text)
    for phrase, procedure in _PHRASES:
        if key == phrase or key.startswith(phrase + " ") or f" {phrase} " in f" {key} ":
            return procedure
    return OTHER
