"""CMP-03: one supplier holds most of a buyer's award value in a year."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

import rules.competition.cmp03_supplier_dominance  # noqa: F401
from tests.rules.frames import line, run

_PRODUCTS = itertools.count(1)


def lines(
    *amounts: tuple[int | None, float], buyer_id: int = 1, year: int = 2025, **values: Any
) -> list[dict[str, Any]]:
    """Return one line per (supplier id, amount); supplier None leaves the line unattributed."""
    return [
        line(supplier_id=supplier, supplier=None if supplier is None else f"NCC {supplier}",
             product_id=next(_PRODUCTS), buyer_id=buyer_id, buyer=f"Bệnh viện {buyer_id}",
             decision_date=date(year, 6, 1), quantity=1.0, unit_price=amount, **values)
        for supplier, amount in amounts
    ]  # fmt: skip


def test_fires_with_the_supplier_runner_up_and_unattributed_value() -> None:
    rows = lines(*[(1, 100.0)] * 6, *[(2, 100.0)] * 3, (3, 100.0), (None, 50.0), (None, 50.0))
    outcome = run("CMP-03", *rows)
    assert (outcome.evaluated, len(outcome.findings)) == (1, 1)
    finding = outcome.findings[0]
    assert finding.evidence == {
        "buyer": "Bệnh viện 1", "year": 2025, "supplier": "NCC 1", "supplier_value": 600.0,
        "buyer_value": 1000.0, "share": 0.6, "runner_up": "NCC 2", "runner_up_share": 0.3,
        "supplier_count": 3, "line_count": 10, "unattributed_value": 100.0, "currency": "VND",
    }  # fmt: skip
    assert (finding.subject_type, finding.subject_key) == ("buyer_year", "buyer_year:1:2025")
    assert (finding.buyer_id, finding.year, finding.line_id) == (1, 2025, None)
    assert (finding.observed, finding.benchmark) == (0.6, 0.5)
    assert finding.message_en == (
        "NCC 1 won 60.0% of Bệnh viện 1's award value in 2025 (600 ₫ of 1.000 ₫, 3 suppliers)."
    )
    assert finding.message_vi == (
        "Năm 2025, NCC 1 chiếm 60,0% giá trị trúng thầu của Bệnh viện 1 (600 ₫ trên tổng "
        "1.000 ₫, 3 nhà thầu)."
    )


@pytest.mark.parametrize(
    ("amounts", "share", "fires"),
    [
        ([(1, 100.0)] * 5 + [(2, 100.0)] * 5, 0.5, True),
        ([(1, 100.0)] * 4 + [(2, 100.0)] * 3 + [(3, 100.0)] * 3, 0.5, False),
        ([(1, 99.0)] * 5 + [(2, 101.0)] * 5, 0.51, False),
        ([(1, 100.0)] * 7 + [(2, 100.0)] * 3, 0.7, True),
    ],
    ids=["half-exactly-fires", "forty-pct-near-miss", "50.5pct-under-share-0.51",
         "share-0.7-exactly"],
)  # fmt: skip
def test_threshold(amounts: list[tuple[int, float]], share: float, fires: bool) -> None:
    outcome = run("CMP-03", *lines(*amounts), share=share)
    assert outcome.evaluated == 1
    assert bool(outcome.findings) is fires


def test_a_tie_at_half_names_the_lower_supplier_id_first() -> None:
    rows = lines(*[(2, 100.0)] * 5, *[(1, 100.0)] * 5)
    evidence = run("CMP-03", *rows).findings[0].evidence
    assert (evidence["supplier"], evidence["share"]) == ("NCC 1", 0.5)
    assert (evidence["runner_up"], evidence["runner_up_share"]) == ("NCC 2", 0.5)


def test_a_single_supplier_is_the_extreme_case_and_unattributed_value_is_not_shared() -> None:
    outcome = run("CMP-03", *lines(*[(1, 100.0)] * 10, (None, 3000.0)))
    evidence = outcome.findings[0].evidence
    assert (evidence["share"], evidence["supplier_count"]) == (1.0, 1)
    assert (evidence["runner_up"], evidence["runner_up_share"]) == (None, 0.0)
    assert (evidence["buyer_value"], evidence["unattributed_value"]) == (1000.0, 3000.0)
    assert "(1.000 ₫ of 1.000 ₫, 1 supplier)." in outcome.findings[0].message_en


def test_too_few_lines_counts_only_lines_naming_a_supplier() -> None:
    outcome = run("CMP-03", *lines(*[(1, 100.0)] * 9, *[(None, 100.0)] * 5))
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable == {"too few lines": 1}
    assert len(run("CMP-03", *lines(*[(1, 100.0)] * 9), min_lines=9).findings) == 1


def test_each_buyer_year_is_its_own_subject() -> None:
    rows = [
        *lines(*[(1, 100.0)] * 10, buyer_id=1, year=2024),
        *lines(*[(1, 100.0)] * 4, *[(2, 100.0)] * 3, *[(3, 100.0)] * 3, buyer_id=1, year=2025),
        *lines(*[(1, 100.0)] * 3, buyer_id=2, year=2025),
    ]
    outcome = run("CMP-03", *rows)
    assert [f.subject_key for f in outcome.findings] == ["buyer_year:1:2024"]
    assert outcome.evaluated == 2
    assert outcome.not_applicable == {"too few lines": 1}


@pytest.mark.parametrize(("min_value", "fires"), [(1000.0, True), (1000.01, False)],
                         ids=["min-value-exactly-met", "min-value-not-met"])  # fmt: skip
def test_min_value(min_value: float, fires: bool) -> None:
    outcome = run("CMP-03", *lines(*[(1, 100.0)] * 10, (None, 5000.0)), min_value=min_value)
    assert bool(outcome.findings) is fires
    assert outcome.not_applicable == ({} if fires else {"value below minimum": 1})


def test_undated_lines_and_mixed_currencies_are_not_applicable() -> None:
    rows = [
        *lines(*[(1, 100.0)] * 9, buyer_id=1),
        *lines((1, 100.0), buyer_id=1, currency="USD"),
        *lines(*[(1, 100.0)] * 10, buyer_id=2),
    ]
    rows[-1]["decision_date"] = None
    outcome = run("CMP-03", *rows)
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable == {
        "lines without a decision date": 1,
        "mixed currencies": 1,
        "too few lines": 1,
    }


def test_no_value_with_a_named_supplier_is_not_applicable() -> None:
    outcome = run("CMP-03", *lines(*[(1, 0.0)] * 10))
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable == {"no value with a named supplier": 1}
