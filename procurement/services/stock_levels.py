"""The order in which product categories are listed: vaccines first, everywhere.

The levels each category is judged against (emergency order point, minimum, maximum) are the
pack's, read by `rules.stock.formulas.stock_levels` for the rules and the pages alike.
"""

from __future__ import annotations

CATEGORY_ORDER = ("vaccine", "medicine")


def category_rank(category: str | None) -> int:
    """Return a category's place in the listing order (vaccines first, unknown ones last)."""
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)
