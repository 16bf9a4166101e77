"""Plant anomalies the rules must find, line by line, and record each with its keys.

Each planter changes a few natural lines (never those of anchor buyers or bad-row files) and
returns a Plant per instance. Collateral flags that a change cannot avoid are named in the keys
as "may_also_fire".
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date

from procurement.demo.catalog import BUYER_BY_NAME, HOSPITAL
from procurement.demo.frameworks import AgreementItem
from procurement.demo.generator import ceil_price, round_price
from procurement.demo.plan import CENTRALIZED, NEGOTIATION
from procurement.demo.planting import (
    ALL_OUTPUTS,
    PORTAL,
    WITH_PLANNED,
    Book,
    Plant,
    identity_of,
    line_keys,
    money,
    product_of,
    std_price,
)
from procurement.demo.products import IDENTITIES, PRODUCTS

PER_RULE = 3
CEN_ORDERS = 3  # controls: orders under an agreement, on which CEN-01 must stay quiet
ABOVE_AGREEMENT = 1.12  # the planted price over the agreement price
LISTS_IN_FORCE = date(2024, 4, 16)  # the reference lists' effective date (build.py)


def _spread(book: Book, lines: list[dict], count: int = PER_RULE) -> list[dict]:
    """Pick lines of different buyers, taking the output kinds (list, portal, CSV) in turn."""
    by_output: dict[str, list[dict]] = defaultdict(list)
    for line in lines:
        by_output[book.owner[id(line)].output].append(line)
    picked: list[dict] = []
    buyers: set[str] = set()
    for _ in range(count * 4):
        if len(picked) == count:
            break
        book.turn += 1
        output = ALL_OUTPUTS[book.turn % len(ALL_OUTPUTS)]
        pool = [
            line for line in by_output.get(output, [])
            if line["buyer_name"] not in buyers and id(line) not in book.reserved
        ]  # fmt: skip
        if pool:
            line = book.choose(pool, 1)[0]
            picked.append(book.take(line))
            buyers.add(line["buyer_name"])
    return picked


def _domestic(line: dict) -> bool:
    """Tell whether a line buys a domestic product (price rises on them leave DOM-02 quiet)."""
    return product_of(line).domestic


def _common(book: Book, top: int) -> list[tuple[str, str, str]]:
    """Return the top most bought identities whose prices no planter has moved."""
    counts = Counter(identity_of(line) for line in book.lines())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [key for key, _ in ranked if key not in book.touched][:top]


def plant_planned_price(book: Book) -> list[Plant]:
    """PRC-01 (award above planned) and CMP-02 (award within 0.5% of planned)."""
    plants = []
    for line in _spread(book, book.free(WITH_PLANNED)):
        line["planned_unit_price"] = int(line["unit_price"] / 1.08)
        text = (
            f"Awarded {money(line['unit_price'])} VND per {line['unit']}, above the "
            f"planned {money(line['planned_unit_price'])}"
        )
        keys = line_keys(line, may_also_fire="CMP-02")
        plants.append(Plant("PRC", "PRC-01", text, keys, [line]))
    for line in _spread(book, book.free(WITH_PLANNED)):
        line["planned_unit_price"] = line["unit_price"]
        plants.append(Plant("CMP", "CMP-02", "Awarded at exactly the planned price",
                            line_keys(line), [line]))  # fmt: skip
    return plants


def plant_peer_outliers(book: Book) -> list[Plant]:
    """PRC-02: a price four times the peer median of a common identity."""
    plants = []
    identities = book.choose(_common(book, 12), PER_RULE)  # type: ignore[arg-type]
    for identity in identities:
        peers = [std_price(line) for line in book.lines() if identity_of(line) == identity]
        median = statistics.median(peers)
        pool = book.free(ALL_OUTPUTS, lambda x, i=identity: identity_of(x) == i and _domestic(x))
        line = _spread(book, pool, 1)
        if not line:
            continue
        price = 4 * median
        book.set_price(line[0], price, book.safe_planned(line[0], price))
        plants.append(Plant("PRC", "PRC-02", f"{identity[0]} {identity[1]} at 4x the peer "
                            f"median of {money(median)} VND", line_keys(
                                line[0], peer_median=round(median, 2), peers=len(peers),
                                may_also_fire="PRC-03,PRC-04,PRC-05,PLN-01"), line))  # fmt: skip
    return plants


def plant_same_product(book: Book) -> list[Plant]:
    """PRC-03: a registration number bought at 1.4x the lowest price another buyer paid."""
    plants = []
    buyers: dict[str, set[str]] = defaultdict(set)
    for line in book.lines():
        buyers[line["registration_number"]].add(line["buyer_name"])
    regs = {reg for reg, names in buyers.items() if len(names) >= 4}
    pool = book.free(ALL_OUTPUTS, lambda x: x["registration_number"] in regs
                     and identity_of(x) not in book.touched and _domestic(x))  # fmt: skip
    for line in _spread(book, pool):
        others = [  # PRC-03 looks back: other buyers' lines of the 365 days up to the day
            std_price(o) for o in book.lines()
            if o["registration_number"] == line["registration_number"]
            and o["buyer_name"] != line["buyer_name"]
            and 0 <= (line["decision_date"] - o["decision_date"]).days <= 365
        ]  # fmt: skip
        if not others:
            continue
        price = 1.4 * min(others)
        book.set_price(line, price, book.safe_planned(line, price))
        plants.append(Plant("PRC", "PRC-03", f"Paid 1.4x the lowest price another buyer paid "
                            f"for {line['registration_number']} ({money(min(others))} VND)",
                            line_keys(line, lowest_other=min(others),
                                      may_also_fire="PRC-02,PRC-05,PLN-01"), [line]))  # fmt: skip
    return plants


def natural_max(identity_index: int) -> float:
    """Return the highest natural price per base unit of an identity (anchor, 2024)."""
    identity = IDENTITIES[identity_index]
    factor = max(p.factor for p in identity.products if not p.planted)
    return identity.base_price * factor * 1.06 * 1.025


def plant_reference_prices(book: Book) -> tuple[list[Plant], dict[int, int]]:
    """PRC-04: awards above the reference price; return the plants and reference prices."""
    plants: list[Plant] = []
    refs: dict[int, int] = {}
    by_key = {identity.key: identity for identity in IDENTITIES}
    ordinary = [key for key in _common(book, 40) if by_key[key].role == ""]
    for key in book.choose(ordinary, len(ordinary)):  # type: ignore[arg-type]
        identity = by_key[key]
        if len(plants) == PER_RULE:
            break
        top = max((p for p in identity.products if not p.planted), key=lambda p: p.factor)
        if not top.domestic:
            continue
        pool = book.free(ALL_OUTPUTS, lambda x, r=top.registration: x["registration_number"] == r)
        line = _spread(book, pool, 1)
        if not line:
            continue
        refs[identity.index] = ceil_price(natural_max(identity.index))
        price = refs[identity.index] * 1.04
        book.set_price(line[0], price, book.safe_planned(line[0], price))
        ref = refs[identity.index]
        text = f"{key[0]} {key[1]} at 1.04x its reference price of {money(ref)} VND"
        keys = line_keys(line[0], reference_price=ref, may_also_fire="PRC-02,PRC-03,PRC-05,PLN-01")
        plants.append(Plant("PRC", "PRC-04", f"{text} per {identity.unit}", keys, line))
    return plants, refs


def plant_price_rise(book: Book) -> list[Plant]:
    """PRC-05: a buyer pays 21% more in 2025 than in 2024 for the same product."""
    first: dict[tuple[str, str], dict] = {}
    pairs: list[tuple[dict, dict]] = []
    for line in book.free(ALL_OUTPUTS, lambda x: identity_of(x) not in book.touched
                          and _domestic(x)):  # fmt: skip
        key = (line["buyer_name"], line["registration_number"])
        if line["decision_date"].year == 2024:
            first.setdefault(key, line)
        elif key in first and book.market.buyer_factor(key[0], product_of(line)) <= 0.95:
            pairs.append((first.pop(key), line))
    plants, buyers = [], set()
    for before, after in book.choose(pairs, len(pairs)):  # type: ignore[arg-type]
        if len(plants) == PER_RULE or before["buyer_name"] in buyers:
            continue
        if id(before) in book.reserved or id(after) in book.reserved:
            continue
        buyers.add(before["buyer_name"])
        book.take(before), book.take(after)
        price = ceil_price(std_price(before) * 1.21)
        book.set_price(after, price, book.safe_planned(after, price))
        plants.append(Plant("PRC", "PRC-05", f"{after['product_name']}: "
                            f"{money(std_price(before))} VND in 2024, {money(price)} VND in 2025 "
                            f"(+21%) at the same buyer", line_keys(
                                after, price_2024=std_price(before), price_2025=std_price(after),
                                may_also_fire="PRC-02,PLN-01"), [after, before]))  # fmt: skip
    return plants


def plant_swaps(book: Book) -> list[Plant]:
    """DOM-02 and DOM-03: lines switched to an imported product."""
    plants = []
    for product in (p for p in PRODUCTS if p.planted in ("DOM-02", "DOM-03")):
        identity = product.identity

        def same(
            line: dict, identity=identity, group=product.group, planted=product.planted
        ) -> bool:
            return (
                identity_of(line) == identity.key
                and product_of(line).domestic
                and (group == "BDG" or line["group"] == group)
                and (planted != "DOM-03" or line["decision_date"] >= LISTS_IN_FORCE)
            )

        line = _spread(book, book.free(ALL_OUTPUTS, same), 1)
        if not line:
            continue
        book.swap_product(line[0], product)
        if product.planted == "DOM-02":
            text = (
                f"Imported {product.name} bought at {money(std_price(line[0]))} VND where "
                "domestic products of the same identity cost less"
            )
            extra = {"may_also_fire": "PLN-01,PRC-02,PRC-04"}
        else:
            text = (
                f"Imported {product.name} bought for {identity.ingredient} "
                f"{identity.strength} ({product.group}) of the domestic-only list"
            )
            extra = {"list_item": f"{identity.ingredient} {identity.strength} {product.group}"}
        plants.append(Plant("DOM", product.planted, text, line_keys(line[0], **extra), line))
    return plants


def plant_outside_framework(
    book: Book, items: list[AgreementItem], busy: set[tuple[str, int]]
) -> tuple[list[Plant], list[Plant]]:
    """CEN-01: hospitals buying a centralized-list item while its framework agreement is valid.

    Plants PER_RULE purchases from another supplier and one from the agreement's supplier above
    its price, and returns them with CEN_ORDERS controls: orders under an agreement (its
    supplier, at or below its price) that look like the plants, so CEN-01's precision is
    measured on lookalikes and not only on the centre's own centralized purchases. An order at
    the agreement price states no planned price (the facility tendered nothing; a planned price
    at the award would trip CMP-02, one above it PLN-01); the last control is 2% under the
    price and planned at it. Only domestic products are swapped in (an imported one could trip
    DOM-02), only on lines decided while the list is in force, by hospitals in buyer-years
    `busy` does not name (the aggregate anomalies' shares would move), one per list item.
    """

    def fits(line: dict) -> bool:
        return (
            BUYER_BY_NAME[line["buyer_name"]].role == HOSPITAL
            and line["procedure"] not in (CENTRALIZED, NEGOTIATION)
            and line["decision_date"] >= LISTS_IN_FORCE
            and identity_of(line) not in book.touched
            and (line["buyer_name"], line["decision_date"].year) not in busy
        )

    domestic = [item for item in items if item.product.domestic]
    plants: list[Plant] = []
    controls: list[Plant] = []
    used: set[tuple] = set()
    cases = ("another",) * PER_RULE + ("above",) + ("order",) * CEN_ORDERS
    for number, case in enumerate(cases):
        for item in book.rng.sample(domestic, len(domestic)):
            if item.key in used:
                continue
            pool = book.free(ALL_OUTPUTS, lambda x, i=item: fits(x) and i.valid_on(
                x["decision_date"]) and x["unit"] == i.product.identity.unit)  # fmt: skip
            picked = _spread(book, pool, 1)
            if not picked:
                continue
            used.add(item.key)
            line = picked[0]
            book.swap_product(line, item.product)
            if case == "another":
                line["supplier"] = next(s for s in item.product.suppliers if s != item.supplier)
            elif case == "above":
                line["supplier"] = item.supplier
                price = ceil_price(item.price * ABOVE_AGREEMENT)
                book.set_price(line, price, book.safe_planned(line, price))
            elif number < len(cases) - 1:  # an order at the agreement price: nothing planned
                line["supplier"] = item.supplier
                book.set_price(line, item.price)
                line["planned_unit_price"] = None
            else:  # 2% under it, planned at it (no higher than the centre's award, PLN-01)
                line["supplier"] = item.supplier
                book.set_price(line, round_price(item.price * 0.98), item.price)
            if case == "order":
                controls.append(_framework_plant(case, line, item))
            else:
                plants.append(_framework_plant(case, line, item))
            break
    return plants, controls


def _framework_plant(case: str, line: dict, item: AgreementItem) -> Plant:
    product, identity = item.product, item.product.identity
    period = f"{item.valid_from:%d/%m/%Y}-{item.valid_to:%d/%m/%Y}"
    agreement = (
        f"framework agreement {item.number} ({item.supplier}, {money(item.price)} VND "
        f"per {identity.unit}, valid {period})"
    )
    price = money(std_price(line))
    text = {
        "another": f"{line['buyer_name']} bought {product.name} from {line['supplier']} at "
        f"{price} VND while {agreement} covered it",
        "above": f"{line['buyer_name']} bought {product.name} from the agreement's supplier at "
        f"{price} VND, {ABOVE_AGREEMENT - 1:.0%} above the price of {agreement}",
        "order": f"Control: {line['buyer_name']} ordered {product.name} under {agreement} at "
        f"{price} VND; CEN-01 must not fire",
    }[case]
    keys = line_keys(
        line, list_item=f"{identity.ingredient} {identity.strength} {product.group}",
        agreement_number=item.number, agreement_supplier=item.supplier,
        agreement_price=item.price, agreement_valid_from=item.valid_from.isoformat(),
        agreement_valid_to=item.valid_to.isoformat(),
        test={"another": "another supplier", "above": "above the agreement price",
              "order": "order under the agreement"}[case],
    )  # fmt: skip
    if line["planned_unit_price"] is None:
        keys["planned_unit_price"] = ""
    if case == "above":
        keys["may_also_fire"] = "PRC-02,PLN-01"
    elif case == "another":
        keys["may_also_fire"] = "PRC-02"
    return Plant("CEN", "CEN-01", text, keys, [line])


def plant_single_bidder(book: Book) -> list[Plant]:
    """CMP-01: open-bidding lines with a single bidder (portal rows show the bidder count)."""
    plants = []
    pool = book.free((PORTAL,), lambda x: x["procedure"] == "DTRR")
    for line in _spread(book, pool, PER_RULE + 1):
        line["bidder_count"] = 1
        plants.append(
            Plant(
                "CMP",
                "CMP-01",
                "One bidder in open bidding (DTRR)",
                line_keys(line, bidder_count=1, procedure="DTRR"),
                [line],
            )
        )
    return plants


def plant_planned_above_history(book: Book) -> list[Plant]:
    """PLN-01: planned prices 1.5x the highest award of the preceding 12 months."""
    plants = []
    pool = book.free(
        WITH_PLANNED,
        lambda x: (
            x["decision_date"].year == 2025
            and x["decision_date"].month >= 3
            and identity_of(x) not in book.touched
        ),
    )
    for line in _spread(book, pool):
        prior = book.max_prior(identity_of(line), line["decision_date"])
        if prior is None:
            continue
        factor = 100 if line["unit"] == "Hộp" else 1
        line["planned_unit_price"] = ceil_price(prior * 1.5) * factor
        plants.append(Plant("PLN", "PLN-01", f"Planned {money(line['planned_unit_price'])} VND, "
                            f"1.5x the highest award of the past 12 months ({money(prior)})",
                            line_keys(line, highest_prior=prior), [line]))  # fmt: skip
    return plants


def plant_missing_fields(book: Book) -> list[Plant]:
    """DQ-01: lines without a supplier, a registration number or a country."""
    plants = []
    for field, label in (("supplier", "supplier"), ("registration_number", "registration"),
                         ("country", "country")):  # fmt: skip
        for line in _spread(book, book.free(ALL_OUTPUTS)):
            keys = line_keys(line, missing=field)
            line[field] = None
            plants.append(Plant("DQ", "DQ-01", f"Line without a {label}", keys, [line]))
    return plants
