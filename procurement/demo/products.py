"""Demo catalog of drugs and vaccines: identities, products and registration numbers.

Built once from the data in drugs.py: each strength of a molecule is an identity (ingredient,
strength, dosage form) and each brand of it a product with a manufacturer, a technical group, a
price factor, candidate suppliers and a registration number (legacy VD-/VN-/GC-/QLVX-/QLSP- or
a 12-digit number with the GS1 prefix of the country), drawn from a fixed seed so the catalog
is the same in every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from procurement.demo.catalog import (
    COUNTRIES,
    IMPORTERS,
    MANUFACTURERS,
    SUPPLIERS,
    VACCINE_SUPPLIERS,
    VIETNAM,
)
from procurement.demo.drugs import MOLECULES, VACCINES

# Brands used only by planted anomalies: (ingredient, strength, brand, manufacturer, group,
# factor, purpose). DOM-02: imported and dearer than domestic peers; DOM-03: imported, in a
# group of the domestic-only list.
PLANTED_BRANDS: tuple[tuple, ...] = (
    ("Amoxicilin + Acid clavulanic", "875mg + 125mg", "Augmentin", "GSK_UK", "BDG", 1.22, "DOM-02"),
    ("Atorvastatin", "20mg", "Lipitor", "PFIZER_US", "BDG", 1.22, "DOM-02"),
    ("Clopidogrel", "75mg", "Plavix", "SANOFI_FR", "BDG", 1.22, "DOM-02"),
    ("Cefuroxim", "500mg", "Cefuroxime Daewoong", "DAEWOONG", "N2", 0.8, "DOM-03"),
    ("Cefotaxim", "1g", "Cefotaxime CKD", "CKD", "N2", 0.8, "DOM-03"),
    ("Amoxicilin", "500mg", "Amoxicillin Boryung", "BORYUNG", "N2", 0.8, "DOM-03"),
)  # fmt: skip
# Domestic-only list (Circular 03/2024 style): ingredient, strength, group
DOMESTIC_ONLY: tuple[tuple[str, str, str], ...] = (
    ("Paracetamol", "500mg", "N2"), ("Amoxicilin", "500mg", "N2"), ("Cefuroxim", "500mg", "N2"),
    ("Cefotaxim", "1g", "N2"), ("Metformin", "850mg", "N2"), ("Omeprazol", "20mg", "N2"),
    ("Ibuprofen", "400mg", "N2"), ("Gentamicin", "80mg/2ml", "N4"), ("Furosemid", "40mg", "N4"),
    ("Captopril", "25mg", "N4"),
)  # fmt: skip
BIOLOGICALS = ("Insulin", "Erythropoietin", "Trastuzumab", "Rituximab")
HERBAL_MARK = "Cao "


@dataclass(frozen=True)
class Identity:
    """A drug identity: active ingredient, strength and dosage form, with its products."""

    index: int
    ingredient: str
    strength: str
    route: str
    form: str
    unit: str
    packaging: str
    role: str
    tier: int
    epi: bool
    base_price: int
    products: list[Product] = field(default_factory=list, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """Return (ingredient, strength, form)."""
        return (self.ingredient, self.strength, self.form)


@dataclass(frozen=True)
class Product:
    """A brand of an identity by one manufacturer, with its registration number."""

    index: int
    identity: Identity
    name: str
    manufacturer: str
    country: str
    group: str | None
    factor: float
    registration: str
    suppliers: tuple[str, ...]
    planted: str = ""

    @property
    def domestic(self) -> bool:
        """Tell whether the product is made in Vietnam."""
        return self.country == VIETNAM


def _registration(rng: random.Random, identity: Identity, country: str, mfr: str) -> str:
    biological = identity.role == "vx" or identity.ingredient.startswith(BIOLOGICALS)
    herbal = identity.ingredient.startswith(HERBAL_MARK)
    year = rng.randint(17, 23)
    if mfr == "SANOFI_VN":
        return f"GC-{rng.randint(100, 399)}-{year}"
    if rng.random() < 0.4:
        klass = "4" if biological else "2" if herbal else "1"
        return f"{COUNTRIES[country][0]}{klass}{rng.randint(0, 99_999_999):08d}"
    if identity.role == "vx":
        return f"QLVX-{rng.randint(100, 1299)}-{year}"
    if biological:
        return f"QLSP-{rng.randint(100, 1199)}-{year}"
    if country == VIETNAM:
        return f"VD-{rng.randint(10000, 35999)}-{year}"
    prefix = rng.choice(("VN-", "VN-", "VN-", "VN2-", "VN3-"))
    return (
        f"{prefix}{rng.randint(10000, 23999) if prefix == 'VN-' else rng.randint(100, 999)}-{year}"
    )


def _suppliers(rng: random.Random, identity: Identity, country: str, mfr: str) -> tuple[str, ...]:
    if identity.role == "vx":
        direct = {"VABIOTECH": VACCINE_SUPPLIERS[0], "IVAC": VACCINE_SUPPLIERS[1]}.get(mfr)
        if direct:
            return (direct, *rng.sample(VACCINE_SUPPLIERS[2:], 2))
        return tuple(rng.sample(VACCINE_SUPPLIERS[2:], 3))
    pool = IMPORTERS if country != VIETNAM else SUPPLIERS[:9] + SUPPLIERS[13:]
    return tuple(rng.sample(pool, 3))


def _build() -> tuple[list[Identity], list[Product]]:
    rng = random.Random("procurement-demo-catalog")
    makers = MANUFACTURERS
    identities: list[Identity] = []
    products: list[Product] = []
    rows = [(*row[:5], row[5], row[6], False, row[7], row[8]) for row in MOLECULES]
    rows += [(*row[:5], "vx", 1, row[5], row[6], row[7]) for row in VACCINES]
    extra = {(p[0], p[1]): [] for p in PLANTED_BRANDS}
    for planted in PLANTED_BRANDS:
        extra[(planted[0], planted[1])].append(planted)
    for ingredient, route, form, unit, pack, role, tier, epi, strengths, brands in rows:
        for strength, price in strengths:
            identity = Identity(
                len(identities), ingredient, strength, route, form, unit, pack, role, tier,
                epi, price,
            )  # fmt: skip
            identities.append(identity)
            marked = [(*b, "") for b in brands]
            marked += [
                (p[2], p[3], p[4], p[5], p[6]) for p in extra.get((ingredient, strength), ())
            ]
            for brand, mfr, group, factor, planted in marked:
                maker, country = makers[mfr]
                name = brand if strength in brand else f"{brand} {strength.split(' + ')[0]}"
                if role == "vx":
                    name = brand
                product = Product(
                    len(products), identity, name, maker, country, group, factor,
                    _registration(rng, identity, country, mfr),
                    _suppliers(rng, identity, country, mfr), planted,
                )  # fmt: skip
                identity.products.append(product)
                products.append(product)
    return identities, products


IDENTITIES, PRODUCTS = _build()
PRODUCT_BY_REGISTRATION: dict[str, Product] = {p.registration: p for p in PRODUCTS}
