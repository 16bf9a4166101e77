"""Canonical product facts from the text a file gives: identity, origin and unit basis.

Called once per distinct product or (unit, packaging) pair, not per line: a 200,000-line file has a
few hundred products, so the parsing below is memoized on the raw texts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from procurement.identity import (
    canonical_dosage_form,
    canonical_route,
    identity_key,
    ingredient_key,
    ingredients_as_written,
    parse_strength,
    split_ingredients,
)
from procurement.origin import decide_origin, normalize_country
from procurement.packaging import standard_unit_price, units_per_pack
from procurement.textkey import fold_key


@dataclass(frozen=True)
class ProductText:
    """The product columns of a line as the file wrote them (already cleaned)."""

    registration_number: str | None = None
    name: str | None = None
    active_ingredient: str | None = None
    strength: str | None = None
    dosage_form: str | None = None
    route: str | None = None
    route_form: str | None = None
    packaging: str | None = None
    drug_group: str | None = None
    manufacturer: str | None = None
    country: str | None = None

    def key(self) -> str:
        """Return a stable hash of the folded texts: the same product however it is spelled."""
        parts = [fold_key(v) if v else "" for v in self.__dict__.values()]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


@lru_cache(maxsize=65536)
def product_facts(text: ProductText) -> dict[str, object]:
    """Return the product columns: identity parts, origin with its reason, units per pack."""
    ingredient_text = text.active_ingredient or text.name
    ingredients = split_ingredients(ingredient_text)
    strength = parse_strength(text.strength) if text.strength else None
    form_text = text.dosage_form or text.route_form
    form = canonical_dosage_form(form_text)
    origin = decide_origin(text.registration_number, text.country)
    single = strength.components[0] if strength and len(strength.components) == 1 else None
    return {
        "product_key": text.key(),
        "registration_number": text.registration_number,
        "name": text.name,
        "active_ingredients": " + ".join(ingredients) or None,
        "ingredients_key": "+".join(sorted(ingredient_key(i) for i in ingredients)) or None,
        "strength_text": text.strength,
        "strength_value": single.value if single else None,
        "strength_unit": single.unit if single else None,
        "strength_key": strength.key if strength else None,
        "dosage_form_text": form_text,
        "dosage_form": form,
        "route_text": text.route or text.route_form,
        "route": canonical_route(text.route or text.route_form),
        "packaging": text.packaging,
        "units_per_pack": units_per_pack(text.packaging),
        "drug_group": text.drug_group,
        "origin": origin.origin,
        "origin_reason": origin.reason,
        "origin_conflict": origin.conflict,
        "identity_key": identity_key(ingredients_as_written(ingredient_text), strength, form),
    }


def item_identity(
    active_ingredient: str | None, strength: str | None, form_text: str | None
) -> dict[str, object]:
    """Return the identity columns of a reference row (list item or reference price)."""
    facts = product_facts(
        ProductText(active_ingredient=active_ingredient, strength=strength, dosage_form=form_text)
    )
    keys = ("strength_text", "strength_key", "dosage_form_text", "dosage_form", "identity_key")
    return {"active_ingredients": facts["active_ingredients"], **{k: facts[k] for k in keys}}


@lru_cache(maxsize=65536)
def price_divisor(unit: str | None, packaging: str | None) -> tuple[float | None, str | None, str]:
    """Return what divides a line's unit price into the price per base unit, and the basis."""
    per_unit, base_unit, how = standard_unit_price(1.0, unit, packaging)
    return (1.0 / per_unit if per_unit else None), base_unit, how


def canonical_country(text: str | None) -> str | None:
    """Return the English name of the country of manufacture a cell names, if recognised."""
    return normalize_country(text) if text else None
