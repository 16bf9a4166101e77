"""Header detection on lists laid out as published."""

from __future__ import annotations

import pytest

from importers.header import find_header
from importers.profiles import generic_profile
from tests.importers.published import hospital_list

MATCHER = generic_profile("awards").header_texts()


@pytest.mark.parametrize(
    ("diacritics", "nfd"),
    [(True, False), (False, False), (True, True)],
    ids=["with-diacritics", "without-diacritics", "nfd"],
)
def test_two_row_merged_header_is_found_under_the_title_block(diacritics: bool, nfd: bool) -> None:
    grid = hospital_list(diacritics=diacritics, nfd=nfd)
    header = find_header(grid.rows, grid.merged, MATCHER)
    assert header is not None
    assert (header.first_row, header.rows) == (8, 2)
    fields = header.fields
    assert fields["planned_unit_price"] == 13
    assert fields["unit_price"] == 14
    assert fields["quantity"] == 12
    assert fields["registration_number"] == 8
    assert fields["supplier"] == 16
    assert fields["amount"] == 15
    assert fields["active_ingredient"] == 2


def test_child_header_keeps_its_parent_in_the_label() -> None:
    grid = hospital_list()
    header = find_header(grid.rows, grid.merged, MATCHER)
    assert header is not None
    labels = {c.field: c.header for c in header.columns}
    assert labels["unit_price"] == "Giá (VND) / Đơn giá trúng thầu"
    assert labels["quantity"] == "Số lượng"


def test_one_row_header_without_title_block() -> None:
    rows = [
        ["STT", "Hoạt chất", "Hàm lượng", "SL trúng thầu", "Giá trúng thầu (VNĐ)"],
        [1, "Paracetamol", "500mg", 100, 450],
    ]
    header = find_header(rows, [], MATCHER)
    assert header is not None
    assert (header.first_row, header.rows) == (1, 1)
    assert header.fields == {
        "line_no": 0,
        "active_ingredient": 1,
        "strength": 2,
        "quantity": 3,
        "unit_price": 4,
    }


def test_a_repeated_header_column_maps_once_and_is_noted() -> None:
    rows = [["Hoạt chất", "Đơn giá", "Đơn giá", "Số lượng"]]
    header = find_header(rows, [], MATCHER)
    assert header is not None
    notes = [(c.field, c.note) for c in header.columns]
    assert notes == [
        ("active_ingredient", None),
        ("unit_price", None),
        ("unit_price", "duplicate"),
        ("quantity", None),
    ]
    assert header.fields["unit_price"] == 1


def test_a_sheet_of_prose_has_no_header() -> None:
    rows = [["Ghi chú"], ["Danh mục này thay thế danh mục cũ."], [None, "Người lập biểu"]]
    assert find_header(rows, [], MATCHER) is None
