"""PLN-01: a planned price above the highest result of the 12 months before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

import rules.price.pln01_plan_above_results  # noqa: F401
from tests.rules.frames import line, run

DAY = date(2025, 3, 15)


def result(price: float, when: date, buyer_id: int = 2, **values: Any) -> dict[str, Any]:
    """Return an earlier award (no plan) at this standardized price."""
    return line(
        **{
            "unit_price": price,
            "decision_date": when,
            "buyer_id": buyer_id,
            "buyer": f"Bệnh viện {buyer_id}",
            "tender_id": when.toordinal(),
            **values,
        }
    )


def planned(plan: float, **values: Any) -> dict[str, Any]:
    """Return buyer 1's line of DAY, awarded at 100 ₫ a tablet, planned at `plan`."""
    return line(
        **{
            "unit_price": 100.0,
            "planned_unit_price": plan,
            "decision_date": DAY,
            "tender_id": 1,
            **values,
        }
    )


RESULTS = (result(100.0, date(2024, 10, 1)), result(110.0, date(2025, 1, 10), 3, line_id=403))


def test_fires_above_the_highest_result_with_it_in_evidence() -> None:
    outcome = run("PLN-01", *RESULTS, planned(115.0, line_id=404))
    assert (outcome.evaluated, outcome.not_applicable["no planned price"]) == (1, 2)
    [finding] = outcome.findings
    e = finding.evidence
    assert (finding.line_id, finding.buyer_id, finding.year) == (404, 1, 2025)
    assert (finding.observed, finding.benchmark) == (115.0, 110.0)
    assert (e["highest_buyer"], e["highest_line_id"], e["highest_date"]) == (
        "Bệnh viện 3",
        403,
        pd.Timestamp(2025, 1, 10),
    )
    assert (e["result_count"], e["planned_unit_price"], e["planned_standard_price"]) == (
        2,
        115,
        115,
    )
    assert (e["window_from"], e["window_to"]) == (
        pd.Timestamp(2024, 3, 15),
        pd.Timestamp(2025, 3, 14),
    )
    assert e["excess_share"] == pytest.approx(115 / 110 - 1)
    assert finding.message_en == (
        "Planned at 115 ₫ per tablet, above 110 ₫ (Bệnh viện 3, 10/01/2025), the highest of 2 "
        "results in the 12 months before."
    )
    assert "Giá kế hoạch 115 ₫/tablet cao hơn giá trúng thầu cao nhất 110 ₫" in finding.message_vi


def test_a_plan_equal_to_the_highest_result_is_a_near_miss() -> None:
    outcome = run("PLN-01", *RESULTS, planned(110.0))
    assert (outcome.evaluated, outcome.findings) == (1, [])


@pytest.mark.parametrize(
    ("box_plan", "fires"), [(1100.0, False), (1200.0, True)], ids=["110-a-tablet", "120-a-tablet"]
)
def test_a_boxed_plan_is_standardized_as_its_award(box_plan: float, fires: bool) -> None:
    boxed = planned(box_plan, unit="Hộp", unit_price=1000.0, standard_unit_price=100.0)
    outcome = run("PLN-01", *RESULTS, boxed)
    assert [f.evidence["planned_standard_price"] for f in outcome.findings] == (
        [120.0] if fires else []
    )


@pytest.mark.parametrize(
    ("when", "counted"),
    [(date(2024, 3, 15), True), (date(2024, 3, 14), False), (DAY, False)],
    ids=["12-months-before", "a-day-more", "the-same-day-is-not-earlier"],
)
def test_window(when: date, counted: bool) -> None:
    outcome = run("PLN-01", result(100.0, when), planned(150.0))
    assert len(outcome.findings) == int(counted)
    assert outcome.not_applicable["too few recent results"] == int(not counted)


def test_only_the_same_identity_and_unit_are_results_and_own_results_count() -> None:
    rows = [
        result(500.0, date(2025, 1, 1), identity_key="ibuprofen|400mg|tablet"),
        result(500.0, date(2025, 1, 1), standard_unit="box"),
        result(100.0, date(2025, 1, 1), buyer_id=1),
        planned(120.0),
    ]
    [finding] = run("PLN-01", *rows).findings
    assert (finding.benchmark, finding.evidence["result_count"]) == (100.0, 1)


def test_min_results_and_lines_without_a_plan() -> None:
    outcome = run("PLN-01", *RESULTS, planned(200.0), min_results=3)
    assert (outcome.evaluated, outcome.findings) == (0, [])
    assert outcome.not_applicable == {
        "no standardized price": 0,
        "no standard unit": 0,
        "no decision date": 0,
        "no planned price": 2,
        "too few recent results": 1,
    }
