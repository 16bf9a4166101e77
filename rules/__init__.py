"""The rules engine and the default rule pack.

One explicit registry: every rule module is imported here by name, so the registry, the pack
file and the documentation can be checked against each other by a test.
"""

from rules.competition import cmp01_single_bidder
from rules.engine.registry import REGISTRY
from rules.price import prc01_price_above_plan

__all__ = ["REGISTRY", "cmp01_single_bidder", "prc01_price_above_plan"]
