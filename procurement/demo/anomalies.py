"""Plant anomalies the rules must find, line by line, and record each with its keys.

Each planter changes a few natural lines (never those of anchor buyers or bad-row files) and
returns a Plant per instance. Collateral flags that a change cannot avoid are named in the keys
as "may_also_fire".
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date

from procurement.demo.catalog import BUYER_BY_NAME, NATIONAL
from procurement.demo.generator import ceil_price
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
        others = [
            std_price(o) for o in book.lines()
            if o["registration_number"] == line["registration_number"]
            and o["buyer_name"] != line["buyer_name"]
            and abs((o["decision_date"] - line["decision_date"]).days) <= 365
        ]  # fmt: skip
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
    """DOM-02, DOM-03 and CEN-01: lines switched to an imported or centrally bought product."""
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
    central = [i for i in IDENTITIES if i.role == "cen"]
    for identity in book.choose(central, PER_RULE):  # type: ignore[arg-type]
        product = book.choose([p for p in identity.products if not p.planted], 1)[0]
        pool = book.free(ALL_OUTPUTS, lambda x, u=product.identity.unit: x["unit"] == u
                         and identity_of(x) not in book.touched
                         and BUYER_BY_NAME[x["buyer_name"]].role != NATIONAL)  # fmt: skip
        line = _spread(book, pool, 1)
        if line:
            book.swap_product(line[0], product)
            plants.append(Plant("CEN", "CEN-01", f"{line[0]['buyer_name']} bought "
                                f"{product.identity.ingredient} {product.identity.strength}, "
                                "an item of the national centralized list", line_keys(
                                    line[0], list_item=f"{identity.ingredient} {identity.strength}",
                                    may_also_fire="PRC-02"), line))  # fmt: skip
    return plants


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
