"""Plant and record the anomalies of a buyer's year: CMP-03, CMP-04 and DOM-01."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from procurement.demo.catalog import BUYER_BY_NAME, HOSPITAL, LOW_DOMESTIC_BUYERS, VIETNAM
from procurement.demo.plan import ANCHOR_BUYERS
from procurement.demo.planting import PORTAL, Book, DemoDecision, Plant, product_of

NON_COMPETITIVE = ("CDT", "MSTT")
DOMESTIC_TARGET = 0.7


def domestic(line: dict) -> bool:
    """Tell whether a line's product is made in Vietnam (registration first, then country)."""
    if line.get("registration_number"):
        return product_of(line).domestic
    return line.get("country") == VIETNAM


def _eligible_buyers(book: Book, exclude: set[str]) -> list[str]:
    names = []
    for decision in book.decisions:
        name = decision.buyer
        buyer = BUYER_BY_NAME[name]
        if (buyer.role == HOSPITAL and name not in ANCHOR_BUYERS and name not in exclude
                and name not in LOW_DOMESTIC_BUYERS and name not in names):  # fmt: skip
            names.append(name)
    return names


def plant_noncompetitive(book: Book, count: int = 3) -> tuple[list[Plant], list[DemoDecision]]:
    """CMP-04: turn a buyer's supplementary tender into a direct appointment worth >= 40%."""
    plants: list[Plant] = []
    targets: list[DemoDecision] = []
    supplements = [
        d for d in book.decisions
        if d.lines[0]["procedure"] in ("DTRR", "DTHC") and "bổ sung" in d.lines[0]["tender_name"]
    ]  # fmt: skip
    buyers = set(_eligible_buyers(book, set()))
    for decision in book.choose(supplements, len(supplements)):  # type: ignore[arg-type]
        if len(targets) == count or decision.buyer not in buyers:
            continue
        buyers.discard(decision.buyer)
        procedure = book.rng.choice(NON_COMPETITIVE)
        year_lines = book.buyer_year(decision.buyer, decision.year)
        own = sum(line["amount"] for line in decision.lines)
        rest = sum(line["amount"] for line in year_lines) - own
        scale = max(1.0, 0.4 * rest / (0.6 * own))  # own share at least 40%
        for line in decision.lines:
            line["procedure"] = procedure
            line["bidder_count"] = 1
            line["quantity"] = round(line["quantity"] * scale)
            line["amount"] = line["quantity"] * line["unit_price"]
        decision.output = PORTAL
        targets.append(decision)
        plants.append(Plant("CMP", "CMP-04", f"{decision.buyer} bought {decision.year} "
                            f"supplies by {procedure} in decision {decision.number}", {
                                "buyer": decision.buyer, "year": str(decision.year),
                                "decision_number": decision.number, "procedure": procedure,
                            }))  # fmt: skip
    return plants, targets


def plant_dominant_supplier(book: Book, exclude: set[str], count: int = 3) -> list[Plant]:
    """CMP-03: one supplier takes >= 55% of a buyer's yearly value."""
    plants: list[Plant] = []
    for buyer in book.choose(_eligible_buyers(book, exclude), count):  # type: ignore[arg-type]
        years = sorted({d.year for d in book.decisions if d.buyer == buyer})
        year = book.rng.choice(years)
        lines = book.buyer_year(buyer, year)
        total = sum(line["amount"] for line in lines)
        supplier = Counter(line["supplier"] for line in lines).most_common(1)[0][0]
        held = sum(line["amount"] for line in lines if line["supplier"] == supplier)
        for line in sorted(lines, key=lambda x: -x["amount"]):
            if held >= 0.55 * total:
                break
            if line["supplier"] != supplier:
                line["supplier"] = supplier
                held += line["amount"]
        plants.append(Plant("CMP", "CMP-03", f"{supplier} won {held / total:.0%} of "
                            f"{buyer}'s {year} award value", {
                                "buyer": buyer, "year": str(year), "supplier": supplier,
                            }))  # fmt: skip
    return plants


def finish_shares(book: Book, plants: list[Plant]) -> list[Plant]:
    """Write the final shares into CMP-03/CMP-04 keys and record DOM-01 buyers and provinces."""
    for plant in plants:
        if plant.rule in ("CMP-03", "CMP-04"):
            lines = _valid(book.buyer_year(plant.keys["buyer"], int(plant.keys["year"])))
            test = (
                (lambda x, s=plant.keys["supplier"]: x.get("supplier") == s)
                if plant.rule == "CMP-03"
                else lambda x: x["procedure"] in NON_COMPETITIVE
            )
            plant.keys["share"] = f"{book.share(lines, test):.3f}"  # fmt: skip
    found: list[Plant] = []
    for buyer in LOW_DOMESTIC_BUYERS:
        for year in (2024, 2025):
            lines = _valid(book.buyer_year(buyer, year))
            if not lines:
                continue
            share = book.share(lines, domestic)
            level = BUYER_BY_NAME[buyer].level
            found.append(Plant("DOM", "DOM-01", f"{buyer} ({level}) bought {share:.0%} "
                               f"domestic by value in {year}", {
                                   "scope": "buyer", "buyer": buyer, "year": str(year),
                                   "level": level, "domestic_share": f"{share:.3f}",
                               }))  # fmt: skip
    by_province: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for line in _valid(list(book.lines())):
        by_province[(line["province"], line["decision_date"].year)].append(line)
    for (province, year), lines in sorted(by_province.items()):
        share = book.share(lines, domestic)
        if share < DOMESTIC_TARGET:
            found.append(Plant("DOM", "DOM-01", f"Province {province} bought {share:.0%} "
                               f"domestic by value in {year} (follows from the buyers above)", {
                                   "scope": "province", "province": province, "year": str(year),
                                   "domestic_share": f"{share:.3f}",
                               }))  # fmt: skip
    return found


def _valid(lines: list[dict]) -> list[dict]:
    """Drop the deliberately bad rows an importer rejects."""
    return [
        line for line in lines
        if isinstance(line.get("quantity"), int | float) and line["quantity"] > 0
        and isinstance(line.get("decision_date"), date)
        and isinstance(line.get("unit_price"), int | float) and not line.get("_repeat_previous")
    ]  # fmt: skip
