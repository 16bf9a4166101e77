"""Flags built in code for the review services' tests: hand-made ones whose every field a test
chooses, and a generated market whose flags the real rule pack raised."""

from __future__ import annotations

from itertools import count
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import Buyer, Flag
from procurement.services.permissions import Actor

AUDITOR = Actor("an.auditor", "auditor", "An Auditor")
SECOND_AUDITOR = Actor("bich.auditor", "auditor", "Bích")
OFFICER = Actor("an.officer", "officer")
ADMIN = Actor("an.admin", "admin")

_serial = count(1)


def add_buyer(session: Session, name: str, province: str, code: str) -> int:
    """Store a buyer; return its id."""
    buyer = Buyer(name=name, name_key=name.lower(), province=province, province_code=code)
    session.add(buyer)
    session.flush()
    return buyer.id


def add_flag(session: Session, rule: str = "PRC-01", **fields: Any) -> int:
    """Store a flag with sensible defaults for whatever the test does not choose; return its id."""
    n = next(_serial)
    values: dict[str, Any] = {
        "fingerprint": f"test-{n}",
        "rule": rule,
        "rule_version": 1,
        "family": rule.split("-")[0],
        "severity": "medium",
        "status": "open",
        "active": True,
        "subject_type": "award_line",
        "subject_key": f"line:{n}",
        "year": 2024,
        "params": {},
        "evidence": {},
        "message_en": f"Flag {n} in English",
        "message_vi": f"Cờ {n} bằng tiếng Việt",
    }
    values.update(fields)
    flag = Flag(**values)
    session.add(flag)
    session.flush()
    return flag.id


def small_world(session: Session) -> dict[str, int]:
    """Two buyers in two provinces and eight flags across rules, severities, statuses and years.

    Ids by name: high1 high2 (PRC-01, high, Bạch Mai), dismissed (CMP-01, low), escalated
    (CMP-02, medium, 2025, Chợ Rẫy), plain (PRC-02, medium, Chợ Rẫy), cheap (PRC-02, observed 5),
    province (DOM-01 about Hồ Chí Minh itself, no buyer), old (PRC-01, 2023, closed).
    """
    hanoi = add_buyer(session, "Bệnh viện Bạch Mai", "Hà Nội", "ha-noi")
    hcm = add_buyer(session, "Bệnh viện Chợ Rẫy", "Hồ Chí Minh", "ho-chi-minh")
    ids = {"hanoi": hanoi, "hcm": hcm}
    ids["high1"] = add_flag(session, "PRC-01", severity="high", buyer_id=hanoi, observed=420.0)
    ids["high2"] = add_flag(session, "PRC-01", severity="high", buyer_id=hanoi, observed=900.0)
    ids["dismissed"] = add_flag(
        session, "CMP-01", severity="low", status="dismissed", buyer_id=hanoi
    )
    ids["escalated"] = add_flag(session, "CMP-02", status="escalated", buyer_id=hcm, year=2025)
    ids["plain"] = add_flag(
        session, "PRC-02", buyer_id=hcm, observed=700.0, message_en="Paid far more for Augmentin"
    )
    ids["cheap"] = add_flag(session, "PRC-02", buyer_id=hcm, observed=5.0)
    ids["province"] = add_flag(
        session,
        "DOM-01",
        subject_type="province_year",
        subject_key="province_year:ho-chi-minh:2024",
        buyer_id=None,
        observed=0.4,
    )
    ids["old"] = add_flag(
        session, "PRC-01", status="closed", active=False, buyer_id=hanoi, year=2023
    )
    return ids


def market(session: Session, lines: int = 2000) -> int:
    """Store a generated market and run the whole rule pack on it; return how many flags."""
    from rules.engine.pack import load_pack
    from rules.engine.runner import run_rules

    store_lines(session, "market.xlsx", award_lines(seed=11, n=lines))
    run_rules(session, load_pack())
    return len(session.scalars(select(Flag.id)).all())
