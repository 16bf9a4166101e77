"""PRC-04: above the reference price in force at the decision date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

import rules.price.prc04_above_reference  # noqa: F401
from rules.engine.data import RuleData
from tests.rules.frames import awards, line, run

KEY = "paracetamol|500mg|tablet"


def reference(**values: Any) -> dict[str, Any]:
    """Return one reference price row: 100 ₫ a tablet, valid through 2025."""
    return {
        "identity_key": KEY,
        "standard_unit": "tablet",
        "standard_unit_price": 100.0,
        "price": 10000.0,
        "price_source": "national negotiated price",
        "valid_from": date(2025, 1, 1),
        "valid_to": date(2025, 12, 31),
        "registration_number": "VN-1-20",
        **values,
    }


def check(lines: list[dict[str, Any]], references: list[dict[str, Any]], **params: Any):
    """Run PRC-04 on these lines against these references."""
    data = RuleData(awards=awards(*lines), reference_prices=pd.DataFrame(references))
    return run("PRC-04", data=data, **params)


def test_fires_above_the_reference_with_its_source_in_evidence() -> None:
    outcome = check([line(unit_price=120.0, line_id=71)], [reference()])
    assert outcome.evaluated == 1
    [finding] = outcome.findings
    e = finding.evidence
    assert (finding.line_id, finding.buyer_id, finding.year) == (71, 1, 2025)
    assert (finding.observed, finding.benchmark, e["ratio"]) == (120.0, 100.0, 1.2)
    assert (e["price_source"], e["reference_registration_number"]) == (
        "national negotiated price",
        "VN-1-20",
    )
    assert (e["valid_from"], e["valid_to"]) == (
        pd.Timestamp(2025, 1, 1),
        pd.Timestamp(2025, 12, 31),
    )
    assert (e["reference_listed_price"], e["references_in_force"]) == (10000.0, 1)
    assert finding.message_en == (
        "Paid 120 ₫ per tablet, 1.20x the national negotiated price of 100 ₫ in force at the "
        "decision date."
    )
    assert "gấp 1,20 lần giá tham chiếu 100 ₫" in finding.message_vi


@pytest.mark.parametrize(
    ("price", "ratio", "fires"),
    [(100.0, 1.0, False), (100.01, 1.0, True), (110.0, 1.1, False), (110.5, 1.1, True)],
    ids=["equal-near-miss", "above", "within-ratio-1.1", "beyond-ratio-1.1"],
)
def test_threshold(price: float, ratio: float, fires: bool) -> None:
    outcome = check([line(unit_price=price)], [reference()], ratio=ratio)
    assert (outcome.evaluated, bool(outcome.findings)) == (1, fires)


def test_the_lowest_reference_in_force_is_the_benchmark() -> None:
    references = [
        reference(),
        reference(standard_unit_price=90.0, price_source="centralized price"),
        reference(standard_unit_price=50.0, valid_to=date(2024, 12, 31)),  # expired
        reference(standard_unit_price=40.0, standard_unit="box"),  # another unit
        reference(standard_unit_price=None, price=1.0),  # no standardized price: unused
    ]
    [finding] = check([line(unit_price=95.0)], references).findings
    assert (finding.benchmark, finding.evidence["price_source"]) == (90.0, "centralized price")
    assert finding.evidence["references_in_force"] == 2


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "applies"),
    [
        (None, None, True),
        (date(2025, 3, 15), None, True),
        (None, date(2025, 3, 15), True),
        (date(2025, 3, 16), None, False),
        (None, date(2025, 3, 14), False),
    ],
    ids=["open-both-ends", "from-the-day", "to-the-day", "from-the-next-day", "to-the-day-before"],
)
def test_validity_at_the_decision_date(valid_from, valid_to, applies: bool) -> None:
    ref = reference(valid_from=valid_from, valid_to=valid_to)
    outcome = check([line(unit_price=120.0, decision_date=date(2025, 3, 15))], [ref])
    assert len(outcome.findings) == int(applies)
    assert outcome.not_applicable["no reference valid at the decision date"] == int(not applies)


def test_lines_without_an_applicable_reference_are_counted_by_reason() -> None:
    lines = [
        line(identity_key="ibuprofen|400mg|tablet"),
        line(standard_unit="box"),
        line(decision_date=date(2026, 2, 1)),
        line(standard_unit_price=None),
        line(unit_price=100.0),
    ]
    outcome = check(lines, [reference()])
    assert outcome.evaluated == 1 and outcome.findings == []
    assert outcome.not_applicable == {
        "no standardized price": 1,
        "no standard unit": 0,
        "no decision date": 0,
        "no reference for the identity": 1,
        "no reference in the same unit": 1,
        "no reference valid at the decision date": 1,
    }


def test_an_unnamed_source_is_called_a_reference_price() -> None:
    [finding] = check([line(unit_price=120.0)], [reference(price_source=None)]).findings
    assert "1.20x the reference price of 100 ₫" in finding.message_en
    assert finding.message_vi.endswith("giá tham chiếu 100 ₫ còn hiệu lực tại ngày quyết định.")


def test_no_reference_prices_loaded() -> None:
    outcome = run("PRC-04", line(unit_price=120.0))
    assert (outcome.evaluated, outcome.not_applicable["no reference for the identity"]) == (0, 1)
