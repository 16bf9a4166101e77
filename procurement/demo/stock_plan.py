"""The demo's stock series: which facilities report which items, month by month, and the
stock-security anomalies planted in them.

Each series is a facility's monthly balance of one item over the twelve months ending at the
demo's latest month (December of its last year). Consumption is a facility- and item-sized
base with a season and noise; deliveries come every one to three months, ordered up to the
months of stock the facility keeps (medicines a month of safety stock, EPI vaccines their
six-month reserve); now and then a delivery is a month late and the facility runs out. The
last month of every natural series is ordered to a balance inside the quiet band (medicines
2.6-3.6 months of stock, vaccines 6.6-7.8), computed with DESIGN.md's formulas (adjusted
consumption, the mean of the last three non-zero months), so a stock rule fires in the latest
month only where an anomaly is planted. Everything random comes from one seeded Random.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date

from procurement.demo.catalog import BUYER_BY_NAME
from procurement.demo.plan import YEARS
from procurement.demo.products import IDENTITIES

LATEST = date(YEARS[-1], 12, 1)  # the demo's latest month: its awards end in that year
PERIODS = tuple(date(LATEST.year, month, 1) for month in range(1, 13))
# The day the demo's stock checks are for: December's reports are in by the second week of
# January. STK-05 counts the months a lot has left from this day, so the demo passes it.
AS_OF = date(LATEST.year + 1, 1, 12)
DAYS = 30  # DESIGN.md counts 30 days a month in the adjusted consumption
QUIET = {"medicine": (2.6, 3.6), "vaccine": (6.6, 7.8)}  # months of stock at the latest month
SAFETY = {"medicine": 1.0, "vaccine": 6.6}
EXTERNAL = "Dung dịch dùng ngoài"  # months kept when the next delivery is due


@dataclass(frozen=True)
class StockProduct:
    """An item as facilities' stock reports name it: a code shared by the province's
    facilities (the provincial tender's item code), a name and, for catalogue items, the
    identity's ingredient, strength and form so the importer matches it to the awards."""

    code: str
    name: str
    ingredient: str
    strength: str
    form: str
    unit: str
    category: str  # medicine | vaccine
    monthly: float  # consumption per month at a facility of size 1
    step: int  # deliveries come in multiples of this (a box, a carton)
    shelf_months: int = 30  # a delivered lot's expiry, months after delivery


def _catalogue(index: int, code: str, monthly: float, step: int, name: str = "") -> StockProduct:
    identity = IDENTITIES[index]
    product = identity.products[0]
    category = "vaccine" if identity.role == "vx" else "medicine"
    return StockProduct(code, name or product.name, identity.ingredient, identity.strength,
                        identity.form, identity.unit, category, monthly, step)  # fmt: skip


MEDICINES: tuple[StockProduct, ...] = (
    _catalogue(0, "TH001", 24000, 100),  # Paracetamol 500mg
    _catalogue(4, "TH002", 12000, 100),  # Amoxicilin 500mg
    _catalogue(6, "TH003", 3000, 14),  # Amoxicilin + Acid clavulanic 500mg + 125mg
    _catalogue(9, "TH004", 2500, 100),  # Cefuroxim 500mg
    _catalogue(14, "TH005", 5000, 100),  # Ciprofloxacin 500mg
    _catalogue(18, "TH006", 18000, 100),  # Metformin 500mg
    _catalogue(21, "TH007", 6000, 100),  # Gliclazid 30mg
    _catalogue(23, "TH008", 20000, 100),  # Amlodipin 5mg
    _catalogue(25, "TH009", 9000, 100),  # Losartan 50mg
    _catalogue(28, "TH010", 8000, 100),  # Atorvastatin 10mg
    _catalogue(34, "TH011", 10000, 100),  # Omeprazol 20mg
    _catalogue(39, "TH012", 900, 10),  # Ceftriaxon 1g
    _catalogue(51, "TH013", 1500, 50),  # Gentamicin 80mg/2ml
    _catalogue(54, "TH014", 700, 20),  # Natri clorid 0,9% 500ml
    _catalogue(62, "TH015", 6000, 100),  # Ibuprofen 400mg
    _catalogue(68, "TH016", 1200, 50),  # Dexamethason 4mg/1ml
    _catalogue(89, "TH017", 1500, 20),  # Oresol
    _catalogue(96, "TH018", 300, 10),  # Oxytocin 5IU/1ml
    # Not in the award catalogue: kept under the file's code, reported as unmatched.
    StockProduct("TH019", "Povidon iod 10% 90ml", "Povidon iod", "10% 90ml", EXTERNAL, "Chai",
                 "medicine", 150, 10),
    StockProduct("TH020", "Cồn 70 độ 500ml", "Ethanol", "70% 500ml", EXTERNAL, "Chai",
                 "medicine", 120, 10),
)  # fmt: skip
VACCINES: tuple[StockProduct, ...] = (
    _catalogue(171, "VX001", 30, 10, "Vắc xin BCG"),  # vials of 20 doses
    _catalogue(172, "VX002", 260, 10, "Vắc xin viêm gan B sơ sinh"),
    _catalogue(173, "VX003", 620, 10, "Vắc xin DPT-VGB-Hib (5 trong 1)"),
    _catalogue(174, "VX004", 600, 20, "Vắc xin bOPV"),
    _catalogue(177, "VX005", 420, 10, "Vắc xin sởi - rubella (MR)"),
)
# The LMIS export's own names and codes for the same vaccines (it states no ingredient).
LMIS_VACCINES = {
    "VX001": ("EPI-BCG-20", "BCG vaccine, 20-dose vial"),
    "VX002": ("EPI-HEPB-1", "Hepatitis B vaccine (birth dose)"),
    "VX003": ("EPI-PENTA-1", "DTP-HepB-Hib (pentavalent) vaccine"),
    "VX004": ("EPI-BOPV-20", "Bivalent oral polio vaccine (bOPV)"),
    "VX005": ("EPI-MR-10", "Measles-rubella (MR) vaccine"),
}


@dataclass(frozen=True)
class Facility:
    """A reporting facility (a demo buyer), where its vaccines are reported and how its file
    is written."""

    name: str
    vaccines: str  # "" none | "xlsx" in its own report | "csv" in the province's LMIS export
    lots: bool = False  # vaccines listed per lot (Số lô, Hạn dùng)
    text_numbers: bool = False  # quantities written "1.234" as text

    @property
    def size(self) -> float:
        """Return the facility's consumption multiplier (its buyer size, at least 0.5)."""
        return max(0.5, BUYER_BY_NAME[self.name].size)


FACILITIES: tuple[Facility, ...] = (
    Facility("Trung tâm Y tế huyện Quỳnh Lưu", "xlsx", lots=True),
    Facility("Bệnh viện Đa khoa tỉnh Nghệ An", ""),
    Facility("Trung tâm Y tế huyện Hoằng Hóa", "xlsx", text_numbers=True),
    Facility("Bệnh viện Đa khoa tỉnh Thanh Hóa", "", text_numbers=True),
    Facility("Trung tâm Y tế huyện Krông Pắc", "xlsx"),
    Facility("Bệnh viện Đa khoa vùng Tây Nguyên", ""),
    Facility("Trung tâm Y tế huyện Diên Khánh", "xlsx", text_numbers=True),
    Facility("Bệnh viện Đa khoa tỉnh Khánh Hòa", ""),
    Facility("Trung tâm Y tế huyện Thủy Nguyên", "xlsx"),
    Facility("Trung tâm Y tế huyện Phong Điền", "csv"),
    Facility("Trung tâm Y tế huyện Phú Vang", "csv", text_numbers=True),
    Facility("Trung tâm Y tế huyện Tiên Yên", "csv"),
)


@dataclass
class Lot:
    """A delivered lot: its number, expiry and what is left of it."""

    number: str
    expiry: date
    left: int


@dataclass
class Month:
    """One month of a series: the balances a report row states (summed over lots)."""

    period: date
    opening: int
    received: int
    issued: int
    adjustment: int
    closing: int
    stockout_days: int = 0
    written_closing: int | None = None  # STK-08: the closing the report states instead
    lots: list[tuple[str, date, int, int, int, int, int]] = field(default_factory=list)
    # per lot: number, expiry, opening, received, issued, adjustment, closing

    @property
    def stated_closing(self) -> int:
        """Return the closing balance the report writes."""
        return self.closing if self.written_closing is None else self.written_closing


@dataclass
class Series:
    """A facility's months of one item, and what is planted in it."""

    facility: Facility
    product: StockProduct
    months: list[Month] = field(default_factory=list)
    plant: str = ""  # the scenario: "" natural, else a key of SCENARIOS

    @property
    def lots(self) -> bool:
        """Tell whether the report lists this series per lot."""
        return self.product.category == "vaccine" and self.facility.lots


def adjusted(issued: int, stockout_days: int) -> float:
    """DESIGN.md's adjusted consumption N = C x 30 / (30 - X) of a one-month period."""
    if 0 < stockout_days < DAYS:
        return issued * DAYS / (DAYS - stockout_days)
    return float(issued)


def amc(months: list[Month]) -> float:
    """Mean adjusted consumption of the last three months with consumption, as the rules
    compute it (0 when no month has any)."""
    used = [adjusted(m.issued, m.stockout_days) for m in months]
    used = [n for n in used if n > 0][-3:]
    return sum(used) / len(used) if used else 0.0


def months_of_stock(series: Series) -> float:
    """Return the latest month's closing balance over the AMC (months of stock)."""
    average = amc(series.months)
    return series.months[-1].stated_closing / average if average else math.nan


class Simulator:
    """Simulate one series: demand, deliveries (every 1-3 months), issues first-expiry-first."""

    def __init__(self, rng: random.Random, facility: Facility, product: StockProduct) -> None:
        self.rng = rng
        self.series = Series(facility, product)
        self.base = product.monthly * facility.size * rng.uniform(0.7, 1.3)
        self.phase = rng.uniform(0, 2 * math.pi)
        self.lots: list[Lot] = []
        self.lot_count = 0
        step = product.step
        kind = product.category
        self.opening = self._round(self.base * (SAFETY[kind] + rng.uniform(0.8, 1.6)), step)
        if self.opening:
            self.lots.append(self._lot(PERIODS[0], self.opening, months_back=4))

    def _round(self, value: float, step: int) -> int:
        return max(0, round(value / step) * step)

    def demand(self, index: int) -> int:
        """Return the month's demand: the base with a season and noise."""
        season = 1 + 0.12 * math.sin(2 * math.pi * index / 12 + self.phase)
        return max(1, round(self.base * season * self.rng.lognormvariate(0, 0.12)))

    def _lot(self, period: date, quantity: int, months_back: int = 0) -> Lot:
        self.lot_count += 1
        code = self.series.product.code[-3:]
        number = f"{period:%y%m}{code}{self.lot_count:02d}"
        total = period.year * 12 + period.month - 1 + self.series.product.shelf_months
        total += self.rng.randint(-3, 6) - months_back
        return Lot(number, date(total // 12, total % 12 + 1, 1), quantity)

    def month(self, index: int, received: int, demand: int | None = None, late_day: int = 0,
              adjustment: int | None = None, lot: Lot | None = None) -> Month:  # fmt: skip
        """Book one month: a delivery (at the start, or on late_day), issues, an adjustment."""
        period = PERIODS[index]
        demand = self.demand(index) if demand is None else demand
        opening = self.opening
        before = {id(x): x.left for x in self.lots}
        if received:
            self.lots.append(lot or self._lot(period, received))
        if late_day:  # out from the day the old stock ran out until the delivery
            covered = min(DAYS, round(DAYS * opening / demand)) if demand else DAYS
            stockout = max(0, late_day - covered)
            issued = min(opening, demand) + round(demand * (DAYS - late_day) / DAYS)
            issued = min(issued, opening + received)
        else:
            issued = min(demand, opening + received)
            short = demand - issued
            stockout = min(DAYS, math.ceil(DAYS * short / demand)) if short > 0 else 0
        if adjustment is None:
            adjustment = 0
            if self.rng.random() < 0.06 and opening + received - issued > 50:
                adjustment = -max(1, round(0.004 * (opening + received - issued)))
        closing = opening + received - issued + adjustment
        rows = self._issue(issued - adjustment, before, received)
        self.opening = closing
        record = Month(period, opening, received, issued, adjustment, closing, stockout, lots=rows)
        self.series.months.append(record)
        return record

    def _issue(self, quantity: int, before: dict[int, int], received: int) -> list:
        """Take quantity from the lots, earliest expiry first; return the lot rows."""
        for lot in sorted(self.lots, key=lambda x: (x.expiry, x.number)):
            take = min(lot.left, quantity)
            lot.left -= take
            quantity -= take
        rows = []
        for lot in self.lots:
            opened = before.get(id(lot), 0)
            got = received if id(lot) not in before else 0
            if opened or got:
                rows.append([lot.number, lot.expiry, opened, got, opened + got - lot.left, 0,
                             lot.left])  # fmt: skip
        self.lots = [x for x in self.lots if x.left > 0]
        return rows


def _delivery_months(rng: random.Random) -> set[int]:
    """Delivery months counted back from December, 1-3 months apart."""
    months, index = set(), 11
    while index >= 0:
        months.add(index)
        index -= rng.choice((1, 2, 2, 3, 3))
    return months


def _order(sim: Simulator, following: int, level: float) -> int:
    """Order up to `level` months of stock plus the months until the next delivery."""
    need = sim.base * (following + level) - sim.opening
    return sim._round(need, sim.series.product.step) if need > 0 else 0


def _quiet(rng: random.Random, sim: Simulator, months: int, last_gap: int | None = None,
           late: bool = False, level: float | None = None) -> None:  # fmt: skip
    """Book months 1..`months` of a quiet series: deliveries every 1-3 months (the last of
    them `last_gap` months before the next when given); with `late`, a delivery before
    September may come a month late."""
    deliveries = sorted(_delivery_months(rng) | {0})
    level = SAFETY[sim.series.product.category] if level is None else level
    delayed = -1
    for index in range(months):
        received = 0
        forced = last_gap is not None and index == months - 1
        if index in deliveries or index == delayed or forced:
            later = [d for d in deliveries if d > index]
            gap = last_gap if forced else (later[0] - index) if later else 1
            if late and index < 8 and index != delayed and rng.random() < 0.04:
                delayed = index + 1  # the supplier is a month late: this month gets nothing
            else:
                received = _order(sim, gap or 1, level)
        sim.month(index, received)


def land(sim: Simulator, index: int, target: float, deliver: bool = True) -> None:
    """Book month `index` so that it closes at `target` months of stock (its AMC, this
    month's consumption included): by a delivery when one is allowed and needed, else by
    the month's consumption (a busier or quieter month than usual), never by a stock-out."""
    demand = sim.demand(index)
    history = [*sim.series.months, Month(PERIODS[index], 0, 0, demand, 0, 0)]
    closing = round(target * amc(history))
    received = closing - sim.opening + demand
    if received < 0 or not deliver:
        # opening - d = target x (a + b + d) / 3, a and b the last two months' consumption
        earlier = [adjusted(m.issued, m.stockout_days) for m in sim.series.months]
        earlier = [n for n in earlier if n > 0][-2:]
        k = len(earlier) + 1
        demand = round((sim.opening - target * sum(earlier) / k) / (1 + target / k))
        demand = max(1, min(demand, sim.opening))
        received = 0
    sim.month(index, received, demand=demand, adjustment=0)


def finish_quiet(sim: Simulator, target: float | None = None) -> None:
    """Book December so that it lands inside the quiet band of months of stock."""
    low, high = QUIET[sim.series.product.category]
    land(sim, 11, target if target is not None else sim.rng.uniform(low + 0.15, high - 0.15))


SCENARIOS: dict[str, tuple[str, str, str]] = {
    # scenario: (rule, test, description)
    "stockout": (
        "STK-01",
        "closing balance 0",
        "Stocked out in the latest month: nothing delivered, closing balance 0",
    ),
    "late": (
        "STK-01",
        "stock-out days",
        "Out of stock for part of the latest month until a late delivery on the 24th; "
        "the closing balance is positive again",
    ),
    "emergency": (
        "STK-02",
        "months of stock < 0.5",
        "Below the emergency order point: 0.3 months of stock in the latest month",
    ),
    "reserve": (
        "STK-03",
        "below the minimum",
        "EPI vaccine with 3 months of stock, under the 6-month reserve",
    ),
    "projected": (
        "STK-04",
        "projected stock-out",
        "Months of stock falling (3.6, 2.6, 1.6) with nothing delivered or on order: "
        "runs out within two months",
    ),
    "overstock": ("STK-05", "overstock", "10 months of stock after an oversized delivery"),
    "expiry": (
        "STK-05",
        "expiry",
        "A short-dated lot redistributed in September (expiring 31/03) holds more than "
        "can be used before it expires",
    ),
    "inconsistent": (
        "STK-08",
        "balance",
        "July's opening + received - issued + adjustments differs from its closing "
        "balance by 120 (August carries the stated balance on)",
    ),
    "recovery": (
        "STK-01",
        "recovered",
        "Control: stocked out in the summer, restocked since; STK-01 must not fire",
    ),
}
# Rules a plant cannot help triggering too: a series below its minimum is also projected to
# run out when nothing is on order, and one projected to run out is below its minimum.
MAY_ALSO_FIRE = {"reserve": "STK-04", "projected": "STK-03", "emergency": "STK-04",
                 "stockout": "STK-04"}  # fmt: skip


def planted(rng: random.Random, sim: Simulator, scenario: str) -> None:
    """Book months 1-12 of a series with a planted scenario (quiet before it begins)."""
    product = sim.series.product
    if scenario == "recovery":  # deliveries stop after June; a late one on 9 September
        _quiet(rng, sim, 6, last_gap=1)
        sim.month(6, 0)
        sim.month(7, 0)
        sim.month(8, _order(sim, 2, SAFETY[product.category]), late_day=9)
        sim.month(9, 0)
        sim.month(10, _order(sim, 1, SAFETY[product.category]))
        finish_quiet(sim)
    elif scenario in ("stockout", "late"):
        _quiet(rng, sim, 10, last_gap=1)
        december = sim.demand(11)
        left = round(0.35 * december)  # November ends with 10 days' stock
        demand = sim.demand(10)
        received = demand + left - sim.opening
        if received < 0:
            demand, received = sim.opening - left, 0
        sim.month(10, received, demand=demand, adjustment=0)
        if scenario == "stockout":
            sim.month(11, 0, demand=december, adjustment=0)
        else:
            big = sim._round(sim.base * 3, product.step)
            sim.month(11, big, demand=december, late_day=24, adjustment=0)
    elif scenario in ("emergency", "reserve", "overstock"):
        target = {"emergency": 0.3, "reserve": 3.0, "overstock": 10.0}[scenario]
        _quiet(rng, sim, 11, last_gap=1)
        land(sim, 11, target)
    elif scenario == "projected":
        _quiet(rng, sim, 9, last_gap=1)
        land(sim, 9, 3.6)
        land(sim, 10, 2.6, deliver=False)
        land(sim, 11, 1.6, deliver=False)
    elif scenario == "expiry":
        # The facility ran its reserve down to two months; in September the province sends
        # it a short-dated lot that, with what it holds, covers the next seven months.
        _quiet(rng, sim, 8, last_gap=1, level=2.0)
        quantity = sim._round(sim.base * 11.2 - sim.opening, product.step)
        short = Lot(f"{PERIODS[8]:%y%m}{product.code[-3:]}SD", date(LATEST.year + 1, 3, 31),
                    quantity)  # fmt: skip
        sim.month(8, quantity, lot=short, adjustment=0)
        sim.month(9, 0, adjustment=0)
        sim.month(10, 0, adjustment=0)
        finish_quiet(sim, target=7.2)
    elif scenario == "inconsistent":
        _quiet(rng, sim, 11)
        july = sim.series.months[6]  # July's row does not add up; August carries it on
        july.written_closing = july.closing + 120
        for later in sim.series.months[7:]:
            later.opening += 120
            later.closing += 120
        sim.opening += 120
        finish_quiet(sim)
    else:
        raise ValueError(scenario)


# (scenario, facility, product code): which series carry a plant
PLANTS: tuple[tuple[str, str, str], ...] = (
    ("stockout", "Trung tâm Y tế huyện Hoằng Hóa", "TH002"),
    ("stockout", "Bệnh viện Đa khoa tỉnh Khánh Hòa", "TH012"),
    ("stockout", "Trung tâm Y tế huyện Tiên Yên", "VX003"),
    ("late", "Trung tâm Y tế huyện Krông Pắc", "TH017"),
    ("emergency", "Bệnh viện Đa khoa tỉnh Nghệ An", "TH006"),
    ("emergency", "Trung tâm Y tế huyện Phú Vang", "TH019"),
    ("reserve", "Trung tâm Y tế huyện Thủy Nguyên", "VX004"),
    ("reserve", "Trung tâm Y tế huyện Phong Điền", "VX005"),
    ("projected", "Bệnh viện Đa khoa vùng Tây Nguyên", "TH009"),
    ("projected", "Trung tâm Y tế huyện Diên Khánh", "TH013"),
    ("overstock", "Bệnh viện Đa khoa tỉnh Thanh Hóa", "TH015"),
    ("expiry", "Trung tâm Y tế huyện Quỳnh Lưu", "VX005"),
    ("inconsistent", "Trung tâm Y tế huyện Quỳnh Lưu", "TH008"),
    ("inconsistent", "Trung tâm Y tế huyện Phong Điền", "VX002"),
    ("recovery", "Trung tâm Y tế huyện Hoằng Hóa", "TH011"),
    ("recovery", "Trung tâm Y tế huyện Thủy Nguyên", "TH005"),
)


def products_of(facility: Facility) -> tuple[StockProduct, ...]:
    """Return the items a facility reports (medicines; vaccines at district centres)."""
    return MEDICINES + (VACCINES if facility.vaccines else ())


def stock_series(seed: int) -> list[Series]:
    """Return every facility's series, planted ones included, in facility and item order."""
    plants = {(facility, code): scenario for scenario, facility, code in PLANTS}
    out = []
    for facility in FACILITIES:
        for product in products_of(facility):
            rng = random.Random(f"{seed}:stock:{facility.name}:{product.code}")
            scenario = plants.get((facility.name, product.code), "")
            sim = Simulator(rng, facility, product)
            if scenario:
                planted(rng, sim, scenario)
            else:
                _quiet(rng, sim, 11, late=True)
                finish_quiet(sim)
            sim.series.plant = scenario
            out.append(sim.series)
    return out
