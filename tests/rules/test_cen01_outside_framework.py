"""CEN-01: bought outside a framework agreement while one was valid."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

import rules.centralized.cen01_outside_framework  # noqa: F401 - registers CEN-01
from importers.run import import_file
from rules.centralized.cen01_outside_framework import (
    ABOVE_AGREEMENT,
    ANOTHER_SUPPLIER,
    group_codes,
)
from rules.engine.data import RuleData, load_rule_data
from tests.importers.files import write_xlsx_shared
from tests.rules.frames import awards, line, run

MEROPENEM = "meropenem|1000mg|powder-for-injection"
NUMBER = "12/2024/TTK-TTMS"
CENTRE = "Trung tâm Mua sắm tập trung thuốc Quốc gia"
AGREEMENT_SUPPLIER = "Công ty CP Dược liệu Trung ương 2"


def meropenem(**values: Any) -> dict[str, Any]:
    """A hospital's own award of meropenem from another supplier, above the agreement price."""
    defaults: dict[str, Any] = {
        "identity_key": MEROPENEM, "product_name": "Meropenem Kabi 1g",
        "active_ingredients": "Meropenem", "registration_number": "VN-54321-21",
        "drug_group": "N1", "unit": "Lọ", "standard_unit": "vial", "unit_price": 195000.0,
        "supplier_id": 3, "supplier": "Công ty TNHH Thương mại B", "origin": "imported",
        "decision_date": date(2025, 3, 15),
    }  # fmt: skip
    return line(**{**defaults, **values})


def list_item(**values: Any) -> dict[str, Any]:
    """An item of the national centralized list (Circular 04/2024), as load_rule_data gives it."""
    return {
        "identity_key": MEROPENEM, "active_ingredients": "Meropenem", "strength_text": "1g",
        "drug_group": "N1", "list_type": "centralized", "effective_date": date(2024, 5, 1),
        **values,
    }  # fmt: skip


def agreement(**values: Any) -> dict[str, Any]:
    """An agreement item of the national centre, as load_frameworks gives it."""
    return {
        "framework_item_id": 1, "agreement_id": 1, "agreement_number": NUMBER,
        "source_file_id": 9, "source_file": "ttk.xlsx", "source_row": 5, "holder_id": 900,
        "holder": CENTRE, "supplier_id": 7, "supplier": AGREEMENT_SUPPLIER,
        "valid_from": pd.Timestamp(2024, 6, 1), "valid_to": pd.Timestamp(2026, 5, 31),
        "product_name": "Meronem", "registration_number": "VN-12345-20",
        "active_ingredients": "Meropenem", "strength_key": "1000mg",
        "dosage_form": "powder-for-injection", "drug_group": "N1", "identity_key": MEROPENEM,
        "unit": "Lọ", "price": 182500.0, "currency": "VND", "standard_unit_price": 182500.0,
        "standard_unit": "vial", "facility_id": 1, "facility": "Bệnh viện Đa khoa tỉnh Nghệ An",
        "allocated_quantity": 2000.0, "delivered_quantity": 750.0, **values,
    }  # fmt: skip


def data(
    *lines: dict[str, Any],
    items: list[dict[str, Any]] | None = None,
    agreements: list[dict[str, Any]] | None = None,
) -> RuleData:
    return RuleData(
        awards=awards(*lines),
        reference_items=pd.DataFrame(items if items is not None else [list_item()]),
        frameworks=pd.DataFrame(agreements if agreements is not None else [agreement()]),
    )


def cen01(*lines: dict[str, Any], **kwargs: Any):  # type: ignore[no-untyped-def]
    params = kwargs.pop("params", {})
    return run("CEN-01", data=data(*lines, **kwargs), **params)


def test_another_supplier_while_an_agreement_is_valid_fires_with_the_evidence() -> None:
    outcome = cen01(meropenem(line_id=41))
    assert (outcome.evaluated, len(outcome.findings)) == (1, 1)
    finding = outcome.findings[0]
    assert (finding.subject_type, finding.test) == ("award_line", ANOTHER_SUPPLIER)
    assert (finding.observed, finding.benchmark) == (195000.0, 182500.0)
    assert (finding.line_id, finding.buyer_id, finding.year) == (41, 1, 2025)
    assert finding.evidence == {
        "buyer": "Bệnh viện Đa khoa tỉnh Nghệ An",
        "product": "Meropenem Kabi 1g",
        "registration_number": "VN-54321-21",
        "supplier": "Công ty TNHH Thương mại B",
        "unit_price": 195000.0,
        "decision_date": pd.Timestamp(2025, 3, 15),
        "source_file": "ket-qua.xlsx",
        "source_sheet": "DS",
        "source_row": 10,
        "procedure": "open_bidding",
        "identity_key": MEROPENEM,
        "list_effective_date": pd.Timestamp(2024, 5, 1),
        "agreement_number": NUMBER,
        "agreement_supplier": AGREEMENT_SUPPLIER,
        "agreement_price": 182500.0,
        "agreement_unit": "Lọ",
        "agreement_valid_from": pd.Timestamp(2024, 6, 1),
        "agreement_valid_to": pd.Timestamp(2026, 5, 31),
        "agreement_holder": CENTRE,
        "agreement_source_file": "ttk.xlsx",
        "agreement_source_row": 5,
        "facility_allocated_quantity": 2000.0,
        "valid_agreements": 1,
        "same_supplier": False,
        "price_basis": "standard unit",
        "line_price_compared": 195000.0,
        "agreement_price_compared": 182500.0,
    }
    assert finding.message_en == (
        "Meropenem Kabi 1g was bought on 15/03/2025 from Công ty TNHH Thương mại B at "
        "195.000 ₫ while framework agreement 12/2024/TTK-TTMS with Công ty CP Dược liệu Trung "
        "ương 2 at 182.500 ₫ was valid (01/06/2024-31/05/2026); while an agreement is valid, a "
        "contract with another supplier for the item is not paid."
    )
    assert "thỏa thuận khung 12/2024/TTK-TTMS" in finding.message_vi
    assert "không được thanh toán" in finding.message_vi


def test_another_supplier_fires_even_when_cheaper() -> None:
    outcome = cen01(meropenem(unit_price=150000.0))
    assert [f.test for f in outcome.findings] == [ANOTHER_SUPPLIER]


def test_the_agreement_supplier_above_the_agreement_price_fires() -> None:
    outcome = cen01(meropenem(supplier_id=7, supplier=AGREEMENT_SUPPLIER, unit_price=200750.0))
    finding = outcome.findings[0]
    assert finding.test == ABOVE_AGREEMENT
    assert finding.evidence["same_supplier"] is True
    assert "10.0% above the agreement price of 182.500 ₫" in finding.message_en
    assert "cao hơn giá thỏa thuận 182.500 ₫ 10,0%" in finding.message_vi


@pytest.mark.parametrize(
    ("price", "tolerance", "fires"),
    [
        (182500.0, 0.0, False),
        (150000.0, 0.0, False),
        (182500.01, 0.0, True),
        (190000.0, 0.05, False),
    ],
    ids=["at-the-agreement-price", "below-it", "a-cent-above", "within-tolerance"],
)
def test_an_order_under_the_agreement_does_not_fire(
    price: float, tolerance: float, fires: bool
) -> None:
    outcome = cen01(
        meropenem(supplier_id=7, supplier=AGREEMENT_SUPPLIER, unit_price=price),
        params={"price_tolerance": tolerance},
    )
    assert (outcome.evaluated, bool(outcome.findings)) == (1, fires)


@pytest.mark.parametrize(
    ("decided", "fires"),
    [
        (date(2024, 5, 31), False),
        (date(2024, 6, 1), True),
        (date(2026, 5, 31), True),
        (date(2026, 6, 1), False),
    ],
    ids=["before-it-starts", "first-day", "last-day", "expired"],
)
def test_validity_bounds_are_inclusive(decided: date, fires: bool) -> None:
    outcome = cen01(meropenem(decision_date=decided))
    assert (outcome.evaluated, bool(outcome.findings)) == (1, fires)


def test_an_item_of_the_list_bought_with_no_agreement_valid_passes() -> None:
    outcome = cen01(meropenem(), agreements=[])
    assert (outcome.evaluated, outcome.findings) == (1, [])


def test_a_missing_end_is_read_as_the_36_month_maximum() -> None:
    open_ended = [agreement(valid_to=pd.NaT)]
    assert cen01(meropenem(decision_date=date(2027, 5, 31)), agreements=open_ended).findings
    assert not cen01(meropenem(decision_date=date(2027, 6, 2)), agreements=open_ended).findings


def test_an_item_not_on_the_centralized_list_is_not_applicable() -> None:
    outcome = cen01(
        meropenem(identity_key="paracetamol|500mg|tablet"),
        agreements=[agreement(identity_key="paracetamol|500mg|tablet")],
    )
    assert (outcome.evaluated, outcome.findings) == (0, [])
    assert outcome.not_applicable["item not on the centralized list"] == 1


def test_the_list_in_force_is_its_latest_version() -> None:
    versions = [
        list_item(effective_date=date(2020, 1, 1)),
        list_item(identity_key="other|1g|tablet", effective_date=date(2025, 1, 1)),
    ]
    outcome = cen01(meropenem(), items=versions)
    assert outcome.not_applicable["item not on the centralized list"] == 1
    early = cen01(meropenem(decision_date=date(2024, 12, 31)), items=versions)
    assert [f.evidence["list_effective_date"] for f in early.findings] == [pd.Timestamp(2020, 1, 1)]
    before = cen01(meropenem(decision_date=date(2024, 4, 30)))
    assert before.not_applicable["no centralized list in force"] == 1


def test_the_holder_and_centralized_procedures_are_not_applicable() -> None:
    outcome = cen01(
        meropenem(buyer_id=900, buyer=CENTRE),
        meropenem(procedure="centralized", product_id=2),
        meropenem(decision_date=None, product_id=3),
    )
    assert (outcome.evaluated, outcome.findings) == (0, [])
    assert outcome.not_applicable == {
        "bought by the agreement's holder": 1, "centralized purchase": 1, "no decision date": 1,
        "no centralized list in force": 0, "item not on the centralized list": 0,
        "no drug group on the line": 0,
    }  # fmt: skip


def test_technical_groups_must_match_unless_switched_off() -> None:
    other_group = meropenem(drug_group="N4")
    assert cen01(other_group).not_applicable["item not on the centralized list"] == 1
    listed_any = [list_item(drug_group=None)]
    assert cen01(other_group, items=listed_any).findings == []
    assert cen01(other_group, params={"match_group": False}).findings
    no_group = cen01(meropenem(drug_group=None))
    assert no_group.not_applicable["no drug group on the line"] == 1
    assert cen01(meropenem(drug_group="G1N1")).findings


def test_group_codes() -> None:
    assert group_codes("G1N4") == group_codes("Nhóm 4") == group_codes("n4") == {"N4"}
    assert group_codes("BDG") == {"BDG"}
    assert group_codes(None) == group_codes("") == frozenset()


def test_the_agreement_supplier_is_preferred_then_the_cheapest_agreement() -> None:
    two = [
        agreement(),
        agreement(
            agreement_number="20/2024/TTK-TTMS",
            supplier_id=8,
            supplier="Công ty C",
            price=170000.0,
            standard_unit_price=170000.0,
            facility_id=2,
        ),
    ]
    cheapest = cen01(meropenem(), agreements=two).findings[0]
    assert (cheapest.evidence["agreement_number"], cheapest.evidence["valid_agreements"]) == (
        "20/2024/TTK-TTMS",
        2,
    )
    assert cheapest.evidence["facility_allocated_quantity"] is None
    own = cen01(meropenem(supplier_id=7, supplier=AGREEMENT_SUPPLIER), agreements=two)
    assert [(f.test, f.evidence["agreement_number"]) for f in own.findings] == [
        (ABOVE_AGREEMENT, NUMBER)
    ]


def test_prices_compare_per_unit_as_written_without_a_common_standard_unit() -> None:
    outcome = cen01(meropenem(standard_unit_price=None, unit_price=190000.0))
    assert outcome.findings[0].evidence["price_basis"] == "unit as written"
    assert outcome.findings[0].observed == 190000.0


def test_no_framework_data_at_all_is_no_finding() -> None:
    outcome = run("CEN-01", data=RuleData(awards=awards(meropenem())))
    assert outcome.findings == []
    assert outcome.not_applicable["no centralized list in force"] == 1


def test_end_to_end_from_imported_files(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    header = ["Tên hoạt chất", "Nồng độ, hàm lượng", "Dạng bào chế", "Đơn vị tính"]
    centralized = [[*header, "Nhóm TCKT"], ["Meropenem", "1g", "Bột pha tiêm", "Lọ", "N1"]]
    frameworks = [
        ["Số thỏa thuận khung", *header, "Nhóm TCKT", "Nhà thầu", "Đơn giá", "Hiệu lực từ",
         "Hiệu lực đến", "Cơ sở y tế", "Số lượng phân bổ"],
        [NUMBER, "Meropenem", "1g", "Bột pha tiêm", "Lọ", "N1", AGREEMENT_SUPPLIER, "182.500",
         "01/06/2024", "31/05/2026", "Bệnh viện Đa khoa tỉnh Nghệ An", "2.000"],
    ]  # fmt: skip
    award_rows = [
        ["Chủ đầu tư", "Ngày ban hành quyết định", "Hình thức LCNT", "Tên thuốc", *header,
         "Nhóm thuốc", "Số lượng", "Đơn giá trúng thầu", "Nhà thầu trúng thầu"],
        ["Bệnh viện Đa khoa tỉnh Nghệ An", "15/03/2025", "Đấu thầu rộng rãi", "Meropenem Kabi",
         "Meropenem", "1g", "Bột pha tiêm", "Lọ", "N1", "500", "195.000", "Công ty B"],
        ["Bệnh viện Đa khoa tỉnh Nghệ An", "15/03/2025", "Đấu thầu rộng rãi", "Meronem",
         "Meropenem", "1g", "Bột pha tiêm", "Lọ", "N1", "300", "182.500", AGREEMENT_SUPPLIER],
    ]  # fmt: skip
    for name, kind, rows, settings in [
        ("tt04.xlsx", "reference-list", centralized,
         {"list_type": "centralized", "effective_date": "2024-05-01"}),
        ("ttk.xlsx", "framework-agreements", frameworks, {"holder": CENTRE}),
        ("kq.xlsx", "awards", award_rows, {}),
    ]:  # fmt: skip
        outcome = import_file(
            write_xlsx_shared(tmp_path / name, {"DS": rows}), sessions, kind=kind, settings=settings
        )
        assert outcome.tally.rejected == 0, outcome.first_errors
    with sessions() as session:
        loaded = load_rule_data(session)
    outcome = run("CEN-01", data=loaded)
    assert outcome.evaluated == 2
    assert [(f.evidence["supplier"], f.evidence["agreement_number"],
             f.evidence["facility_allocated_quantity"]) for f in outcome.findings] == [
        ("Công ty B", NUMBER, 2000.0)]  # fmt: skip


def test_rows_per_facility_and_a_resent_list_are_one_agreement() -> None:
    rows = [
        agreement(),
        agreement(facility_id=2, allocated_quantity=5000.0, source_row=6),
        agreement(source_file_id=10, source_file="ttk-2.xlsx", allocated_quantity=2500.0),
    ]
    finding = cen01(meropenem(), agreements=rows).findings[0]
    assert (finding.evidence["valid_agreements"], finding.evidence["agreement_source_row"],
            finding.evidence["facility_allocated_quantity"]) == (1, 5, 2500.0)  # fmt: skip
