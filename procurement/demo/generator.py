"""Seeded award lines: the lines of each planned decision, priced, sized and supplied.

Everything random comes from random.Random instances seeded with the caller's seed (no global
random), so a seed gives the same lines every time. The price model keeps the natural data quiet
for the rules: a product's price is its base price x brand factor x buyer factor (0.93-1.04, the
anchor decisions 1.06) x year factor (2025 a little under 2024); awards sit 1-20% under the planned
price, and planned prices stay at or under the highest award of the preceding months; suppliers
are balanced per buyer and year; domestic products keep at least 80% of each buyer's yearly value
(LOW_DOMESTIC_BUYERS about 30%).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from procurement.demo.catalog import LOCAL_SUPPLIERS, LOW_DOMESTIC_BUYERS
from procurement.demo.drugs import BOX
from procurement.demo.plan import ANCHOR_BUYERS, CENTRALIZED, NEGOTIATION, Decision, plan_decisions
from procurement.demo.products import Product

DOMESTIC_TARGET, LOW_DOMESTIC_TARGET = 0.8, 0.3
BOX_SHARE = 0.07  # of box-eligible tablet lines, priced per "Hộp" of 100
LINE_KEYS = (
    "tender_code", "tender_name", "procedure", "buyer_name", "province", "buyer_level",
    "decision_number", "decision_date", "bidder_count", "product_name", "active_ingredient",
    "strength", "route", "dosage_form", "packaging", "group", "registration_number",
    "manufacturer", "country", "unit", "quantity", "planned_unit_price", "unit_price", "amount",
    "supplier",
)  # fmt: skip
_UNIT_SCALE = {
    "Viên": 40000, "Ống": 3000, "Lọ": 1500, "Chai": 3000, "Liều": 8000, "Gói": 5000,
    "Bút tiêm": 200, "Bơm tiêm": 400,
}  # fmt: skip
_KIND_QUANTITY = {"main": 1.0, "supplement": 0.35, "direct": 0.15, "negotiation": 0.05}
_BIDDERS = {
    "DTRR": (2, 9), "DTHC": (2, 5), "CDTRG": (2, 3), "CDT": (1, 1), "MSTT": (1, 1),
    CENTRALIZED: (3, 10), NEGOTIATION: (1, 1),
}  # fmt: skip
_YEAR_FACTORS = {2024: (1.015, 1.025), 2025: (0.985, 0.995)}


def _step(value: float) -> int:
    return 1 if value < 1000 else 10 if value < 100_000 else 100


def round_price(value: float) -> int:
    """Round a VND price the way price lists do: to 1, 10 or 100 dong."""
    return max(1, round(value / _step(value)) * _step(value))


def ceil_price(value: float) -> int:
    """Round a VND price up to the price-list step."""
    return max(1, math.ceil(value / _step(value) - 1e-9) * _step(value))


def _round_quantity(value: float, boxed: bool) -> int:
    if boxed:
        return max(100, round(value / 100) * 100)
    if value >= 1000:
        return round(value / 100) * 100
    return max(1, round(value / 10) * 10) if value >= 100 else max(1, round(value))


def box_eligible(product: Product) -> bool:
    """Tell whether the product may be priced per box of 100 tablets."""
    return product.identity.unit == "Viên" and product.identity.packaging == BOX


class Market:
    """The price model: product price x buyer factor x year factor, all seeded."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._factors: dict[tuple, float] = {}

    def _draw(self, key: tuple, low: float, high: float) -> float:
        if key not in self._factors:
            self._factors[key] = random.Random(f"{self.seed}:{key}").uniform(low, high)
        return self._factors[key]

    def buyer_factor(self, buyer: str, product: Product, anchor: bool = False) -> float:
        """Return the buyer's stable price factor for a product (anchor decisions: 1.06)."""
        if anchor:
            return 1.06
        if buyer in ANCHOR_BUYERS:
            return 1.04
        return self._draw(("b", buyer, product.index), 0.93, 1.04)

    def year_factor(self, product: Product, year: int) -> float:
        """Return the market movement of the product's identity in a year."""
        low, high = _YEAR_FACTORS.get(year, (0.99, 1.0))
        return self._draw(("y", product.identity.index, year), low, high)

    def price(self, buyer: str, product: Product, year: int, anchor: bool = False) -> int:
        """Return the natural price per base unit a buyer pays for a product in a year."""
        base = product.identity.base_price * product.factor
        factor = self.buyer_factor(buyer, product, anchor) * self.year_factor(product, year)
        return round_price(base * factor)


class _History:
    """Monthly maxima of awarded prices per identity, committed once their date has passed."""

    def __init__(self) -> None:
        self.months: dict[int, dict[int, tuple[int, date]]] = {}
        self.pending: list[tuple[int, date, int]] = []
        self.pending_date: date | None = None
        self.caps: dict[tuple[int, date], int | None] = {}

    def advance(self, day: date) -> None:
        """Commit the prices of earlier dates before lines of a later date are priced."""
        if self.pending_date is not None and day > self.pending_date:
            for key, when, price in self.pending:
                months = self.months.setdefault(key, {})
                month = when.year * 12 + when.month - 1
                if price > months.get(month, (0, when))[0]:
                    months[month] = (price, when)
            self.pending.clear()
            self.caps.clear()
        self.pending_date = day

    def cap(self, key: int, day: date) -> int | None:
        """Return the highest award known to lie within the 364 days before the day."""
        if (key, day) not in self.caps:
            self.caps[(key, day)] = self._cap(key, day)
        return self.caps[(key, day)]

    def _cap(self, key: int, day: date) -> int | None:
        months = self.months.get(key)
        if not months:
            return None
        now = day.year * 12 + day.month - 1
        found = [
            months[m][0] for m in range(now - 12, now + 1)
            if m in months and (day - months[m][1]).days <= 364
        ]  # fmt: skip
        return max(found) if found else None

    def add(self, key: int, day: date, price: int) -> None:
        """Queue an award for commit."""
        self.pending.append((key, day, price))


@dataclass
class _BuyerYear:
    domestic: float = 0.0
    imported: float = 0.0
    suppliers: dict[str, float] = field(default_factory=dict)


class Generator:
    """Produce the lines of planned decisions, in decision-date order."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.market = Market(seed)
        self.rng = random.Random(f"{seed}:lines")
        self.history = _History()
        self.totals: dict[tuple[str, int], _BuyerYear] = {}

    def lines(self, decisions: list[Decision]) -> Iterator[dict]:
        """Yield the canonical line dicts of the decisions."""
        for decision in decisions:
            self.history.advance(decision.date)
            yield from self._decision(decision)

    def _pick(self, decision: Decision) -> list[Product]:
        pool = list(decision.pool)
        picked: list[Product] = []
        while len(picked) + len(pool) <= decision.size:
            picked += pool
        picked += self.rng.sample(pool, decision.size - len(picked))
        return sorted(picked, key=lambda p: (section(p), p.index))

    def _decision(self, decision: Decision) -> Iterator[dict]:
        rng, buyer = self.rng, decision.buyer
        low = buyer.name in LOW_DOMESTIC_BUYERS
        rows: list[list] = []  # [product, price per base unit, base quantity]
        for product in self._pick(decision):
            price = self.market.price(buyer.name, product, decision.year, decision.anchor)
            scale = _UNIT_SCALE[product.identity.unit] * buyer.size
            scale *= min(3.0, max(0.03, (3000 / product.identity.base_price) ** 0.4))
            scale *= _KIND_QUANTITY[decision.kind] * rng.lognormvariate(0, 0.45)
            if not product.domestic:
                scale *= 3.0 if low else 0.6
            rows.append([product, price, scale])
        self._balance_origin(decision, rows, low)
        totals = self.totals.setdefault((buyer.name, decision.year), _BuyerYear())
        low_bid, high_bid = _BIDDERS[decision.procedure]
        for product, price, scale in rows:
            boxed = box_eligible(product)
            quantity = _round_quantity(scale, boxed)
            amount = quantity * price
            if product.domestic:
                totals.domestic += amount
            else:
                totals.imported += amount
            candidates = product.suppliers
            if buyer.province in LOCAL_SUPPLIERS and product.identity.role != "vx":
                candidates = (*candidates, LOCAL_SUPPLIERS[buyer.province])
            supplier = min(candidates, key=lambda s: totals.suppliers.get(s, 0.0))
            totals.suppliers[supplier] = totals.suppliers.get(supplier, 0.0) + amount
            planned = self._planned(decision, product, price)
            unit = product.identity.unit
            if boxed and rng.random() < BOX_SHARE:
                unit, quantity, price, planned = "Hộp", quantity // 100, price * 100, planned * 100
            bidders = rng.randint(low_bid, high_bid)
            yield _line(decision, product, unit, quantity, planned, price, supplier, bidders)

    def _planned(self, decision: Decision, product: Product, price: int) -> int:
        """Return a planned price 3-25% over the award, capped by recent awards."""
        key = product.identity.index
        planned = price / self.rng.uniform(0.8, 0.97)
        cap = self.history.cap(key, decision.date)
        if cap is not None:
            planned = min(planned, cap)
        self.history.add(key, decision.date, price)
        return ceil_price(max(planned, price / 0.99))

    def _balance_origin(self, decision: Decision, rows: list[list], low: bool) -> None:
        """Scale quantities so the buyer's running domestic share meets its target."""
        totals = self.totals.setdefault((decision.buyer.name, decision.year), _BuyerYear())
        dom = sum(r[1] * r[2] for r in rows if r[0].domestic)
        imp = sum(r[1] * r[2] for r in rows if not r[0].domestic)
        all_dom, all_imp = totals.domestic + dom, totals.imported + imp
        if low:
            target = LOW_DOMESTIC_TARGET
            if dom and all_dom / (all_dom + all_imp) > target:
                k = (all_imp * target / (1 - target) - totals.domestic) / dom
                _scale(rows, k, domestic=True)
        elif imp and all_dom / (all_dom + all_imp) < DOMESTIC_TARGET + 0.02:
            target = DOMESTIC_TARGET + 0.03
            k = (all_dom * (1 - target) / target - totals.imported) / imp
            _scale(rows, k, domestic=False)


def _scale(rows: list[list], k: float, *, domestic: bool) -> None:
    k = max(0.0, min(1.0, k))
    for row in rows:
        if row[0].domestic == domestic:
            row[2] *= k


def section(product: Product) -> int:
    """Return the list section of a product: 0 generic, 1 originator (BDG), 2 vaccine."""
    if product.identity.role == "vx":
        return 2
    return 1 if product.group == "BDG" else 0


def _line(
    decision: Decision,
    product: Product,
    unit: str,
    quantity: int,
    planned: int,
    price: int,
    supplier: str,
    bidders: int,
) -> dict:
    identity = product.identity
    return {
        "tender_code": decision.tender_code,
        "tender_name": decision.tender_name,
        "procedure": decision.procedure,
        "buyer_name": decision.buyer.name,
        "province": decision.buyer.province,
        "buyer_level": decision.buyer.level,
        "decision_number": decision.number,
        "decision_date": decision.date,
        "bidder_count": bidders,
        "product_name": product.name,
        "active_ingredient": identity.ingredient,
        "strength": identity.strength,
        "route": identity.route,
        "dosage_form": identity.form,
        "packaging": identity.packaging,
        "group": product.group,
        "registration_number": product.registration,
        "manufacturer": product.manufacturer,
        "country": product.country,
        "unit": unit,
        "quantity": quantity,
        "planned_unit_price": planned,
        "unit_price": price,
        "amount": quantity * price,
        "supplier": supplier,
    }


def award_lines(seed: int, n: int) -> Iterator[dict]:
    """Yield n canonical award-line dicts for a seed, in decision-date order."""
    yield from Generator(seed).lines(plan_decisions(seed, n))
