"""PRC-05: a price rise over the same buyer's previous purchase of the product."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

import rules.price.prc05_price_rise  # noqa: F401
from tests.rules.frames import line, run

DAY = date(2025, 3, 15)


def bought(price: float, when: date = DAY, **values: Any) -> dict[str, Any]:
    """Return buyer 1's purchase of product 1 at this standardized price."""
    return line(
        **{"unit_price": price, "decision_date": when, "tender_id": when.toordinal(), **values}
    )


def test_fires_on_a_rise_with_the_previous_purchase_in_evidence() -> None:
    earlier = bought(100.0, date(2024, 6, 1), line_id=301, source_file="ket-qua-2024.xlsx")
    outcome = run("PRC-05", earlier, bought(120.0, line_id=302))
    assert (outcome.evaluated, outcome.not_applicable["no previous purchase"]) == (1, 1)
    [finding] = outcome.findings
    e = finding.evidence
    assert (finding.line_id, finding.buyer_id, finding.year) == (302, 1, 2025)
    assert (finding.observed, finding.benchmark) == (120.0, 100.0)
    assert (e["previous_price"], e["previous_date"]) == (100.0, pd.Timestamp(2024, 6, 1))
    assert (e["previous_line_id"], e["previous_source_file"], e["previous_source_row"]) == (
        301,
        "ket-qua-2024.xlsx",
        10,
    )
    assert (e["matched_by"], e["months"]) == ("product", 24)
    assert e["rise"] == pytest.approx(0.2)
    assert finding.message_en == (
        "Bệnh viện Đa khoa tỉnh Nghệ An paid 120 ₫ per tablet, 20.0% more than the 100 ₫ it "
        "paid on 01/06/2024."
    )
    assert "tăng 20,0% so với giá 100 ₫ đã mua ngày 01/06/2024" in finding.message_vi


@pytest.mark.parametrize(
    ("price", "rise", "fires"),
    [(119.99, 0.2, False), (120.0, 0.2, True), (149.0, 0.5, False), (150.0, 0.5, True)],
    ids=["just-below-20%-near-miss", "at-20%", "below-50%", "at-50%"],
)
def test_threshold(price: float, rise: float, fires: bool) -> None:
    outcome = run("PRC-05", bought(100.0, date(2024, 6, 1)), bought(price), rise=rise)
    assert bool(outcome.findings) is fires


def test_the_latest_previous_purchase_is_the_benchmark() -> None:
    rows = [bought(80.0, date(2023, 9, 1)), bought(110.0, date(2024, 12, 1)), bought(125.0)]
    outcome = run("PRC-05", *rows)
    # 125 is 56% above 80 but only 13.6% above the latest 110; 110 is 37.5% above 80
    assert [(f.observed, f.benchmark) for f in outcome.findings] == [(110.0, 80.0)]


@pytest.mark.parametrize(
    ("when", "found"),
    [(date(2023, 3, 15), True), (date(2023, 3, 14), False), (DAY, False)],
    ids=["24-months-before", "a-day-more", "the-same-day-is-not-previous"],
)
def test_window(when: date, found: bool) -> None:
    outcome = run("PRC-05", bought(100.0, when, tender_id=1), bought(200.0, tender_id=2))
    assert [f.observed for f in outcome.findings] == ([200.0] if found else [])


def test_other_buyers_products_and_units_are_not_previous_purchases() -> None:
    rows = [
        bought(100.0, date(2024, 6, 1), buyer_id=2),
        bought(100.0, date(2024, 6, 1), product_id=2, registration_number="VD-99999-20"),
        bought(100.0, date(2024, 6, 1), standard_unit="box"),
        bought(200.0),
    ]
    outcome = run("PRC-05", *rows)
    assert (outcome.findings, outcome.evaluated) == ([], 0)


def test_the_registration_number_stands_in_when_the_product_differs() -> None:
    renamed = bought(100.0, date(2024, 6, 1), product_id=2, product_name="Hapacol 500mg")
    [finding] = run("PRC-05", renamed, bought(130.0)).findings
    assert (finding.benchmark, finding.evidence["matched_by"]) == (100.0, "registration_number")
    # a purchase of the product itself wins over a later one under the same number
    product = bought(125.0, date(2024, 1, 1))
    outcome = run("PRC-05", product, renamed, bought(130.0), rise=0.0)
    assert [(f.benchmark, f.evidence["matched_by"]) for f in outcome.findings] == [
        (125.0, "product")
    ]


def test_lines_that_cannot_be_checked_are_counted_apart() -> None:
    outcome = run(
        "PRC-05", bought(100.0, standard_unit_price=None), bought(100.0, standard_unit=None)
    )
    assert outcome.not_applicable == {
        "no standardized price": 1,
        "no standard unit": 1,
        "no decision date": 0,
        "no previous purchase": 0,
    }
