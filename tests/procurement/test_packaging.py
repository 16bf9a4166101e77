"""Packaging counts and the standardized unit price."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.packaging import (
    BASE_UNITS,
    PACK_UNITS,
    PER_PACK,
    PER_UNIT,
    UNKNOWN_UNIT,
    base_unit_of,
    doses_per_pack,
    standard_unit_price,
    unit_kind,
    units_per,
    units_per_pack,
)
from procurement.textkey import fold_key


@pytest.mark.parametrize(
    ("packaging", "count", "base"),
    [
        pytest.param("Hộp 10 vỉ x 10 viên", 100, "tablet", id="box-blisters-tablets"),
        pytest.param("Hộp 3 vỉ x 10 viên nén", 30, "tablet", id="vien-nen"),
        pytest.param("Hộp 2 vỉ x 14 viên", 28, "tablet", id="two-blisters"),
        pytest.param("Hộp 10 vỉ x 10 viên nang cứng", 100, "capsule", id="capsules"),
        pytest.param("Hộp 1 lọ", 1, "vial", id="one-vial"),
        pytest.param("Hộp 10 ống x 5ml", 10, "ampoule", id="ml-is-content"),
        pytest.param("Chai 100 viên", 100, "tablet", id="bottle-of-tablets"),
        pytest.param("Hộp 1 chai 60ml", 1, "bottle", id="bottle-of-syrup"),
        pytest.param("Hộp 1 lọ 30 viên", 30, "tablet", id="innermost-piece"),
        pytest.param("Box of 10 blisters x 10 tablets", 100, "tablet", id="english"),
        pytest.param("hộp 50 gói x 1,5g", 50, "sachet", id="sachets-decimal-content"),
        pytest.param("Lọ 1 liều", 1, "vial", id="vial-one-dose"),
        pytest.param("Hộp 10 lọ x 10 liều", 10, "vial", id="vials-of-doses"),
        pytest.param("Hộp 1 liều", 1, "dose", id="dose-only"),
        pytest.param("H/10v/10v", 100, "tablet", id="abbreviated"),
        pytest.param("H/10 vỉ/10 viên", 100, "tablet", id="slashes"),
        pytest.param("Hộp 10 x 10 viên", 100, "tablet", id="unnamed-count"),
        pytest.param("Thùng 50 hộp x 10 vỉ x 10 viên", 5000, "tablet", id="carton"),
        pytest.param("Hộp 1 lọ bột + 1 ống dung môi 5ml", 1, "vial", id="solvent-ignored"),
        pytest.param("Hộp 10 vỉ x 10 viên; Chai 500 viên", 100, "tablet", id="first-alternative"),
        pytest.param("Tuýp 15g", 1, "tube", id="tube"),
        pytest.param("Hộp 1 bơm tiêm đóng sẵn 0,5ml", 1, "syringe", id="prefilled-syringe"),
        pytest.param("Túi 500ml", 1, "bag", id="infusion-bag"),
        pytest.param("Hộp 5 miếng dán", 5, "patch", id="patches"),
        pytest.param("Hộp", None, None, id="no-count"),
        pytest.param("abc", None, None, id="unparseable"),
        pytest.param("", None, None, id="empty"),
        pytest.param(None, None, None, id="none"),
    ],
)
def test_units_per_pack(packaging: str | None, count: int | None, base: str | None) -> None:
    assert units_per_pack(packaging) == count
    assert base_unit_of(packaging) == base


@pytest.mark.parametrize(
    ("packaging", "doses"),
    [
        pytest.param("Hộp 10 lọ x 10 liều", 100, id="ten-vials-of-ten"),
        pytest.param("Lọ 1 liều", 1, id="single-dose-vial"),
        pytest.param("Lọ 10 liều", 10, id="multi-dose-vial"),
        pytest.param("Hộp 10 vỉ x 10 viên", None, id="no-doses"),
    ],
)
def test_doses_per_pack(packaging: str, doses: int | None) -> None:
    assert doses_per_pack(packaging) == doses


@pytest.mark.parametrize(
    ("pack", "packaging", "count"),
    [
        pytest.param("box", "Hộp 10 vỉ x 10 viên", 100, id="box"),
        pytest.param("blister", "Hộp 10 vỉ x 10 viên", 10, id="blister"),
        pytest.param("box", "Thùng 50 hộp x 10 vỉ x 10 viên", 100, id="box-inside-carton"),
        pytest.param("carton", "Thùng 50 hộp x 10 vỉ x 10 viên", 5000, id="carton"),
        pytest.param("box", "10 vỉ x 10 viên", 100, id="box-implied"),
        pytest.param("blister", "Chai 100 viên", None, id="blister-absent"),
        pytest.param("carton", "Hộp 10 vỉ x 10 viên", None, id="carton-absent"),
    ],
)
def test_units_per(pack: str, packaging: str, count: int | None) -> None:
    assert units_per(pack, packaging) == count


@pytest.mark.parametrize(
    ("price", "unit", "packaging", "expected"),
    [
        pytest.param(1500.0, "Viên", "Hộp 10 vỉ x 10 viên", (1500.0, "tablet", PER_UNIT), id="tab"),
        pytest.param(2000.0, "viên nang", None, (2000.0, "capsule", PER_UNIT), id="capsule"),
        pytest.param(9000.0, "Ống", "Hộp 10 ống x 5ml", (9000.0, "ampoule", PER_UNIT), id="amp"),
        pytest.param(50000.0, "Lọ", None, (50000.0, "vial", PER_UNIT), id="vial"),
        pytest.param(30000.0, "Chai", None, (30000.0, "bottle", PER_UNIT), id="bottle"),
        pytest.param(25000.0, "Tuýp", None, (25000.0, "tube", PER_UNIT), id="tube"),
        pytest.param(3000.0, "Gói", None, (3000.0, "sachet", PER_UNIT), id="sachet"),
        pytest.param(120000.0, "Liều", None, (120000.0, "dose", PER_UNIT), id="dose"),
        pytest.param(
            150000.0, "Hộp", "Hộp 10 vỉ x 10 viên", (1500.0, "tablet", PER_PACK), id="per-box"
        ),
        pytest.param(
            15000.0, "Vỉ", "Hộp 10 vỉ x 10 viên", (1500.0, "tablet", PER_PACK), id="per-blister"
        ),
        pytest.param(
            900000.0, "Hộp", "Hộp 10 ống x 5ml", (90000.0, "ampoule", PER_PACK), id="box-of-amps"
        ),
        pytest.param(
            1200000.0, "Hộp", "Hộp 10 lọ x 10 liều", (120000.0, "vial", PER_PACK), id="box-vials"
        ),
        pytest.param(
            150000.0, "hộp", "H/10v/10v", (1500.0, "tablet", PER_PACK), id="box-abbreviated"
        ),
        pytest.param(150000.0, "Hộp", None, (None, None, UNKNOWN_UNIT), id="box-no-packaging"),
        pytest.param(150000.0, "Hộp", "Hộp", (None, None, UNKNOWN_UNIT), id="box-no-count"),
        pytest.param(150000.0, "Vỉ", "Chai 100 viên", (None, None, UNKNOWN_UNIT), id="no-blister"),
        pytest.param(150000.0, "Bộ", "Hộp 1 bộ", (None, None, UNKNOWN_UNIT), id="unknown-unit"),
        pytest.param(150000.0, None, "Hộp 10 vỉ", (None, None, UNKNOWN_UNIT), id="no-unit"),
    ],
)
def test_standard_unit_price(
    price: float,
    unit: str | None,
    packaging: str | None,
    expected: tuple[float | None, str | None, str],
) -> None:
    assert standard_unit_price(price, unit, packaging) == expected


def test_box_and_tablet_prices_become_comparable() -> None:
    per_box = standard_unit_price(150000.0, "Hộp", "Hộp 10 vỉ x 10 viên")
    per_tablet = standard_unit_price(1500.0, "Viên", "Hộp 10 vỉ x 10 viên")
    assert per_box == (1500.0, "tablet", PER_PACK)
    assert per_tablet[:2] == per_box[:2]


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        pytest.param("Viên nén bao phim", ("base", "tablet"), id="long-tablet"),
        pytest.param("VIÊN", ("base", "tablet"), id="upper"),
        pytest.param("Hộp", ("pack", "box"), id="box"),
        pytest.param("Vỉ", ("pack", "blister"), id="blister"),
        pytest.param("Thùng", ("pack", "carton"), id="carton"),
        pytest.param("Bơm tiêm", ("base", "syringe"), id="syringe"),
        pytest.param("Bút tiêm", ("base", "pen"), id="pen"),
        pytest.param("Miếng", ("base", "patch"), id="patch"),
        pytest.param("ml", ("base", "ml"), id="bulk-liquid"),
        pytest.param("kg", None, id="unknown"),
    ],
)
def test_unit_kind(unit: str, kind: tuple[str, str] | None) -> None:
    assert unit_kind(unit) == kind


def test_vocabularies_are_fold_keys_and_disjoint() -> None:
    for word in (*BASE_UNITS, *PACK_UNITS):
        assert fold_key(word) == word
    assert not set(BASE_UNITS) & set(PACK_UNITS)


@given(st.one_of(st.none(), st.text()))
def test_packaging_parsers_never_raise(packaging: str | None) -> None:
    count = units_per_pack(packaging)
    assert count is None or count >= 1
    standard_unit_price(1.0, "Hộp", packaging)
    doses_per_pack(packaging)
