"""PRC-01: awarded above the planned price."""

from __future__ import annotations

import pytest

from tests.rules.frames import line, run


def test_fires_above_the_plan_with_the_excess_in_evidence() -> None:
    outcome = run(
        "PRC-01",
        line(unit_price=420.0, planned_unit_price=400.0),
        line(unit_price=380.0, planned_unit_price=400.0, product_id=2),
    )
    assert (outcome.evaluated, len(outcome.findings)) == (2, 1)
    finding = outcome.findings[0]
    assert (finding.observed, finding.benchmark) == (420.0, 400.0)
    assert finding.evidence["excess_share"] == pytest.approx(0.05)
    assert finding.evidence["source_row"] == 10
    assert "5.0% above" in finding.message_en
    assert "cao hơn giá kế hoạch" in finding.message_vi


@pytest.mark.parametrize(
    ("price", "planned", "tolerance", "fires"),
    [
        (400.0, 400.0, 0.0, False),
        (400.01, 400.0, 0.0, True),
        (419.0, 400.0, 0.05, False),
        (421.0, 400.0, 0.05, True),
    ],
    ids=["equal-near-miss", "one-cent-above", "within-tolerance", "beyond-tolerance"],
)
def test_threshold(price: float, planned: float, tolerance: float, fires: bool) -> None:
    outcome = run("PRC-01", line(unit_price=price, planned_unit_price=planned), tolerance=tolerance)
    assert bool(outcome.findings) is fires


def test_no_plan_or_no_price_is_not_applicable() -> None:
    outcome = run(
        "PRC-01",
        line(planned_unit_price=None),
        line(unit_price=0.0, planned_unit_price=400.0, product_id=2),
    )
    assert outcome.findings == []
    assert outcome.evaluated == 0
    assert outcome.not_applicable == {"no planned price": 1, "zero or negative price": 1}
