"""Column profiles: shipped ones load, a user's typo is refused with the file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.pipeline import choose_profile
from importers.profiles import ProfileError, load_profile, parse_profile, shipped_profiles
from tests.importers.published import hospital_list


def test_every_shipped_profile_loads_and_names_its_kind() -> None:
    names = {p.name: p.kind for p in shipped_profiles()}
    assert names == {
        "hospital-result-list": "awards",
        "national-portal": "awards",
        "social-security": "awards",
        "reference-prices": "reference-prices",
        "reference-list": "reference-list",
        "framework-agreements": "framework-agreements",
        "stock-report": "stock-reports",
        "logistics-monthly": "stock-reports",
    }


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"name": "x", "kind": "awards", "colums": {}}, "key 'colums': unknown key"),
        ({"name": "x", "kind": "bids"}, "key 'kind': unknown kind 'bids'"),
        (
            {"name": "x", "kind": "awards", "columns": {"price": ["Giá"]}},
            "key 'columns.price': unknown field 'price' for kind awards",
        ),
        (
            {"name": "x", "kind": "awards", "columns": {"unit_price": [3]}},
            "key 'columns.unit_price': expected text items",
        ),
        ({"name": "x", "kind": "awards", "currency": 704}, "key 'currency': expected str, got int"),
        (
            {
                "name": "x",
                "kind": "awards",
                "extract": [{"field": "country", "from": "Address", "pattern": "(["}],
            },
            "key 'extract[0].pattern': not a valid regular expression",
        ),
        (
            {
                "name": "x",
                "kind": "awards",
                "extract": [{"field": "country", "from": "Address", "pattern": "[A-Z]+$"}],
            },
            "needs one group",
        ),
        ({"name": "x", "kind": "awards", "header": {"rows": 3}}, "key 'header.rows': must be 1"),
        ({"kind": "awards"}, "key 'name': is required"),
    ],
    ids=[
        "unknown-key",
        "unknown-kind",
        "unknown-field",
        "wrong-item-type",
        "wrong-type",
        "bad-regex",
        "regex-without-group",
        "header-rows",
        "missing-name",
    ],
)
def test_a_bad_profile_is_refused_naming_file_and_key(profile: dict, message: str) -> None:
    with pytest.raises(ProfileError) as refused:
        parse_profile(profile, source="mine.yaml")
    assert str(refused.value).startswith("mine.yaml: ")
    assert message in str(refused.value)


def test_a_missing_profile_lists_the_shipped_ones(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="national-portal"):
        load_profile("no-such-profile")


def test_a_users_profile_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\nkind: awards\ncolumns:\n  unit_price: ['Prix unitaire']\n"
        "numbers: {decimal: ',', thousands: ' '}\nfixed: {buyer: 'CHU de Lyon'}\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.header_texts()["prix unitaire"] == "unit_price"
    assert profile.fixed == {"buyer": "CHU de Lyon"}
    assert (profile.numbers.decimal, profile.numbers.thousands) == (",", " ")


def test_the_hospital_layout_picks_the_hospital_profile() -> None:
    grid = hospital_list()
    candidates = shipped_profiles("awards")
    chosen = choose_profile(candidates, grid.rows, grid.merged)
    assert chosen.name == "hospital-result-list"


def test_the_social_security_columns_pick_their_profile() -> None:
    rows = [["ten", "hoatchat", "hamluong", "soluong", "gia", "ten_cskcb", "quyetdinh"]]
    chosen = choose_profile(shipped_profiles("awards"), rows, [])
    assert chosen.name == "social-security"
