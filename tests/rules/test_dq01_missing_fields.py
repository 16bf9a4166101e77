"""DQ-01: an award line missing a key field."""

from __future__ import annotations

import pytest

import rules.quality.dq01_missing_fields  # noqa: F401
from tests.rules.frames import context, line, run


def test_fires_naming_the_missing_fields_in_order() -> None:
    outcome = run(
        "DQ-01",
        line(supplier=None, supplier_id=None, country="  ", line_id=501),
        line(product_id=2),
    )
    assert (outcome.evaluated, len(outcome.findings), outcome.not_applicable) == (2, 1, {})
    finding = outcome.findings[0]
    assert finding.evidence["missing_fields"] == ["supplier", "country"]
    assert (finding.line_id, finding.buyer_id, finding.year) == (501, 1, 2025)
    assert (finding.observed, finding.test) == (2.0, "key field missing")
    assert finding.message_en == (
        "Row 10 of ket-qua.xlsx (Hapacol 500) is missing: supplier, country of manufacture."
    )
    assert finding.message_vi == (
        "Dòng 10 tệp ket-qua.xlsx (Hapacol 500) thiếu: nhà thầu trúng thầu, nước sản xuất."
    )


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({"registration_number": ""}, ["registration_number"]),
        ({"registration_number": None, "country": None}, ["registration_number", "country"]),
        ({"buyer": None}, ["buyer"]),
        ({"unit_price": float("nan"), "amount": 0.0}, ["unit_price"]),
        ({"unit_price": 0.0, "quantity": 0.0}, []),
        ({"country": "Việt Nam"}, []),
    ],
    ids=["blank-registration", "no-registration-no-country", "no-buyer", "no-price",
         "zero-price-and-quantity-are-not-missing", "complete-near-miss"],
)  # fmt: skip
def test_what_counts_as_missing(values: dict[str, object], missing: list[str]) -> None:
    outcome = run("DQ-01", line(**values))
    assert [f.evidence["missing_fields"] for f in outcome.findings] == (
        [missing] if missing else []
    )


def test_fields_parameter_limits_the_check() -> None:
    outcome = run("DQ-01", line(country=None, supplier=None, supplier_id=None), fields=["country"])
    assert [f.evidence["missing_fields"] for f in outcome.findings] == [["country"]]
    assert run("DQ-01", line(country=None), fields=["supplier"]).findings == []


def test_fields_from_yaml_become_a_tuple_and_unknown_fields_fail() -> None:
    assert context("DQ-01", fields=["supplier", "country"]).params.fields == ("supplier", "country")
    with pytest.raises(ValueError, match="unknown award-line field"):
        context("DQ-01", fields=["suplier"])


def test_a_line_without_a_decision_date_has_no_year() -> None:
    outcome = run("DQ-01", line(country=None, decision_date=None))
    assert [f.year for f in outcome.findings] == [None]


def test_a_line_without_a_supplier_keeps_a_stable_key() -> None:
    outcome = run("DQ-01", line(supplier=None, supplier_id=None))
    assert outcome.findings[0].subject_key == "line:1:1:-"
