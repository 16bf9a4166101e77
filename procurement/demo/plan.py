"""The plan of award decisions: who decides what, when, by which procedure, with how many lines.

Each buyer has 1-3 decisions a year (a main tender, maybe a supplementary one and a small direct
purchase). Two anchor buyers open each year with a decision in early January that covers their
whole catalog at the top of the normal price band (the national centre does the same for the
centralized list, in March), so that planned prices set later can stay at or under the highest
award of the preceding twelve months (the practice PLN-01 checks).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from procurement.demo.catalog import (
    BUYERS,
    CDC,
    CENTRAL,
    DIRECT_NAME,
    DISTRICT,
    EPI,
    HEALTH_DEPT,
    HOSPITAL,
    NATIONAL,
    NEGOTIATION_NAME,
    SUPPLEMENT_NAME,
    TENDER_NAMES,
    Buyer,
)
from procurement.demo.products import PRODUCTS, Product

YEARS = (2024, 2025)
NEGOTIATION, CENTRALIZED = "Đàm phán giá", "Mua sắm tập trung"
ANCHOR_BUYERS = ("Bệnh viện Bạch Mai", "Trung tâm Kiểm soát bệnh tật thành phố Hà Nội")
_KIND_WEIGHT = {"main": 1.0, "supplement": 0.45, "direct": 0.06, "negotiation": 1.0}
# role -> (supplement probability, direct probability, main, supplement and direct procedures)
_ROLE_PLAN: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    HOSPITAL: (0.7, 0.5, ("DTRR",) * 6 + ("DTHC",), ("DTRR", "DTRR", "DTHC"),
               ("CDT", "MSTT", "CDTRG")),
    HEALTH_DEPT: (0.5, 0.4, (CENTRALIZED,), ("DTRR",), ("MSTT",)),
    CDC: (0.5, 0.3, ("DTRR",), ("DTHC",), ("CDT",)),
    EPI: (0.5, 0.4, ("DTRR",), ("DTHC",), ("CDT",)),
    NATIONAL: (0.0, 0.0, (CENTRALIZED,), (), ()),
}  # fmt: skip
# days after 1 January per decision kind; anchors fall on weekdays under 365 days apart
_WINDOWS = {"main": (31, 149), "supplement": (151, 271), "direct": (274, 347),
            "negotiation": (200, 206)}  # fmt: skip
_ANCHOR_DAYS = {2024: (8, 9), 2025: (1, 2)}
_NATIONAL_DAYS = {2024: (64, 66), 2025: (57, 59)}


@dataclass
class Decision:
    """A planned award decision (one tender) of a buyer."""

    index: int
    buyer: Buyer
    year: int
    date: date
    kind: str  # main | supplement | direct | negotiation
    procedure: str
    number: str
    tender_code: str
    tender_name: str
    pool: tuple[Product, ...] = field(repr=False)
    anchor: bool = False
    size: int = 0


def buyer_pool(buyer: Buyer, kind: str = "main") -> tuple[Product, ...]:
    """Return the products a buyer's decision of that kind chooses from."""
    if buyer.role == NATIONAL:
        role = "neg" if kind == "negotiation" else "cen"
        return tuple(p for p in PRODUCTS if p.identity.role == role and not p.planted)
    if buyer.role in (CDC, EPI):
        epi_only = buyer.role == EPI
        return tuple(
            p for p in PRODUCTS
            if p.identity.role == "vx" and not p.planted and (p.identity.epi or not epi_only)
        )  # fmt: skip
    tier = {CENTRAL: 3, DISTRICT: 1}.get(buyer.level, 2)
    no_originators = buyer.level == DISTRICT or buyer.role == HEALTH_DEPT
    return tuple(
        p for p in PRODUCTS
        if p.identity.role == "" and not p.planted and p.identity.tier <= tier
        and not (no_originators and p.group == "BDG")
    )  # fmt: skip


def _weekday(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def plan_decisions(seed: int, n: int) -> list[Decision]:
    """Plan the decisions of every buyer over both years, sized to n lines, in date order."""
    rng = random.Random(f"{seed}:plan")
    decisions: list[Decision] = []
    used: set[str] = set()
    for buyer in BUYERS:
        supplement_p, direct_p, main_procs, supp_procs, direct_procs = _ROLE_PLAN[buyer.role]
        procs = {"main": main_procs, "supplement": supp_procs, "direct": direct_procs}
        for year in YEARS:
            kinds = ["main"]
            if rng.random() < supplement_p:
                kinds.append("supplement")
            if rng.random() < direct_p:
                kinds.append("direct")
            if buyer.role == NATIONAL:
                kinds.append("negotiation")
            for round_no, kind in enumerate(kinds, start=1):
                anchor = kind == "main" and (buyer.name in ANCHOR_BUYERS or buyer.role == NATIONAL)
                procedure = NEGOTIATION if kind == "negotiation" else rng.choice(procs[kind])
                low, high = _ANCHOR_DAYS[year] if anchor else _WINDOWS[kind]
                if buyer.role == NATIONAL and kind == "main":  # its years under 365 days apart
                    low, high = _NATIONAL_DAYS[year]
                day = _weekday(date(year, 1, 1) + timedelta(days=rng.randint(low, high)))
                number = code = ""
                while not number or number + buyer.name in used or code in used:
                    number = f"{rng.randint(100, 2999)}/{buyer.code}"
                    code = f"IB{year % 100:02d}{rng.randint(0, 99_999_999):08d}"
                used.update((number + buyer.name, code))
                name = _tender_name(rng, buyer, kind, year, round_no)
                decisions.append(
                    Decision(len(decisions), buyer, year, day, kind, procedure, number, code,
                             name, buyer_pool(buyer, kind), anchor)
                )  # fmt: skip
    _size(decisions, n)
    kept = [d for d in decisions if d.size > 0]
    kept.sort(key=lambda d: (d.date, d.index))
    return kept


def _tender_name(rng: random.Random, buyer: Buyer, kind: str, year: int, round_no: int) -> str:
    if kind == "supplement":
        return SUPPLEMENT_NAME.format(year=year, round=round_no)
    if kind == "direct":
        return DIRECT_NAME.format(year=year)
    if kind == "negotiation":
        return NEGOTIATION_NAME.format(year=year)
    return rng.choice(TENDER_NAMES[buyer.role]).format(year=year)


def _size(decisions: list[Decision], n: int) -> None:
    """Give anchors their whole pool (up to n/10), share the rest by weight x pool size."""
    for decision in decisions:
        if decision.anchor:
            decision.size = min(len(decision.pool), n // 10)
    rest = [d for d in decisions if not d.anchor]
    left = n - sum(d.size for d in decisions if d.anchor)
    weights = [_KIND_WEIGHT[d.kind] * len(d.pool) for d in rest]
    exact = [left * w / sum(weights) for w in weights]
    sizes = [math.floor(x) for x in exact]
    order = sorted(range(len(rest)), key=lambda i: (sizes[i] - exact[i], i))
    for i in order[: left - sum(sizes)]:
        sizes[i] += 1
    for decision, size in zip(rest, sizes, strict=True):
        decision.size = size
