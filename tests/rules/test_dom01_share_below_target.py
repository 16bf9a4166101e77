"""DOM-01: domestic share below the target, per buyer-, province- and nation-year."""

from __future__ import annotations

from typing import Any

import pytest

from procurement.domestic import counted_categories
from rules.domestic import dom01_share_below_target  # noqa: F401  (registers DOM-01)
from rules.engine.data import RuleData
from rules.engine.pack import load_pack
from rules.engine.registry import REGISTRY
from rules.engine.result import RuleOutcome
from tests.rules.frames import awards, context, line

TARGETS: dict[str, Any] = {"domestic_share": {"nation": {"value": 0.70, "quantity": 0.80}}}
CENTRAL = {"buyer_id": 2, "buyer": "Bệnh viện Bạch Mai", "buyer_level": "central",
           "province": "Hà Nội", "province_code": "ha-noi"}  # fmt: skip


def run(*rows: dict[str, Any], targets: dict[str, Any] | None = None, **params: Any) -> RuleOutcome:
    data = RuleData(awards=awards(*rows))
    ctx = context("DOM-01", TARGETS if targets is None else targets, **params)
    return REGISTRY["DOM-01"].function(data, ctx)


def _mix(domestic: tuple[float, float], imported: tuple[float, float], **where: Any) -> list:
    """Two lines of one buyer: (quantity, unit price) domestic and imported."""
    return [
        line(quantity=domestic[0], unit_price=domestic[1], **where),
        line(quantity=imported[0], unit_price=imported[1], origin="imported", product_id=2,
             **where),
    ]  # fmt: skip


def test_value_share_below_target_fires_for_buyer_province_and_nation() -> None:
    outcome = run(*_mix((90, 2), (10, 12)))  # value 180 of 300, quantity 90 of 100
    assert outcome.evaluated == 3
    assert [f.subject_key for f in outcome.findings] == [
        "buyer_year:1:2025", "province_year:nghe-an:2025", "nation_year:2025",
    ]  # fmt: skip
    buyer = outcome.findings[0]
    assert (buyer.subject_type, buyer.buyer_id, buyer.year) == ("buyer_year", 1, 2025)
    assert (buyer.observed, buyer.benchmark, buyer.test) == (0.6, 0.7, "value share < target")
    evidence = buyer.evidence
    assert (evidence["value_share"], evidence["value_target"]) == (0.6, 0.7)
    assert (evidence["quantity_share"], evidence["quantity_target"]) == (0.9, 0.8)
    assert (evidence["domestic_value"], evidence["total_value"]) == (180, 300)
    assert (evidence["domestic_quantity"], evidence["total_quantity"]) == (90, 100)
    assert (evidence["short_of"], evidence["level"], evidence["lines"]) == (
        ["value"], "provincial", 2,
    )  # fmt: skip
    assert "value 60.0% against a target of 70%" in buyer.message_en
    assert "theo giá trị 60,0%, mục tiêu 70,0%" in buyer.message_vi
    assert outcome.findings[2].buyer_id is None


def test_both_measures_short() -> None:
    outcome = run(*_mix((50, 1), (50, 1)))
    finding = outcome.findings[0]
    assert finding.evidence["short_of"] == ["value", "quantity"]
    assert finding.test == "value and quantity share < target"


@pytest.mark.parametrize(
    ("imported_price", "fires"),
    [(12, False), (13, True)],
    ids=["exactly-70pct-value-80pct-quantity", "one-dong-dearer-import"],
)
def test_near_miss_at_the_target(imported_price: float, fires: bool) -> None:
    # 80 domestic units at 7 (560) and 20 imported at 12 (240): 70% of value, 80% of quantity
    outcome = run(*_mix((80, 7), (20, imported_price)))
    assert outcome.evaluated == 3
    assert bool(outcome.findings) is fires


def test_a_buyer_is_held_to_its_levels_target_falling_back_to_the_nation() -> None:
    targets = {"domestic_share": {"nation": {"value": 0.7, "quantity": 0.8},
                                  "levels": {"central": {"value": 0.9}}}}  # fmt: skip
    central = _mix((80, 8), (20, 8), **CENTRAL)  # 80% value, 80% quantity
    provincial = _mix((80, 8), (20, 8))
    outcome = run(*central, *provincial, targets=targets)
    assert [f.subject_key for f in outcome.findings] == ["buyer_year:2:2025"]
    evidence = outcome.findings[0].evidence
    assert (evidence["value_target"], evidence["quantity_target"]) == (0.9, 0.8)
    assert evidence["short_of"] == ["value"]


def test_unknown_origin_is_not_counted_against_the_buyer() -> None:
    rows = [*_mix((80, 7), (20, 12)), line(quantity=1000, unit_price=1000, origin="unknown",
                                           product_id=3)]  # fmt: skip
    outcome = run(*rows)
    assert (outcome.evaluated, outcome.findings) == (3, [])


def test_only_unknown_origin_is_not_applicable() -> None:
    outcome = run(line(origin="unknown"))
    assert outcome.evaluated == 0
    assert dict(+outcome.not_applicable) == {"no line of known origin": 3}


def test_min_value_leaves_small_buyer_years_out_but_not_provinces() -> None:
    outcome = run(*_mix((50, 1), (50, 1)), min_value=101.0)
    assert outcome.evaluated == 2
    assert dict(+outcome.not_applicable) == {"buyer-year below min_value": 1}
    assert [f.subject_type for f in outcome.findings] == ["province_year", "nation_year"]


def test_measures_parameter_checks_value_only() -> None:
    rows = _mix((70, 1), (30, 1))  # 70% value, 70% quantity: short on quantity only
    assert len(run(*rows).findings) == 3
    assert run(*rows, measures=["value"]).findings == []


def test_no_target_set_is_not_applicable() -> None:
    outcome = run(*_mix((50, 1), (50, 1)), targets={})
    assert (outcome.evaluated, dict(+outcome.not_applicable)) == (0, {"no target set": 3})


def test_quantity_only_without_base_units_is_not_applicable() -> None:
    rows = [line(standard_unit=None, standard_unit_price=None)]
    outcome = run(*rows, measures=["quantity"])
    assert dict(+outcome.not_applicable) == {"no quantity in base units": 3}


def test_unknown_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="measures must name value and/or quantity"):
        context("DOM-01", TARGETS, measures=["price"])


def test_a_misspelt_level_in_the_targets_stops_the_rule() -> None:
    targets = {"domestic_share": {"levels": {"centrl": {"value": 0.3}}}}
    with pytest.raises(ValueError, match="unknown key 'centrl'"):
        run(line(), targets=targets)


VACCINE = {"product_id": 3, "product_name": "Quinvaxem", "registration_number": "QLVX-1234-20",
           "active_ingredients": "Vắc xin 5 trong 1 (DTP-VGB-Hib)", "origin": "imported",
           "country": "Hàn Quốc", "standard_unit": "dose"}  # fmt: skip


def _with_categories(*categories: str) -> dict[str, Any]:
    return {"domestic_share": {**TARGETS["domestic_share"], "categories": list(categories)}}


def test_vaccines_are_left_out_by_default() -> None:
    # medicines exactly on target (70% of value, 80% of quantity); an imported vaccine would
    # pull the value share to 560 of 1,000
    rows = [*_mix((80, 7), (20, 12)), line(quantity=10, unit_price=20, **VACCINE)]
    outcome = run(*rows)
    assert (outcome.evaluated, outcome.findings) == (3, [])


def test_vaccines_count_when_the_pack_says_so() -> None:
    rows = [*_mix((80, 7), (20, 12)), line(quantity=10, unit_price=20, **VACCINE)]
    outcome = run(*rows, targets=_with_categories("medicine", "vaccine"))
    assert [f.subject_key for f in outcome.findings] == [
        "buyer_year:1:2025", "province_year:nghe-an:2025", "nation_year:2025",
    ]  # fmt: skip
    evidence = outcome.findings[0].evidence
    assert (evidence["domestic_value"], evidence["total_value"], evidence["value_share"]) == (
        560, 1000, 0.56,
    )  # fmt: skip
    assert (evidence["domestic_quantity"], evidence["total_quantity"]) == (80, 110)
    assert (evidence["categories"], evidence["excluded_lines"], evidence["lines"]) == (
        ["medicine", "vaccine"], 0, 3,
    )  # fmt: skip
    assert outcome.findings[0].message_en == (
        "Bệnh viện Đa khoa tỉnh Nghệ An bought domestic products below target in 2025 "
        "(medicines and vaccines): value 56.0% against a target of 70%; quantity 72.7% against "
        "a target of 80%."
    )


def test_a_finding_names_what_it_counted_and_what_it_left_out() -> None:
    rows = [*_mix((90, 2), (10, 12)), line(quantity=10, unit_price=20, **VACCINE)]
    finding = run(*rows).findings[0]
    evidence = finding.evidence
    assert (evidence["domestic_value"], evidence["total_value"], evidence["value_share"]) == (
        180, 300, 0.6,
    )  # fmt: skip
    assert (evidence["categories"], evidence["excluded_lines"], evidence["excluded_value"]) == (
        ["medicine"], 1, 200,
    )  # fmt: skip
    assert evidence["lines"] == 2
    assert finding.message_en == (
        "Bệnh viện Đa khoa tỉnh Nghệ An bought domestic products below target in 2025 "
        "(medicines only, vaccines left out): value 60.0% against a target of 70%."
    )
    assert finding.message_vi == (
        "Tỷ lệ thuốc sản xuất trong nước của Bệnh viện Đa khoa tỉnh Nghệ An năm 2025 (chỉ tính "
        "thuốc, không tính vắc xin) chưa đạt mục tiêu: theo giá trị 60,0%, mục tiêu 70,0%."
    )


def test_a_buyer_buying_only_vaccines_has_no_line_of_a_counted_category() -> None:
    rows = [*_mix((80, 7), (20, 12)), line(quantity=10, unit_price=20, **CENTRAL, **VACCINE)]
    outcome = run(*rows)
    assert outcome.findings == []
    assert outcome.evaluated == 3  # buyer 1, Nghệ An and the nation
    assert dict(+outcome.not_applicable) == {"no line of a counted category": 2}  # buyer 2, Hà Nội


def test_an_unknown_category_in_the_targets_stops_the_rule() -> None:
    with pytest.raises(ValueError, match="unknown category 'vacine'"):
        run(line(), targets=_with_categories("vacine"))


def test_the_default_pack_counts_medicines_only() -> None:
    assert counted_categories(load_pack().targets) == ("medicine",)
