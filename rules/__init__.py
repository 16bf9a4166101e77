"""The rules engine and the default rule pack.

One explicit registry: every rule module is imported here by name, so the registry, the pack
file and the documentation can be checked against each other by a test.
"""

from rules import stock  # registers STK-01 to STK-08: rules/stock/__init__.py lists them
from rules.centralized import cen01_outside_framework
from rules.competition import (
    cmp01_single_bidder,
    cmp02_ceiling_award,
    cmp03_supplier_dominance,
    cmp04_non_competitive_share,
)
from rules.domestic import (
    dom01_share_below_target,
    dom02_imported_despite_domestic,
    dom03_domestic_only_list,
)
from rules.engine.registry import REGISTRY
from rules.price import (
    pln01_plan_above_results,
    prc01_price_above_plan,
    prc02_peer_outlier,
    prc03_divergent_prices,
    prc04_above_reference,
    prc05_price_rise,
)
from rules.quality import dq01_missing_fields

__all__ = [
    "REGISTRY",
    "cen01_outside_framework",
    "cmp01_single_bidder",
    "cmp02_ceiling_award",
    "cmp03_supplier_dominance",
    "cmp04_non_competitive_share",
    "dom01_share_below_target",
    "dom02_imported_despite_domestic",
    "dom03_domestic_only_list",
    "dq01_missing_fields",
    "pln01_plan_above_results",
    "prc01_price_above_plan",
    "prc02_peer_outlier",
    "prc03_divergent_prices",
    "prc04_above_reference",
    "prc05_price_rise",
    "stock",
]
