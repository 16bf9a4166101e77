"""Domestic share of award value and quantity per buyer, province, level or the nation, per year.

Decision 1165/QĐ-TTg (2023) sets the 2030 targets for domestic drugs: 70% of demand by value
and 80% by quantity. DOM-01 and the public share report both compute shares here, so a flag and
the published figure can never disagree. How the figures are counted:

- Origin unknown: a line whose origin could not be decided (no usable registration number or
  country) is left out of both the numerator and the denominator of both shares, and reported
  separately (`unknown_value`, `unknown_lines`). Counting it as imported would penalise a buyer
  for its files' gaps, counting it as domestic would reward them; a reader sees how much is out.
- Value is the line's amount, or quantity x unit price when the file states no amount.
- Quantity is counted in base units (the line's standard unit: tablet, capsule, vial, ampoule,
  dose, ml, ...), so a box of 100 tablets counts 100, not 1. Base units of different forms still
  add up as equals: a tablet and a vial are one unit each, as a plain count "by quantity" does
  (no defined-daily-dose weighting is attempted). A line whose base unit is unknown (a pack
  whose packaging text gives no count) is left out of both quantity figures and counted in
  `unmeasured_lines`; its value still counts.
- A line without a decision date has no year and is left out; a line whose buyer has no
  province is left out of the province rows only (it counts for its buyer, level and nation).
- Amounts are added as stated: the files are in VND; mixed currencies are not converted.
- Product categories: the decision's 70%/80% targets are for drugs; vaccines have targets of
  their own (100% of the expanded immunization programme's need, 30% of service vaccination,
  DOMAIN.md) that award files cannot tell apart. So only the categories the pack names under
  `targets.domestic_share.categories` count (default: medicine); lines of the other categories
  are left out of every figure and reported separately (`excluded_lines`, `excluded_value`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from procurement.buyers import LEVELS

SCOPES = ("buyer", "province", "level", "nation")
MEASURES = ("value", "quantity")
CATEGORIES = ("medicine", "vaccine")
DEFAULT_CATEGORIES = ("medicine",)
NATION = "Việt Nam"
_GROUPING = {
    "buyer": ("buyer_id", "buyer"),
    "province": ("province_code", "province"),
    "level": ("buyer_level", "buyer_level"),
}
_SUMS = (
    "lines", "domestic_value", "total_value", "domestic_quantity", "total_quantity",
    "unknown_value", "unknown_lines", "unmeasured_lines", "excluded_lines", "excluded_value",
)  # fmt: skip
COLUMNS = (
    "scope", "key", "name", "level", "year", "value_share", "quantity_share", *_SUMS,
)  # fmt: skip


def domestic_shares(
    awards: pd.DataFrame, by: str, categories: tuple[str, ...] = DEFAULT_CATEGORIES
) -> pd.DataFrame:
    """Return one row per year and subject with domestic and total value and quantity.

    A subject whose lines are all of other categories keeps its row, with no line counted, so
    that a reader (and DOM-01's not-applicable count) sees it was left out rather than missed.
    """
    if by not in SCOPES:
        raise ValueError(f"unknown scope {by!r} (known: {', '.join(SCOPES)})")
    measures = line_measures(awards, categories)
    if by == "nation":
        measures["key"], measures["name"] = "nation", NATION
    else:
        key, name = _GROUPING[by]
        measures["key"], measures["name"] = awards[key], awards[name]
    measures["level"] = awards["buyer_level"] if by in ("buyer", "level") else None
    sums = {column: (column, "sum") for column in _SUMS}
    shares = measures.groupby(["key", "year"], sort=True).agg(
        name=("name", "first"), level=("level", "first"), **sums
    )
    shares = shares.reset_index()
    shares["level"] = shares["level"].astype(object).where(shares["level"].notna(), None)
    shares["scope"] = by
    shares["year"] = shares["year"].astype(int)
    shares["value_share"] = _ratio(shares["domestic_value"], shares["total_value"])
    shares["quantity_share"] = _ratio(shares["domestic_quantity"], shares["total_quantity"])
    return shares.sort_values(["year", "key"], ignore_index=True).loc[:, list(COLUMNS)]


def line_measures(
    awards: pd.DataFrame, categories: tuple[str, ...] = DEFAULT_CATEGORIES
) -> pd.DataFrame:
    """Return each line's year and its value and base-unit quantity split by origin.

    A line of a category not counted adds to `excluded_lines` and `excluded_value` only, even
    when its origin is unknown: it is out of the shares for its category, not for its gaps.
    """
    category = awards["category"] if "category" in awards else product_category(awards)
    counted = category.isin(categories)
    origin = awards["origin"]
    domestic = counted & origin.eq("domestic")
    known = counted & origin.isin(["domestic", "imported"])
    value = awards["amount"].fillna(awards["quantity"] * awards["unit_price"]).astype(float)
    units = awards["quantity"].astype(float) * base_units_per_line_unit(awards)
    measured = units.notna()
    year = awards["year"] if "year" in awards else pd.to_datetime(awards["decision_date"]).dt.year
    return pd.DataFrame(
        {
            "year": year.astype("Int64"),
            "lines": counted.astype(int),
            "domestic_value": value.where(domestic, 0.0),
            "total_value": value.where(known, 0.0),
            "domestic_quantity": units.where(domestic & measured, 0.0),
            "total_quantity": units.where(known & measured, 0.0),
            "unknown_value": value.where(counted & ~known, 0.0),
            "unknown_lines": (counted & ~known).astype(int),
            "unmeasured_lines": (known & ~measured).astype(int),
            "excluded_lines": (~counted).astype(int),
            "excluded_value": value.where(~counted, 0.0),
        },
        index=awards.index,
    )


# The words that make a product a vaccine, as fold_key writes them (product_category reads the
# same words with their diacritics, vectorized over award lines).
VACCINE_WORDS = ("vac xin", "vaccine")


def product_category(frame: pd.DataFrame) -> pd.Series:
    """Tell vaccines from other medicines: QLVX numbers, or "vắc xin"/"vaccine" in the name.

    The rule frames carry it as their "category" column, so the share report counts the lines
    DOM-01 counts.
    """
    text = frame["active_ingredients"].fillna("") + " " + frame["product_name"].fillna("")
    folded = text.str.lower()
    vaccine = folded.str.contains("vắc xin|vac xin|vaccine|vắc-xin", regex=True) | frame[
        "registration_number"
    ].fillna("").str.upper().str.startswith("QLVX")
    return vaccine.map({True: "vaccine", False: "medicine"})


def base_units_per_line_unit(awards: pd.DataFrame) -> pd.Series:
    """Return how many base units one unit of the line holds (100 for a box of 100 tablets)."""
    price = awards["unit_price"].astype(float)
    standard = awards["standard_unit_price"].astype(float)
    usable = awards["standard_unit"].notna() & price.gt(0) & standard.gt(0)
    # the importer divides a pack price by the pack's count, so the ratio gives the count back
    return (price / standard.where(usable)).round(6)


def _ratio(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0)).astype(float)


def targets_for(
    targets: Mapping[str, Any], level: str | None = None
) -> tuple[float | None, float | None]:
    """Return the (value, quantity) targets for a buyer level, falling back to the nation's."""
    share = _mapping(targets.get("domestic_share"), "targets.domestic_share")
    nation = _mapping(share.get("nation"), "targets.domestic_share.nation")
    levels = _mapping(share.get("levels"), "targets.domestic_share.levels")
    own = f"targets.domestic_share.levels.{level}"
    override = _mapping(levels.get(level) if level else None, own)
    found = []
    for measure in MEASURES:
        where = own if measure in override else "targets.domestic_share.nation"
        found.append(_share(override.get(measure, nation.get(measure)), f"{where}.{measure}"))
    return found[0], found[1]


def counted_categories(targets: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the product categories the shares count: the pack's, else medicine only.

    Raises ValueError, naming the key, for anything but a non-empty list of known categories:
    a misspelt "vacine" silently counting nothing, or a bare string read letter by letter,
    would change every published share.
    """
    where = "targets.domestic_share.categories"
    share = _mapping(targets.get("domestic_share"), "targets.domestic_share")
    given = share.get("categories")
    if given is None:
        return DEFAULT_CATEGORIES
    known = ", ".join(CATEGORIES)
    if not isinstance(given, list | tuple) or not given:
        raise ValueError(f"{where} must be a non-empty list of categories ({known}), got {given!r}")
    unknown = [c for c in given if c not in CATEGORIES]
    if unknown:
        raise ValueError(f"{where}: unknown category {unknown[0]!r} (known: {known})")
    return tuple(c for c in CATEGORIES if c in given)


def check_targets(targets: Mapping[str, Any]) -> None:
    """Refuse targets naming an unknown level, measure or category, or that are not shares."""
    where = "targets.domestic_share"
    share = _mapping(targets.get("domestic_share"), where)
    _known(share, ("nation", "levels", "categories"), where)
    counted_categories(targets)
    _known(_mapping(share.get("nation"), f"{where}.nation"), MEASURES, f"{where}.nation")
    levels = _mapping(share.get("levels"), f"{where}.levels")
    _known(levels, LEVELS, f"{where}.levels")
    for level, values in levels.items():
        _known(_mapping(values, f"{where}.levels.{level}"), MEASURES, f"{where}.levels.{level}")
    for level in (None, *levels):
        targets_for(targets, level)


def _known(given: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(known)})")


def short_of(
    row: Mapping[str, Any],
    value_target: float | None,
    quantity_target: float | None,
    measures: tuple[str, ...] = MEASURES,
) -> tuple[list[str], list[str]]:
    """Return (the measures checked, those whose share is below its target)."""
    targets = {"value": value_target, "quantity": quantity_target}
    checked = [m for m in measures if targets[m] is not None and not _missing(row[f"{m}_share"])]
    return checked, [m for m in checked if row[f"{m}_share"] < targets[m]]


def _missing(value: Any) -> bool:
    return value is None or bool(np.isnan(value))


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a mapping")
    return value


def _share(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{where} must be a share between 0 and 1, got {value!r}")
    return float(value)
