"""PRC-03: the same registration number bought dearer than another buyer paid in the window."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

import rules.price.prc03_divergent_prices  # noqa: F401
from rules.engine.data import RuleData
from tests.rules.frames import awards, line, run

DAY = date(2025, 6, 1)


def bought(price: float, buyer_id: int, days_before: int = 0, **values):
    """Return a line of the default product at this price for this buyer."""
    return line(
        **{
            "standard_unit_price": price,
            "unit_price": price,
            "buyer_id": buyer_id,
            "buyer": f"Bệnh viện {buyer_id}",
            "decision_date": DAY - timedelta(days=days_before),
            "tender_id": buyer_id * 100 + days_before,
            **values,
        }
    )


def test_fires_against_the_cheapest_other_buyer_with_its_evidence() -> None:
    cheap = bought(100.0, buyer_id=2, days_before=40, line_id=501)
    dearer = bought(120.0, buyer_id=3, days_before=10)
    target = bought(130.0, buyer_id=1, line_id=777)
    outcome = run("PRC-03", cheap, dearer, target)
    # the cheap line has no earlier line; the dearer one is 1.2x the cheap one and passes
    assert (outcome.evaluated, outcome.not_applicable["no other buyer in the window"]) == (2, 1)
    [finding] = outcome.findings
    e = finding.evidence
    assert (finding.line_id, finding.buyer_id, finding.year) == (777, 1, 2025)
    assert (finding.observed, finding.benchmark) == (130.0, 100.0)
    assert (e["lowest_price"], e["lowest_buyer"], e["lowest_buyer_id"]) == (100.0, "Bệnh viện 2", 2)
    assert (e["lowest_line_id"], e["lowest_date"]) == (501, pd.Timestamp(2025, 4, 22))
    assert e["ratio"] == pytest.approx(1.3)
    assert e["registration_number"] == "VD-12345-19"
    assert finding.message_en == (
        "Paid 130 ₫ per tablet for VD-12345-19, 1.30x the 100 ₫ that Bệnh viện 2 paid on "
        "22/04/2025."
    )
    assert "gấp 1,30 lần giá 100 ₫ mà Bệnh viện 2 đã mua ngày 22/04/2025" in finding.message_vi


@pytest.mark.parametrize(
    ("price", "ratio", "fires"),
    [(129.99, 1.3, False), (130.0, 1.3, True), (149.0, 1.5, False), (150.0, 1.5, True)],
    ids=["just-below-1.3-near-miss", "at-1.3", "ratio-1.5-near-miss", "ratio-1.5-at"],
)
def test_threshold(price: float, ratio: float, fires: bool) -> None:
    outcome = run("PRC-03", bought(100.0, 2, 30), bought(price, 1), ratio=ratio)
    assert bool(outcome.findings) is fires


def test_the_same_buyers_own_cheaper_line_is_no_benchmark() -> None:
    own = bought(50.0, buyer_id=1, days_before=20)
    other = bought(90.0, buyer_id=2, days_before=20)
    outcome = run("PRC-03", own, other, bought(100.0, buyer_id=1))
    # buyer 1 paid 100 < 1.3 x 90 (its own 50 does not count); buyer 2's 90 is 1.8 x the 50
    # buyer 1 paid the same day, which is in the window
    assert [(f.buyer_id, f.benchmark) for f in outcome.findings] == [(2, 50.0)]
    alone = run("PRC-03", own, bought(100.0, buyer_id=1))
    assert (alone.evaluated, alone.not_applicable["no other buyer in the window"]) == (0, 2)


@pytest.mark.parametrize(
    ("days_before", "fires"),
    [(365, True), (366, False), (-1, False)],
    ids=["365-days-in", "366-days-out", "a-later-purchase-is-not-compared"],
)
def test_window(days_before: int, fires: bool) -> None:
    outcome = run("PRC-03", bought(100.0, 2, days_before), bought(200.0, 1))
    assert [f.buyer_id for f in outcome.findings] == ([1] if fires else [])


def test_other_registration_numbers_and_units_are_other_products() -> None:
    other_number = bought(100.0, 2, 10, registration_number="VD-99999-20")
    boxed = bought(100.0, 2, 10, standard_unit="box")
    outcome = run("PRC-03", other_number, boxed, bought(200.0, 1))
    assert [f for f in outcome.findings if f.buyer_id == 1] == []
    spaced = bought(100.0, 2, 10, registration_number=" vd-12345-19 ")
    assert len(run("PRC-03", spaced, bought(200.0, 1)).findings) == 1


def test_lines_without_a_registration_number_are_not_applicable() -> None:
    outcome = run(
        "PRC-03",
        bought(100.0, 2, 10, registration_number=None),
        bought(200.0, 1, registration_number="  "),
        bought(200.0, 3, standard_unit_price=None),
    )
    assert outcome.evaluated == 0
    assert outcome.not_applicable == {
        "no standardized price": 1,
        "no standard unit": 0,
        "no decision date": 0,
        "no registration number": 2,
        "no other buyer in the window": 0,
    }


def test_matches_a_brute_force_comparison() -> None:
    rng = np.random.default_rng(7)
    rows = [
        bought(
            float(rng.choice([80, 100, 110, 130, 150, 200])),
            buyer_id=int(rng.integers(1, 6)),
            days_before=int(rng.integers(0, 800)),
            registration_number=f"VD-{rng.integers(1, 4)}-20",
            line_id=k,
        )
        for k in range(1, 201)
    ]
    frame = awards(*rows)
    outcome = run("PRC-03", data=RuleData(awards=frame))
    expected = {}
    for row in frame.itertuples():
        others = frame[
            (frame["registration_number"] == row.registration_number)
            & (frame["buyer_id"] != row.buyer_id)
            & (frame["decision_date"] <= row.decision_date)
            & (frame["decision_date"] >= row.decision_date - pd.Timedelta(days=365))
        ]
        if len(others) and row.standard_unit_price >= 1.3 * others["standard_unit_price"].min():
            expected[row.line_id] = others["standard_unit_price"].min()
    assert {f.line_id: f.benchmark for f in outcome.findings} == expected
    assert len(expected) >= 20
