"""Shared state of the demo build: decisions with their output, line lookups, price helpers."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from procurement.demo.generator import Market, ceil_price, round_price
from procurement.demo.plan import ANCHOR_BUYERS
from procurement.demo.products import PRODUCT_BY_REGISTRATION, Product

HOSPITAL_LIST, PORTAL, PORTAL_EXTRA, CSV = "hospital", "portal", "portal-extra", "csv"
WITH_PLANNED = (HOSPITAL_LIST, PORTAL)  # layouts that show the planned price
ALL_OUTPUTS = (HOSPITAL_LIST, PORTAL, CSV)


@dataclass
class DemoDecision:
    """The lines of one award decision and the file kind that publishes them."""

    lines: list[dict]
    output: str = ""
    protected: bool = False  # anchors and bad-row files: never planted on
    bad: str = ""  # "quantity" | "price" | "date": holds the deliberately bad rows

    @property
    def buyer(self) -> str:
        """Return the buyer's name."""
        return self.lines[0]["buyer_name"]

    @property
    def number(self) -> str:
        """Return the decision number."""
        return self.lines[0]["decision_number"]

    @property
    def date(self) -> date:
        """Return the decision date."""
        return self.lines[0]["decision_date"]

    @property
    def year(self) -> int:
        """Return the decision year."""
        return self.date.year


@dataclass
class Plant:
    """A planted anomaly before its file positions are known."""

    family: str
    rule: str
    description: str
    keys: dict[str, str]
    lines: list[dict] = field(default_factory=list)  # the first one is located in keys


def identity_of(line: dict) -> tuple[str, str, str]:
    """Return (active ingredient, strength, dosage form) of a line."""
    return (line["active_ingredient"], line["strength"], line["dosage_form"])


def boxed(line: dict) -> bool:
    """Tell whether the line is priced per box of 100."""
    return line.get("unit") == "Hộp"


def std_price(line: dict, key: str = "unit_price") -> float:
    """Return a line's price per base unit."""
    return line[key] / 100 if boxed(line) else line[key]


def product_of(line: dict) -> Product:
    """Return the catalog product of a line (by its registration number)."""
    return PRODUCT_BY_REGISTRATION[line["registration_number"]]


class Book:
    """All demo decisions and lines, with the lookups the planters need."""

    def __init__(self, seed: int, decisions: list[DemoDecision]) -> None:
        self.seed = seed
        self.decisions = decisions
        self.market = Market(seed)
        self.rng = random.Random(f"{seed}:plant")
        self.owner: dict[int, DemoDecision] = {}
        for decision in decisions:
            for line in decision.lines:
                self.owner[id(line)] = decision
        self.reserved: set[int] = set()
        self.touched: set[tuple[str, str, str]] = set()  # identities whose prices were moved
        self.turn = 0  # rotates the output kinds planted lines are taken from

    def lines(self) -> Iterator[dict]:
        """Yield every line in decision order."""
        for decision in self.decisions:
            yield from decision.lines

    def free(self, outputs: tuple[str, ...], test: Callable[[dict], bool] = lambda _: True,
             ) -> list[dict]:  # fmt: skip
        """Return unreserved lines of plantable decisions published in outputs that pass test."""
        return [
            line for d in self.decisions
            if d.output in outputs and not d.protected and d.buyer not in ANCHOR_BUYERS
            for line in d.lines if id(line) not in self.reserved and test(line)
        ]  # fmt: skip

    def take(self, line: dict) -> dict:
        """Reserve a line for one anomaly."""
        self.reserved.add(id(line))
        return line

    def choose(self, lines: list[dict], count: int) -> list[dict]:
        """Pick count lines at random, in their original order."""
        picked = self.rng.sample(range(len(lines)), min(count, len(lines)))
        return [lines[i] for i in sorted(picked)]

    def set_price(self, line: dict, per_unit: float, planned: float | None = None) -> None:
        """Set the award (and planned) price per base unit, and the amount."""
        factor = 100 if boxed(line) else 1
        line["unit_price"] = round_price(per_unit) * factor
        if planned is not None:
            line["planned_unit_price"] = ceil_price(planned) * factor
        line["amount"] = line["quantity"] * line["unit_price"]
        self.touched.add(identity_of(line))

    def max_prior(self, identity: tuple[str, str, str], day: date) -> float | None:
        """Return the highest award per base unit of the identity in the 365 days before day."""
        prices = [
            std_price(line) for line in self.lines()
            if identity_of(line) == identity and 0 < (day - line["decision_date"]).days <= 365
        ]  # fmt: skip
        return max(prices) if prices else None

    def safe_planned(self, line: dict, per_unit: float) -> float:
        """Return a planned price over the award that stays under recent awards where it can."""
        prior = self.max_prior(identity_of(line), line["decision_date"])
        ceiling = per_unit / 0.9 if prior is None else min(per_unit / 0.9, prior)
        return max(per_unit / 0.99, ceiling)

    def swap_product(self, line: dict, product: Product) -> None:
        """Make the line buy another product at the buyer's natural price, same amount."""
        identity = product.identity
        price = self.market.price(line["buyer_name"], product, line["decision_date"].year)
        amount = line["amount"]
        quantity = max(1, round(amount / price / 10) * 10) if amount / price >= 10 else 1
        line.update(
            product_name=product.name, active_ingredient=identity.ingredient,
            strength=identity.strength, route=identity.route, dosage_form=identity.form,
            packaging=identity.packaging, group=product.group,
            registration_number=product.registration, manufacturer=product.manufacturer,
            country=product.country, unit=identity.unit, quantity=quantity,
        )  # fmt: skip
        self.set_price(line, price, self.safe_planned(line, price))

    def share(self, lines: list[dict], test: Callable[[dict], bool]) -> float:
        """Return the value share of the lines passing test."""
        total = sum(line["amount"] for line in lines)
        return sum(line["amount"] for line in lines if test(line)) / total if total else 0.0

    def buyer_year(self, buyer: str, year: int) -> list[dict]:
        """Return every line of a buyer in a year."""
        return [
            line for d in self.decisions if d.buyer == buyer and d.year == year
            for line in d.lines
        ]  # fmt: skip


def money(value: float) -> str:
    """Format a VND amount for a description."""
    return f"{math.floor(value):,}".replace(",", ".")


def line_keys(line: dict, **extra: object) -> dict[str, str]:
    """Return the keys that find a line, plus extra ones, as strings."""
    keys = {
        "buyer": line["buyer_name"],
        "decision_number": line["decision_number"],
        "year": str(line["decision_date"].year),
        "registration_number": line.get("registration_number") or "",
        "product_name": line["product_name"],
        "supplier": line.get("supplier") or "",
        "unit": line["unit"],
        "unit_price": str(line["unit_price"]),
        "planned_unit_price": str(line["planned_unit_price"]),
        "quantity": str(line["quantity"]),
    }
    keys.update({key: str(value) for key, value in extra.items()})
    return keys
