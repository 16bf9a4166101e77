"""CMP-04: a large share of a buyer's yearly value bought without competition."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from rules.competition.cmp04_non_competitive_share import NonCompetitiveShareParams
from rules.engine.pack import load_pack
from tests.rules.frames import line, run

_PRODUCTS = itertools.count(1)


def lines(
    *amounts: tuple[str | None, float], buyer_id: int = 1, year: int = 2025, **values: Any
) -> list[dict[str, Any]]:
    """Return one line per (procedure, amount); procedure None states none."""
    return [
        line(procedure=procedure, product_id=next(_PRODUCTS), buyer_id=buyer_id,
             buyer=f"Bệnh viện {buyer_id}", decision_date=date(year, 6, 1), quantity=1.0,
             unit_price=amount, **values)
        for procedure, amount in amounts
    ]  # fmt: skip


def test_fires_at_the_threshold_with_value_by_procedure() -> None:
    rows = lines(
        ("direct_appointment", 200.0), ("direct_procurement", 100.0), ("open_bidding", 300.0),
        ("open_bidding", 200.0), ("price_negotiation", 200.0), (None, 400.0),
    )  # fmt: skip
    outcome = run("CMP-04", *rows, min_lines=5)
    assert (outcome.evaluated, len(outcome.findings)) == (1, 1)
    finding = outcome.findings[0]
    assert finding.evidence == {
        "buyer": "Bệnh viện 1", "year": 2025,
        "value_by_procedure": {"direct_appointment": 200.0, "direct_procurement": 100.0,
                               "open_bidding": 500.0, "price_negotiation": 200.0},
        "non_competitive_value": 300.0, "stated_value": 1000.0, "stated_lines": 5, "share": 0.3,
        "unknown_procedure_value": 400.0, "unknown_procedure_lines": 1, "currency": "VND",
    }  # fmt: skip
    assert (finding.subject_type, finding.subject_key) == ("buyer_year", "buyer_year:1:2025")
    assert (finding.buyer_id, finding.year, finding.line_id) == (1, 2025, None)
    assert (finding.observed, finding.benchmark) == (0.3, 0.3)
    assert finding.message_en == (
        "30.0% of Bệnh viện 1's 2025 award value went by direct appointment or direct "
        "procurement (300 ₫ of 1.000 ₫ with a stated procedure)."
    )
    assert finding.message_vi == (
        "Năm 2025, 30,0% giá trị trúng thầu của Bệnh viện 1 theo hình thức chỉ định thầu hoặc "
        "mua sắm trực tiếp (300 ₫ trên tổng 1.000 ₫ có hình thức lựa chọn nhà thầu)."
    )


@pytest.mark.parametrize(
    ("direct", "other", "share", "fires"),
    [(299.0, 701.0, 0.3, False), (300.0, 700.0, 0.3, True), (499.0, 501.0, 0.5, False),
     (500.0, 500.0, 0.5, True)],
    ids=["29.9pct-near-miss", "30pct-exactly", "share-0.5-near-miss", "share-0.5-exactly"],
)  # fmt: skip
def test_threshold(direct: float, other: float, share: float, fires: bool) -> None:
    rows = lines(("direct_appointment", direct), ("open_bidding", other))
    outcome = run("CMP-04", *rows, share=share, min_lines=2)
    assert outcome.evaluated == 1
    assert bool(outcome.findings) is fires


def test_lines_without_a_procedure_are_left_out_of_the_share() -> None:
    rows = lines(("direct_procurement", 300.0), ("open_bidding", 700.0), (None, 5000.0))
    evidence = run("CMP-04", *rows, min_lines=2).findings[0].evidence
    assert (evidence["share"], evidence["unknown_procedure_value"]) == (0.3, 5000.0)


def test_negotiation_centralized_and_other_are_not_direct() -> None:
    rows = lines(("price_negotiation", 400.0), ("centralized", 400.0), ("other", 200.0))
    outcome = run("CMP-04", *rows, min_lines=3)
    assert (outcome.findings, outcome.evaluated) == ([], 1)


def test_a_buyer_year_stating_no_procedure_is_not_applicable() -> None:
    rows = [
        *lines((None, 100.0), (None, 200.0), buyer_id=1),
        *lines(("direct_appointment", 100.0), buyer_id=2, year=2024),
        *lines(("direct_appointment", 100.0), buyer_id=2),
    ]
    rows[-1]["decision_date"] = None
    outcome = run("CMP-04", *rows, min_lines=1)
    assert [f.subject_key for f in outcome.findings] == ["buyer_year:2:2024"]
    assert outcome.evaluated == 1
    assert outcome.not_applicable == {
        "no procedure stated": 1,
        "lines without a decision date": 1,
    }


def test_zero_value_and_mixed_currencies_are_not_applicable() -> None:
    rows = [
        *lines(("direct_appointment", 0.0), (None, 100.0), buyer_id=1),
        *lines(("direct_appointment", 100.0), ("open_bidding", 100.0), buyer_id=2),
    ]
    rows[-1]["currency"] = "USD"
    outcome = run("CMP-04", *rows, min_lines=1)
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable == {
        "no value with a stated procedure": 1,
        "mixed currencies": 1,
    }


def test_a_single_direct_appointment_line_is_too_few_lines_not_100_percent() -> None:
    outcome = run("CMP-04", *lines(("direct_appointment", 5_000_000.0)))
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable == {"too few lines": 1}


@pytest.mark.parametrize(
    ("unknown", "fires"), [(0, True), (1, False)],
    ids=["ten-stated-lines-fire", "nine-stated-plus-one-unstated-near-miss"],
)  # fmt: skip
def test_min_lines_counts_lines_stating_a_procedure(unknown: int, fires: bool) -> None:
    stated = 10 - unknown
    amounts = [("direct_appointment", 100.0)] * 3 + [("open_bidding", 100.0)] * (stated - 3)
    outcome = run("CMP-04", *lines(*amounts, *[(None, 100.0)] * unknown))
    assert bool(outcome.findings) is fires
    if fires:
        evidence = outcome.findings[0].evidence
        assert (evidence["stated_lines"], evidence["share"]) == (10, 0.3)
        assert (evidence["non_competitive_value"], evidence["stated_value"]) == (300.0, 1000.0)
    else:
        assert (outcome.evaluated, outcome.not_applicable) == (0, {"too few lines": 1})


@pytest.mark.parametrize(("min_value", "fires"), [(1000.0, True), (1000.01, False)],
                         ids=["min-value-exactly-met", "min-value-not-met"])  # fmt: skip
def test_min_value_counts_value_stating_a_procedure(min_value: float, fires: bool) -> None:
    amounts = [("direct_appointment", 100.0)] * 4 + [("open_bidding", 100.0)] * 6
    outcome = run("CMP-04", *lines(*amounts, (None, 9000.0)), min_value=min_value)
    assert bool(outcome.findings) is fires
    assert outcome.not_applicable == ({} if fires else {"value below minimum": 1})
    if fires:
        assert outcome.findings[0].evidence["stated_value"] == 1000.0


def test_the_default_pack_sets_the_size_floor() -> None:
    params = load_pack().rules["CMP-04"].params
    assert params == NonCompetitiveShareParams(share=0.3, min_lines=10, min_value=0.0)
