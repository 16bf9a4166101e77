"""Domestic shares per buyer, province, level and nation, and the targets they are held to."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from procurement.domestic import (
    check_targets,
    counted_categories,
    domestic_shares,
    product_category,
    short_of,
    targets_for,
)
from tests.rules.frames import awards, line

TARGETS = {
    "domestic_share": {
        "nation": {"value": 0.70, "quantity": 0.80},
        "levels": {"central": {"value": 0.30}, "district": {"value": 0.9, "quantity": 0.95}},
    }
}


def _one(frame, by: str = "buyer") -> dict:
    rows = domestic_shares(frame, by).to_dict("records")
    assert len(rows) == 1
    return rows[0]


def test_unknown_origin_is_left_out_of_both_shares_and_reported() -> None:
    row = _one(awards(
        line(quantity=7, unit_price=10),
        line(quantity=3, unit_price=10, origin="imported", product_id=2),
        line(quantity=5, unit_price=100, origin="unknown", product_id=3),
    ))  # fmt: skip
    assert (row["domestic_value"], row["total_value"], row["value_share"]) == (70, 100, 0.7)
    assert (row["domestic_quantity"], row["total_quantity"], row["quantity_share"]) == (7, 10, 0.7)
    assert (row["unknown_value"], row["unknown_lines"], row["lines"]) == (500, 1, 3)


def test_quantity_counts_base_units_and_skips_lines_without_one() -> None:
    row = _one(awards(
        line(unit="Hộp", quantity=2, unit_price=1000, standard_unit_price=10),  # 200 tablets
        line(quantity=50, unit_price=20, origin="imported", product_id=2),
        line(quantity=9, unit_price=10, origin="imported", standard_unit=None,
             standard_unit_price=None, product_id=3),
    ))  # fmt: skip
    assert (row["domestic_quantity"], row["total_quantity"], row["quantity_share"]) == (
        200, 250, 0.8,
    )  # fmt: skip
    assert (row["domestic_value"], row["total_value"], row["unmeasured_lines"]) == (2000, 3090, 1)


def test_amount_wins_over_quantity_times_price() -> None:
    row = _one(awards(line(quantity=10, unit_price=10, amount=150)))
    assert row["total_value"] == 150


def test_rows_per_buyer_province_level_and_nation_per_year() -> None:
    frame = awards(
        line(buyer_id=1, amount=60),
        line(buyer_id=1, amount=40, origin="imported", product_id=2),
        line(buyer_id=1, amount=10, decision_date=date(2024, 5, 1)),
        line(buyer_id=2, buyer="Trung tâm Y tế huyện Quỳnh Lưu", buyer_level="district",
             amount=100, origin="imported"),
        line(buyer_id=3, buyer="Bệnh viện Bạch Mai", buyer_level="central", province="Hà Nội",
             province_code="ha-noi", amount=50),
    )  # fmt: skip
    by_buyer = domestic_shares(frame, "buyer")
    assert list(zip(by_buyer["key"], by_buyer["year"], by_buyer["value_share"], strict=True)) == [
        (1, 2024, 1.0), (1, 2025, 0.6), (2, 2025, 0.0), (3, 2025, 1.0),
    ]  # fmt: skip
    assert list(by_buyer["level"]) == ["provincial", "provincial", "district", "central"]
    by_province = domestic_shares(frame, "province").set_index(["key", "year"])
    assert by_province.loc[("nghe-an", 2025), "value_share"] == 0.3  # 60 of 200
    assert by_province.loc[("ha-noi", 2025), "name"] == "Hà Nội"
    by_level = domestic_shares(frame, "level").set_index(["key", "year"])
    assert by_level.loc[("district", 2025), "total_value"] == 100
    nation = domestic_shares(frame, "nation")
    assert list(zip(nation["year"], nation["value_share"], strict=True)) == [
        (2024, 1.0),
        (2025, 0.44),
    ]
    assert nation["level"].tolist() == [None, None]


def test_a_line_without_province_counts_for_the_nation_only() -> None:
    frame = awards(
        line(amount=10),
        line(province=None, province_code=None, amount=30, origin="imported", buyer_id=2),
    )
    assert domestic_shares(frame, "province")["total_value"].tolist() == [10]
    assert domestic_shares(frame, "nation")["total_value"].tolist() == [40]


def test_only_unknown_origin_gives_no_share() -> None:
    row = _one(awards(line(origin="unknown")))
    assert row["value_share"] != row["value_share"]  # NaN: no line of known origin
    assert row["total_value"] == 0


def test_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scope 'supplier'"):
        domestic_shares(awards(line()), "supplier")


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (None, (0.7, 0.8)),
        ("provincial", (0.7, 0.8)),
        ("central", (0.3, 0.8)),
        ("district", (0.9, 0.95)),
    ],
    ids=["nation", "level-without-override", "central-value-only", "district-both"],
)
def test_targets_per_level_fall_back_to_the_nation(level: str | None, expected: tuple) -> None:
    assert targets_for(TARGETS, level) == expected


def test_no_targets_configured() -> None:
    assert targets_for({}, "central") == (None, None)


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"domestic_share": {"nation": {"value": 70}}}, "nation.value must be a share"),
        (
            {"domestic_share": {"levels": {"central": {"quantity": "x"}}}},
            "levels.central.quantity must be a share",
        ),
        ({"domestic_share": {"nation": [0.7]}}, "nation must be a mapping"),
    ],
    ids=["percent-not-share", "text", "list"],
)
def test_bad_targets_are_refused_naming_the_key(targets: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        targets_for(targets, "central")


@pytest.mark.parametrize(
    ("targets", "message"),
    [({"domestic_share": {"levels": {"centrl": {"value": 0.3}}}},
      "levels: unknown key 'centrl' (known: central, provincial, district, unknown)"),
     ({"domestic_share": {"nation": {"valeu": 0.7}}}, "nation: unknown key 'valeu'"),
     ({"domestic_share": {"nation": {"value": 0.7}, "level": {}}},
      "targets.domestic_share: unknown key 'level'"),
     ({"domestic_share": {"levels": {"district": {"value": 1.5}}}},
      "levels.district.value must be a share"),
     ({"domestic_share": {"categories": ["medicine", "vacine"]}},
      "targets.domestic_share.categories: unknown category 'vacine' (known: medicine, vaccine)"),
     ({"domestic_share": {"categories": "medicine"}},
      "targets.domestic_share.categories must be a non-empty list of categories (medicine, "
      "vaccine), got 'medicine'"),
     ({"domestic_share": {"categories": []}},
      "targets.domestic_share.categories must be a non-empty list")],
    ids=["unknown-level", "unknown-measure", "unknown-key", "level-not-a-share",
         "unknown-category", "category-not-a-list", "no-category"],
)  # fmt: skip
def test_check_targets_refuses_what_it_does_not_know(targets: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        check_targets(targets)


def test_check_targets_accepts_the_default_and_other_families_targets() -> None:
    check_targets({**TARGETS, "stock": {"months": 6}})
    check_targets({})


def test_short_of_compares_only_shares_with_a_target() -> None:
    row = {"value_share": 0.69, "quantity_share": float("nan")}
    assert short_of(row, 0.7, 0.8) == (["value"], ["value"])
    assert short_of(row, None, 0.8) == ([], [])
    assert short_of({"value_share": 0.7, "quantity_share": 0.8}, 0.7, 0.8) == (
        ["value", "quantity"], [],
    )  # fmt: skip


VACCINE = {"product_name": "Quinvaxem", "active_ingredients": "Vắc xin 5 trong 1",
           "registration_number": "QLVX-1234-20", "origin": "imported",
           "product_id": 9}  # fmt: skip


def test_counted_categories_default_to_medicine_and_follow_the_targets() -> None:
    assert counted_categories({}) == ("medicine",)
    assert counted_categories(TARGETS) == ("medicine",)
    both = {"domestic_share": {"categories": ["vaccine", "medicine", "vaccine"]}}
    assert counted_categories(both) == ("medicine", "vaccine")


def test_lines_of_categories_not_counted_are_left_out_and_reported() -> None:
    frame = awards(
        line(quantity=7, unit_price=10),
        line(quantity=3, unit_price=10, origin="imported", product_id=2),
        line(quantity=40, unit_price=10, **VACCINE),
        line(quantity=5, unit_price=100, origin="unknown", product_id=3, **{
            k: v for k, v in VACCINE.items() if k not in ("origin", "product_id")}),
    )  # fmt: skip
    row = _one(frame)
    assert (row["domestic_value"], row["total_value"], row["value_share"]) == (70, 100, 0.7)
    assert (row["domestic_quantity"], row["total_quantity"]) == (7, 10)
    assert (row["lines"], row["unknown_lines"], row["unknown_value"]) == (2, 0, 0)
    assert (row["excluded_lines"], row["excluded_value"]) == (2, 900)
    both = domestic_shares(frame, "buyer", ("medicine", "vaccine")).to_dict("records")[0]
    assert (both["domestic_value"], both["total_value"], both["value_share"]) == (70, 500, 0.14)
    assert (both["lines"], both["unknown_lines"], both["unknown_value"]) == (4, 1, 500)
    assert (both["excluded_lines"], both["excluded_value"]) == (0, 0)


def test_a_subject_with_no_counted_line_keeps_its_row_with_nothing_counted() -> None:
    row = _one(awards(line(quantity=40, unit_price=10, **VACCINE)))
    assert (row["lines"], row["total_value"], row["excluded_lines"]) == (0, 0, 1)
    assert row["value_share"] != row["value_share"]  # NaN


def test_vaccines_are_told_by_name_ingredient_or_qlvx_number() -> None:
    frame = pd.DataFrame({
        "product_name": ["Quinvaxem", "Hapacol", None, "Engerix-B", "MMR II"],
        "active_ingredients": ["Vắc xin 5 trong 1", "Paracetamol", "Vac xin BCG", None,
                               "Measles vaccine"],
        "registration_number": [None, "VD-1-19", "QLSP-9-20", "qlvx-77-21", None],
    })  # fmt: skip
    assert product_category(frame).tolist() == [
        "vaccine", "medicine", "vaccine", "vaccine", "vaccine",
    ]  # fmt: skip
