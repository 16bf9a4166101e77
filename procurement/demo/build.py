"""Build the demo: generate lines, plant anomalies, publish them in the real layouts, record all.

Each decision is published once: about 70% of lines in hospital lists (one file per decision),
20% in national portal exports and 10% in one social-security CSV. Reference prices, the two
Ministry lists and the national centre's framework agreements (one file per centralized tender)
cover the identities the rules need; anomalies.json lists every planted anomaly with the file,
sheet and row that hold it, and the controls: lines a rule must leave alone.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

from procurement.demo import aggregates, anomalies, exports, frameworks
from procurement.demo.catalog import BUYER_BY_NAME, LOW_DOMESTIC_BUYERS, NATIONAL
from procurement.demo.frameworks import AgreementItem
from procurement.demo.generator import award_lines, ceil_price
from procurement.demo.model import DemoFile, PlantedAnomaly
from procurement.demo.plan import ANCHOR_BUYERS, YEARS
from procurement.demo.planting import (
    CSV,
    HOSPITAL_LIST,
    PORTAL,
    PORTAL_EXTRA,
    Book,
    DemoDecision,
    Plant,
)
from procurement.demo.products import DOMESTIC_ONLY, IDENTITIES
from procurement.demo.publish import Publisher
from procurement.demo.stock import build_stock_files, single_source_vaccines
from procurement.demo.stock_plan import AS_OF as STOCK_AS_OF
from procurement.demo.stock_plan import LATEST

# The day the centre's allocation tables count deliveries to: the end of the latest month.
REPORTED_ON = (LATEST.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)

SHARES = {HOSPITAL_LIST: 0.7, PORTAL: 0.2, CSV: 0.1}
NOTES = (
    {"family": "STK", "note": "Stock reports cover 12 facilities x 20 medicines (and 5 EPI "
     "vaccines at the district centres) for the 12 months ending December of the last award "
     "year; `procurement demo` checks stock as of the record's stock_as_of (an expiring lot's "
     "months left are counted from that day). "
     "Natural series end inside 2.6-3.6 months of stock (medicines) or 6.6-7.8 (vaccines), so "
     "STK-01..05 fire in the latest month only on plants; earlier months have natural "
     "stock-outs. STK-06 plants are framework allocations delivered at 45% of the pro-rata "
     "quantity (every other allocation 92-100%). STK-07 is not planted: it lists the "
     "catalogue's single-brand vaccines, which the award generator buys from one "
     "manufacturer. 'controls' lists series stocked out earlier and restocked since, on "
     "which STK-01 must not fire."},
    {"family": "ALL", "note": "keys.may_also_fire names rules a planted change cannot help "
     "triggering too (a raised price also beats the planned ceiling or the peers)."},
    {"family": "PRC", "note": "Natural lines are priced to stay quiet: awards 1-20% under the "
     "planned price, planned prices under the last 12 months' highest award, buyers within "
     "0.93-1.04 of a product's price. Anchor decisions (Bệnh viện Bạch Mai and the Hà Nội CDC "
     "in early January, the national centre in March) sit at 1.06, so a few of their lines may "
     "touch a PRC-02 Tukey fence in small peer groups."},
    {"family": "DOM", "note": "DOM-01 buyer entries are planted (the generator tilts those "
     "buyers to imports); province entries follow from them."},
    {"family": "CEN", "note": "The framework agreements are the national centre's centralized "
     "tenders: one per tender and winning supplier, each lot at its awarded price, valid until "
     "the next tender's lot starts. The centre's own lines are centralized purchases (CEN-01 "
     "does not apply); 'controls' lists hospital orders under an agreement (its supplier, at or "
     "below its price) on which CEN-01 must not fire."},
)  # fmt: skip
FRAMEWORK_FILE = "ttms-quoc-gia_thoa-thuan-khung_{year}.xlsx"
UNDER_DELIVERED = 0.45  # STK-06 plants: the share of the pro-rata quantity delivered


def _group(lines: Iterable[dict]) -> list[DemoDecision]:
    decisions: dict[tuple[str, str], DemoDecision] = {}
    for line in lines:
        key = (line["buyer_name"], line["decision_number"])
        decisions.setdefault(key, DemoDecision([])).lines.append(line)
    return list(decisions.values())


def _assign(book: Book, rng: random.Random, exclude: set[str]) -> None:
    """Choose the bad-row files, then fill hospital lists, portal and CSV to their shares."""
    exclude = exclude | set(ANCHOR_BUYERS) | set(LOW_DOMESTIC_BUYERS)
    ordinary = [
        d for d in book.decisions
        if not d.output and d.buyer not in exclude
        and BUYER_BY_NAME[d.buyer].role != NATIONAL and len(d.lines) >= 6
    ]  # fmt: skip
    small = sorted(ordinary, key=lambda d: (len(d.lines), d.number))
    middle = small[len(small) // 3 :] if len(small) >= 6 else small
    picked = rng.sample(middle, min(2, len(middle)))
    for decision, bad in zip(picked, ("quantity", "price")[: len(picked)], strict=True):
        decision.output, decision.bad, decision.protected = HOSPITAL_LIST, bad, True
    extra = [d for d in small if not d.output and d.year == 2025][:2]
    for decision in extra:
        decision.output, decision.protected = PORTAL_EXTRA, True
    if extra:
        extra[0].bad = "date"
    for decision in book.decisions:
        if decision.buyer in ANCHOR_BUYERS and decision.date.month == 1:
            decision.output, decision.protected = HOSPITAL_LIST, True
        elif BUYER_BY_NAME[decision.buyer].role == NATIONAL:
            decision.output = PORTAL
    total = sum(len(d.lines) for d in book.decisions)
    done = {key: 0 for key in SHARES}
    for decision in book.decisions:
        if decision.output:
            done[PORTAL if decision.output == PORTAL_EXTRA else decision.output] += len(
                decision.lines
            )
    rest = [d for d in book.decisions if not d.output]
    rng.shuffle(rest)
    for decision in rest:
        output = max(SHARES, key=lambda k: (SHARES[k] * total - done[k]) / SHARES[k])
        decision.output = output
        done[output] += len(decision.lines)


def _bad_rows(book: Book) -> list[Plant]:
    """Spoil a few rows the importer must reject, in files reserved for them."""
    plants: list[Plant] = []
    for decision in book.decisions:
        lines = decision.lines
        if decision.bad == "quantity":
            lines[1]["amount"] = 10 * lines[1]["unit_price"]
            lines[1]["quantity"] = "mười"
            plants.append(_bad("text in the quantity column", "Số lượng", "mười", lines[1]))
            lines[3]["quantity"] = -lines[3]["quantity"]
            lines[3]["amount"] = lines[3]["quantity"] * lines[3]["unit_price"]
            plants.append(_bad("negative quantity", "Số lượng", lines[3]["quantity"], lines[3]))
        elif decision.bad == "price":
            lines[1]["unit_price"] = "abc"
            plants.append(_bad("text in the unit price column", "Đơn giá trúng thầu", "abc",
                               lines[1]))  # fmt: skip
            copy = {**lines[4], "_repeat_previous": True}
            lines.insert(5, copy)
            plants.append(_bad("exact duplicate of the row above", "", "", copy, lines[4]))
        elif decision.bad == "date":
            line = lines[len(lines) // 2]
            line["decision_date"] = "31/02/2025"
            plants.append(_bad("impossible date", "Ngày ban hành quyết định", "31/02/2025", line))
    return plants


def _bad(what: str, column: str, value: object, *lines: dict) -> Plant:
    keys = {
        "problem": what,
        "column": column,
        "value": str(value),
        "buyer": lines[0]["buyer_name"],
        "decision_number": lines[0]["decision_number"],
    }
    return Plant("IMPORT", "IMPORT", f"Bad row: {what}", keys, list(lines))  # fmt: skip


def _reference_rows(book: Book, refs: dict[int, int], rng: random.Random) -> list[dict]:
    touched = book.touched
    others = [
        i for i in IDENTITIES
        if i.role != "vx" and i.key not in touched and i.index not in refs
    ]  # fmt: skip
    chosen = {i.index: ceil_price(anomalies.natural_max(i.index) * 1.1)
              for i in rng.sample(others, min(25, len(others)))}  # fmt: skip
    rows = []
    for index, price in sorted({**chosen, **refs}.items()):
        identity = IDENTITIES[index]
        source = {"neg": "Giá đàm phán quốc gia", "cen": "Giá mua sắm tập trung"}.get(
            identity.role, "Giá tham khảo quốc tế")  # fmt: skip
        rows.append({
            "active_ingredient": identity.ingredient, "strength": identity.strength,
            "dosage_form": identity.form, "unit": identity.unit, "price": price,
            "source": source, "valid_from": date(2024, 1, 1), "valid_to": date(2025, 12, 31),
        })  # fmt: skip
    return rows


def _list_rows(list_type: str) -> list[dict]:
    by_key = {(i.ingredient, i.strength): i for i in IDENTITIES}
    if list_type == "domestic-only":
        items = [(by_key[(a, s)], g) for a, s, g in DOMESTIC_ONLY]
    else:
        items = list(dict.fromkeys(
            (i, p.group) for i in IDENTITIES if i.role == "cen"
            for p in i.products if not p.planted
        ))  # fmt: skip
    return [
        {"active_ingredient": i.ingredient, "strength": i.strength, "route": i.route,
         "dosage_form": i.form, "unit": i.unit, "group": group}
        for i, group in items
    ]  # fmt: skip


def _under_delivered(
    items: list[AgreementItem], shares: dict[int, list], seed: int
) -> dict[tuple[int, str], float]:
    """Choose the STK-06 plants: one allocation of an agreement that ended before the
    deliveries were counted (due in full) and one still running then (due pro rata)."""
    rng = random.Random(f"{seed}:under-delivered")
    short: dict[tuple[int, str], float] = {}
    for ended in (True, False):
        pool = [
            (index, facility.name) for index in sorted(shares)
            for facility, _ in shares[index]
            if (items[index].valid_to < REPORTED_ON) == ended
            and (REPORTED_ON - items[index].valid_from).days >= 90
        ]  # fmt: skip
        if pool:
            short[rng.choice(pool)] = UNDER_DELIVERED
    return short


def _stk06(item: AgreementItem, allocation: frameworks.Allocation, name: str, row: int) -> Plant:
    expected = frameworks.due(item, allocation.allocated, allocation.reported_on)
    product = item.product
    keys = {
        "agreement_number": item.number, "supplier": item.supplier,
        "facility": allocation.facility.name, "product_name": product.name,
        "registration_number": product.registration,
        "identity": " | ".join(product.identity.key), "allocated": str(allocation.allocated),
        "delivered": str(allocation.delivered), "expected": f"{expected:.1f}",
        "reported_on": allocation.reported_on.isoformat(),
        "valid_from": item.valid_from.isoformat(), "valid_to": item.valid_to.isoformat(),
        "test": "delivered < share x pro-rata quantity", "file": name, "sheet": "Thỏa thuận khung",
        "row": str(row),
    }  # fmt: skip
    text = (f"{allocation.facility.name} received {allocation.delivered:,} of the "
            f"{expected:,.0f} {product.identity.unit} of {product.name} due pro rata under "
            f"framework agreement {item.number} by {allocation.reported_on:%d/%m/%Y} "
            f"({allocation.delivered / expected:.0%})")  # fmt: skip
    return Plant("STK", "STK-06", text, keys)


def _framework_files(
    out_dir: Path, items: list[AgreementItem], lines: list[Plant], seed: int,
    summary: dict[str, dict], stock_plants: list[Plant],
) -> list[DemoFile]:  # fmt: skip
    """Write one framework-agreement file per centralized tender of the national centre.

    Each item is allocated to a sample of hospitals and to every hospital a CEN-01 plant or
    control line shows buying it, as the centre's allocation tables would list them, with
    what the supplier delivered by the end of the demo's latest month (STK-06's plants are
    appended to stock_plants).
    """
    buyers_of: dict[int, set[str]] = {}
    for plant in lines:
        if plant.rule != "CEN-01":
            continue
        number, registration = plant.keys["agreement_number"], plant.keys["registration_number"]
        index = next(
            i for i, item in enumerate(items)
            if item.number == number and item.product.registration == registration
        )  # fmt: skip
        buyers_of.setdefault(index, set()).add(plant.keys["buyer"])
    shares = frameworks.allocations(items, seed, buyers_of)
    short = _under_delivered(items, shares, seed)
    allocations = frameworks.deliveries(items, shares, REPORTED_ON, seed, short)
    files = []
    for group in frameworks.tender_groups(items):
        group = sorted(group, key=lambda i: (items[i].number, items[i].product.index))
        first = items[group[0]]
        path = out_dir / FRAMEWORK_FILE.format(year=first.decision_date.year)
        notice = f"{100 + first.decision_date.timetuple().tm_yday}/TTMS-NVD"
        rows = frameworks.write_framework_agreements(
            path, [(items[i], allocations[i]) for i in group], notice
        )
        for (position, facility), row in rows.items():
            if (group[position], facility) in short:
                index = group[position]
                allocation = next(a for a in allocations[index] if a.facility.name == facility)
                stock_plants.append(_stk06(items[index], allocation, path.name, row))
        summary[path.name] = {
            "layout": "framework-agreements", "format": "xlsx",
            "agreements": len({items[i].number for i in group}), "items": len(group),
            "allocation_rows": sum(len(shares[i]) for i in group),
        }  # fmt: skip
        files.append(DemoFile(path, "framework-agreements", "framework-agreements",
                              {"holder": frameworks.CENTRE}))  # fmt: skip
    return files


def _remove_previous(out_dir: Path) -> None:
    """Delete the files an earlier build listed in anomalies.json, and nothing else."""
    record = out_dir / "anomalies.json"
    if not record.exists():
        return
    try:
        names = [entry["name"] for entry in json.loads(record.read_text("utf-8"))["files"]]
    except (ValueError, KeyError, TypeError):
        return
    for name in names:
        path = out_dir / name
        if Path(name).name == name and path.is_file():
            path.unlink()


def build_demo_files(
    out_dir: Path, seed: int = 20251, lines: int = 24000
) -> tuple[list[DemoFile], list[PlantedAnomaly]]:
    """Write the demo files and anomalies.json into out_dir; return the files and anomalies."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous(out_dir)
    rng = random.Random(f"{seed}:build")
    book = Book(seed, _group(award_lines(seed, lines)))
    plants, targets = aggregates.plant_noncompetitive(book)
    _assign(book, rng, {d.buyer for d in targets})
    plants += aggregates.plant_dominant_supplier(book, {d.buyer for d in targets})
    plants += anomalies.plant_planned_price(book)
    plants += anomalies.plant_peer_outliers(book)
    plants += anomalies.plant_same_product(book)
    price_plants, refs = anomalies.plant_reference_prices(book)
    plants += price_plants
    plants += anomalies.plant_price_rise(book)
    plants += anomalies.plant_swaps(book)
    busy = {
        (p.keys["buyer"], int(p.keys["year"])) for p in plants if p.rule in ("CMP-03", "CMP-04")
    }
    busy |= {(buyer, year) for buyer in LOW_DOMESTIC_BUYERS for year in YEARS}
    agreements = frameworks.agreement_items(book)  # after the price plants, before DQ-01's
    cen_plants, controls = anomalies.plant_outside_framework(book, agreements, busy)
    plants += cen_plants
    plants += anomalies.plant_single_bidder(book)
    plants += anomalies.plant_planned_above_history(book)
    plants += anomalies.plant_missing_fields(book)
    plants += _bad_rows(book)
    plants += aggregates.finish_shares(book, plants)

    publisher = Publisher(out_dir, book, rng)
    files = publisher.publish(plants + controls)
    ref_path = out_dir / "gia-tham-chieu_2024-2025.xlsx"
    exports.write_reference_prices(ref_path, _reference_rows(book, refs, rng))
    files.append(DemoFile(ref_path, "reference-prices", "reference-prices", {}))
    for list_type, name in (
        ("domestic-only", "tt03-2024_danh-muc-thuoc-trong-nuoc.xlsx"),
        ("centralized", "tt04-2024_danh-muc-dau-thau-tap-trung.xlsx"),
    ):
        path = out_dir / name
        exports.write_reference_list(path, list_type, _list_rows(list_type))
        fields = {"list_type": list_type, "effective_date": anomalies.LISTS_IN_FORCE.isoformat()}
        files.append(DemoFile(path, "reference-list", "reference-list", fields))  # fmt: skip
    stock_plants: list[Plant] = []
    files += _framework_files(out_dir, agreements, plants + controls, seed, publisher.summary,
                              stock_plants)  # fmt: skip
    stock = build_stock_files(out_dir, seed)
    files += stock.files
    publisher.summary.update(stock.summary)
    stock_plants += stock.plants + single_source_vaccines(book)
    found = [PlantedAnomaly(p.family, p.rule, p.description, publisher.locate(p)) for p in plants]
    found += [PlantedAnomaly(p.family, p.rule, p.description, p.keys) for p in stock_plants]
    checks = [PlantedAnomaly(p.family, p.rule, p.description, publisher.locate(p))
              for p in controls]  # fmt: skip
    checks += [PlantedAnomaly(p.family, p.rule, p.description, p.keys) for p in stock.controls]
    record = {
        "seed": seed,
        "lines": lines,
        "stock_as_of": STOCK_AS_OF.isoformat(),
        "files": [{**publisher.summary.get(f.path.name, {}), "name": f.path.name, "kind": f.kind,
                   "profile": f.profile, "set_fields": f.set_fields} for f in files],
        "anomalies": [asdict(a) for a in found],
        "controls": [asdict(a) for a in checks],
        "notes": list(NOTES),
        "hygiene": publisher.hygiene,
    }  # fmt: skip
    text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
    (out_dir / "anomalies.json").write_text(text + "\n", encoding="utf-8")
    return files, found
