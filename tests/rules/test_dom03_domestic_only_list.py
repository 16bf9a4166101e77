"""DOM-03: an imported product bought for an item of the domestic-only list in force."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pandas as pd
import pytest

from procurement.groups import group_codes
from rules.domestic import dom03_domestic_only_list  # noqa: F401  (registers DOM-03)
from rules.engine.data import RuleData
from rules.engine.result import RuleOutcome
from tests.rules.frames import awards, line, run

V1, V2 = date(2024, 4, 16), date(2025, 6, 1)
PARACETAMOL = "paracetamol|500mg|tablet"
CEFUROXIM = "cefuroxim|500mg|tablet"
_IDS = itertools.count(1)


def item(identity_key: str = PARACETAMOL, group: str | None = "N4", effective: date = V1,
         list_type: str = "domestic-only") -> dict[str, Any]:  # fmt: skip
    """One list item as load_rule_data returns it; a list version is its effective date."""
    ingredient, strength, _ = identity_key.split("|")
    return {
        "id": next(_IDS), "list_id": effective.toordinal(), "route": "oral", "drug_group": group,
        "active_ingredients": ingredient.capitalize(), "strength_text": strength,
        "strength_key": strength, "dosage_form_text": "Viên nén", "dosage_form": "tablet",
        "identity_key": identity_key, "unit": "Viên", "source_row": 5, "list_type": list_type,
        "effective_date": effective,
    }  # fmt: skip


def imported(**values: Any) -> dict[str, Any]:
    row = {"origin": "imported", "product_name": "Panadol", "registration_number": "VN-1-20",
           "country": "Australia", "drug_group": "G1N4"}  # fmt: skip
    return line(**{**row, **values})


def check(*rows: dict[str, Any], items: list[dict[str, Any]]) -> RuleOutcome:
    data = RuleData(awards=awards(*rows), reference_items=pd.DataFrame(items))
    return run("DOM-03", data=data)


def test_fires_for_an_imported_line_of_a_listed_item_with_the_item_in_evidence() -> None:
    outcome = check(imported(), line(product_id=2), items=[item()])
    assert (outcome.evaluated, len(outcome.findings)) == (1, 1)
    assert dict(+outcome.not_applicable) == {"domestic product": 1}
    finding = outcome.findings[0]
    evidence = finding.evidence
    assert evidence["list_item"] == "Paracetamol 500mg Viên nén (N4)"
    assert evidence["list_effective_date"] == pd.Timestamp(V1)
    assert (evidence["list_item_group"], evidence["drug_group"]) == ("N4", "G1N4")
    assert (evidence["country"], evidence["source_row"]) == ("Australia", 10)
    assert "in force since 16/04/2024" in finding.message_en
    assert "chỉ chấp nhận thuốc sản xuất trong nước" in finding.message_vi


@pytest.mark.parametrize(
    ("line_group", "item_group", "fires"),
    [("G1N4", "N4", True), ("N4", "N4", True), ("Nhóm 4", "N4", True), ("N1", "N4", False),
     ("G4N1", "N4", False), ("N2", None, True), ("BDG", "BDG", True)],
    ids=["package-and-group", "group", "nhom-4", "other-group", "package-4-group-1",
         "item-without-group", "bdg"],
)  # fmt: skip
def test_group_matching(line_group: str, item_group: str | None, fires: bool) -> None:
    outcome = check(imported(drug_group=line_group), items=[item(group=item_group)])
    assert outcome.evaluated == 1
    assert bool(outcome.findings) is fires


def test_other_identity_or_list_type_is_a_near_miss() -> None:
    items = [item(CEFUROXIM), item(list_type="centralized")]
    outcome = check(imported(), items=items)
    assert (outcome.evaluated, outcome.findings) == (1, [])


def test_an_item_added_by_a_later_version_applies_from_its_effective_date() -> None:
    items = [item(CEFUROXIM, effective=V1), item(CEFUROXIM, effective=V2), item(effective=V2)]
    before = imported(decision_date=date(2025, 5, 31))
    on_the_day = imported(decision_date=V2, product_id=3)
    outcome = check(before, on_the_day, items=items)
    assert outcome.evaluated == 2
    assert [f.line_id for f in outcome.findings] == [on_the_day["line_id"]]
    assert outcome.findings[0].evidence["list_effective_date"] == pd.Timestamp(V2)


def test_an_item_dropped_by_a_later_version_no_longer_applies() -> None:
    items = [item(effective=V1), item(CEFUROXIM, effective=V2)]
    outcome = check(imported(decision_date=date(2025, 7, 1)), items=items)
    assert (outcome.evaluated, outcome.findings) == (1, [])


def test_no_list_in_force_is_not_applicable() -> None:
    early = check(imported(decision_date=date(2024, 4, 15)), items=[item()])
    assert (early.evaluated, dict(+early.not_applicable)) == (0, {"no list in force": 1})
    none = run("DOM-03", imported())
    assert dict(+none.not_applicable) == {"no list in force": 1}


def test_a_line_without_a_group_for_a_grouped_item_cannot_be_decided() -> None:
    grouped = imported(drug_group=None)
    ungrouped = imported(drug_group=None, product_id=2, identity_key=CEFUROXIM)
    outcome = check(grouped, ungrouped, items=[item(), item(CEFUROXIM, group=None)])
    assert (outcome.evaluated, len(outcome.findings)) == (1, 1)
    assert dict(+outcome.not_applicable) == {"no drug group on the line": 1}


@pytest.mark.parametrize(
    ("text", "codes"),
    [("N4", {"N4"}), ("G1N4", {"N4"}), ("g1 n4", {"N4"}), ("Nhóm 4", {"N4"}),
     ("N1, N2", {"N1", "N2"}), ("BDG", {"BDG"}), ("Nhóm TCKT", {"NHOM TCKT"}), (None, set()),
     ("", set())],
    ids=["n4", "g1n4", "spaced", "nhom-4", "two-groups", "bdg", "no-number", "none", "empty"],
)  # fmt: skip
def test_group_codes(text: str | None, codes: set[str]) -> None:
    assert group_codes(text) == codes
