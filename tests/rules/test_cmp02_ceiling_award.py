"""CMP-02: awarded at the planned price ceiling."""

from __future__ import annotations

import pytest

import rules.competition.cmp02_ceiling_award  # noqa: F401
from tests.rules.frames import line, run


def test_fires_just_under_the_plan_with_the_gap_in_evidence() -> None:
    outcome = run(
        "CMP-02",
        line(unit_price=399.0, planned_unit_price=400.0, bidder_count=1),
        line(unit_price=380.0, planned_unit_price=400.0, product_id=2),
    )
    assert (outcome.evaluated, len(outcome.findings)) == (2, 1)
    finding = outcome.findings[0]
    assert (finding.observed, finding.benchmark) == (399.0, 400.0)
    assert finding.evidence["gap_share"] == 0.0025
    assert finding.evidence["margin"] == 0.005
    assert finding.evidence["procedure"] == "open_bidding"
    assert finding.evidence["bidder_count"] == 1
    assert finding.evidence["source_row"] == 10
    assert (finding.buyer_id, finding.year) == (1, 2025)
    assert finding.line_id is not None
    assert finding.subject_key == "line:1:1:1"
    assert "0.25% below the planned price of 400 ₫" in finding.message_en
    assert "chỉ thấp hơn 0,25% so với giá kế hoạch 400 ₫" in finding.message_vi


@pytest.mark.parametrize(
    ("price", "planned", "margin", "fires"),
    [
        (400.0, 400.0, 0.005, True),
        (398.0, 400.0, 0.005, True),
        (397.9, 400.0, 0.005, False),
        (396.0, 400.0, 0.01, True),
        (395.9, 400.0, 0.01, False),
    ],
    ids=[
        "equal-to-plan",
        "exactly-at-margin-0.5pct",
        "just-beyond-margin-near-miss",
        "margin-1pct-at-threshold",
        "margin-1pct-near-miss",
    ],
)
def test_threshold(price: float, planned: float, margin: float, fires: bool) -> None:
    outcome = run("CMP-02", line(unit_price=price, planned_unit_price=planned), margin=margin)
    assert outcome.evaluated == 1
    assert bool(outcome.findings) is fires


def test_equal_price_says_so() -> None:
    finding = run("CMP-02", line(unit_price=400.0, planned_unit_price=400.0)).findings[0]
    assert finding.evidence["gap_share"] == 0.0
    assert "equal to the planned price" in finding.message_en
    assert "bằng giá kế hoạch" in finding.message_vi


def test_above_the_plan_is_left_to_prc01() -> None:
    outcome = run("CMP-02", line(unit_price=400.01, planned_unit_price=400.0))
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable == {"above the planned price (PRC-01)": 1}


def test_no_plan_or_no_price_is_not_applicable() -> None:
    outcome = run(
        "CMP-02",
        line(planned_unit_price=None),
        line(unit_price=0.0, planned_unit_price=400.0, product_id=2),
        line(unit_price=400.0, planned_unit_price=0.0, product_id=3),
    )
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable == {"no planned price": 1, "zero or negative price": 2}


def test_a_line_without_a_decision_date_fires_without_a_year() -> None:
    outcome = run("CMP-02", line(unit_price=400.0, planned_unit_price=400.0, decision_date=None))
    assert [f.year for f in outcome.findings] == [None]
