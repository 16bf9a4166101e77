"""Public medicine pages: search by ingredient, brand or registration number; prices paid.

A medicine is a drug identity (procurement.identity: ingredients, strength and dosage form),
the key the price rules compare peers by, so every brand of it is one page. Read-only and
actor-free; only imported lines count; a line's source is its file name, sheet and row, never
who uploaded it. The search folds diacritics (procurement.textkey.fold_key): "vitamin b1"
finds "Vitamin B1" and "thiamin" spelled either way.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Manufacturer, Product, SourceFile, Supplier, Tender
from procurement.services.public_cache import cached
from procurement.services.public_dashboard import IMPORTED
from procurement.textkey import fold_key

PER_PAGE = 25
MAX_BRANDS = 4


@dataclass(frozen=True)
class Medicine:
    """A drug identity as the search lists it."""

    identity: str
    ingredients: str
    strength: str | None
    dosage_form: str | None
    brands: tuple[str, ...]
    registrations: tuple[str, ...]
    lines: int
    buyers: int
    low: float | None
    high: float | None
    unit: str | None
    haystack: str


@dataclass(frozen=True)
class PriceLine:
    """One awarded line of a medicine, with where it came from."""

    id: int
    decision_date: date | None
    decision_number: str | None
    buyer_id: int
    buyer: str
    province: str | None
    province_code: str | None
    supplier_id: int | None
    supplier: str | None
    product: str | None
    registration_number: str | None
    manufacturer: str | None
    country: str | None
    origin: str
    quantity: float
    unit: str | None
    unit_price: float
    standard_unit_price: float | None
    standard_unit: str | None
    source_id: int
    source_name: str
    source_sheet: str | None
    source_row: int


@dataclass(frozen=True)
class Period:
    """The median standardized price of one quarter."""

    label: str
    start: date
    median: float
    lines: int


@dataclass(frozen=True)
class MedicineDetail:
    """A medicine's page: its identity, every line, the median and quarterly medians."""

    medicine: Medicine
    lines: list[PriceLine]
    median: float | None
    periods: list[Period]

    @property
    def prices(self) -> list[float]:
        """Return the standardized unit prices, lowest first."""
        return sorted(p.standard_unit_price for p in self.lines if p.standard_unit_price)


@dataclass(frozen=True)
class SearchPage:
    """A page of search results."""

    medicines: list[Medicine]
    total: int
    page: int
    pages: int


def medicines(session: Session) -> list[Medicine]:
    """Return every medicine with imported lines, most lines first (cached)."""
    return cached(session, ("medicines",), lambda: _medicines(session))


def search_medicines(
    session: Session, text: str = "", page: int = 1, per_page: int = PER_PAGE
) -> SearchPage:
    """Return the medicines whose ingredients, brands or registration numbers hold every word."""
    words = fold_key(text or "").split()
    found = [m for m in medicines(session) if all(w in m.haystack for w in words)]
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    return SearchPage(found[(page - 1) * per_page : page * per_page], len(found), page, pages)


def medicine_detail(session: Session, identity: str) -> MedicineDetail | None:
    """Return a medicine's lines and prices, or None when it has no imported line."""
    medicine = next((m for m in medicines(session) if m.identity == identity), None)
    if medicine is None:
        return None
    return cached(session, ("medicine", identity), lambda: _detail(session, medicine))


def _medicines(session: Session) -> list[Medicine]:
    imported = select(SourceFile.id).where(SourceFile.status == IMPORTED)
    counts = session.execute(
        select(
            AwardLine.identity_key,
            func.count(AwardLine.id),
            func.count(func.distinct(AwardLine.buyer_id)),
            func.min(AwardLine.standard_unit_price),
            func.max(AwardLine.standard_unit_price),
            func.max(AwardLine.standard_unit),
        )
        .where(AwardLine.source_file_id.in_(imported))
        .group_by(AwardLine.identity_key)
    ).all()
    products: dict[str, list[tuple[str | None, ...]]] = defaultdict(list)
    for row in session.execute(
        select(
            Product.identity_key,
            Product.name,
            Product.active_ingredients,
            Product.registration_number,
            Product.strength_text,
            Product.dosage_form,
        )
    ):
        products[row[0]].append(tuple(row[1:]))
    found = []
    for identity, lines, buyers, low, high, unit in counts:
        own = products.get(identity, [])
        brands = sorted({p[0] for p in own if p[0]})
        registrations = sorted({p[2] for p in own if p[2]})
        ingredients = next((p[1] for p in own if p[1]), None) or identity.split("|")[0]
        strength = next((p[3] for p in own if p[3]), None)
        form = next((p[4] for p in own if p[4]), None)
        text = " ".join([identity, *(p[1] or "" for p in own), *brands, *registrations])
        found.append(
            Medicine(
                identity,
                ingredients,
                strength,
                form,
                tuple(brands[:MAX_BRANDS]),
                tuple(registrations[:MAX_BRANDS]),
                int(lines),
                int(buyers),
                low,
                high,
                unit,
                " " + fold_key(text) + " " + " ".join(r.lower() for r in registrations),
            )
        )
    return sorted(found, key=lambda m: (-m.lines, m.ingredients.lower(), m.identity))


def _detail(session: Session, medicine: Medicine) -> MedicineDetail:
    rows = session.execute(
        select(
            AwardLine.id,
            AwardLine.decision_date,
            Tender.decision_number,
            Buyer.id,
            Buyer.name,
            Buyer.province,
            Buyer.province_code,
            Supplier.id,
            Supplier.name,
            Product.name,
            Product.registration_number,
            Manufacturer.name,
            Manufacturer.country,
            Product.origin,
            AwardLine.quantity,
            AwardLine.unit,
            AwardLine.unit_price,
            AwardLine.standard_unit_price,
            AwardLine.standard_unit,
            SourceFile.id,
            SourceFile.name,
            AwardLine.source_sheet,
            AwardLine.source_row,
        )
        .join(Buyer, AwardLine.buyer_id == Buyer.id)
        .join(Tender, AwardLine.tender_id == Tender.id)
        .join(Product, AwardLine.product_id == Product.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .outerjoin(Manufacturer, Product.manufacturer_id == Manufacturer.id)
        .where(AwardLine.identity_key == medicine.identity, SourceFile.status == IMPORTED)
        .order_by(AwardLine.decision_date.desc(), AwardLine.id.desc())
    ).all()
    lines = [PriceLine(*row) for row in rows]
    prices = [p.standard_unit_price for p in lines if p.standard_unit_price]
    return MedicineDetail(
        medicine, lines, statistics.median(prices) if prices else None, _periods(lines)
    )


def _periods(lines: list[PriceLine]) -> list[Period]:
    by_quarter: dict[date, list[float]] = defaultdict(list)
    for line in lines:
        if line.decision_date and line.standard_unit_price:
            d = line.decision_date
            by_quarter[date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)].append(
                line.standard_unit_price
            )
    return [
        Period(f"Q{(start.month - 1) // 3 + 1}/{start.year}", start, statistics.median(p), len(p))
        for start, p in sorted(by_quarter.items())
    ]
