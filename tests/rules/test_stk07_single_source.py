"""STK-07: an essential item or vaccine supplied by one manufacturer or from one country."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import Flag
from rules.engine import frames
from rules.engine.data import RuleData
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from rules.stock.stk07_single_source import BOTH, ONE_COUNTRY, ONE_MANUFACTURER
from tests.importers.files import write_xlsx_shared
from tests.rules.frames import awards, line, run

BCG = "vac xin bcg|0.5mg|powder_for_injection"
SERUM = "Serum Institute of India"
BUYERS = {
    1: "Bệnh viện Đa khoa tỉnh Nghệ An",
    2: "Trung tâm Y tế huyện Nam Đàn",
    3: "Trung tâm Y tế huyện Quỳnh Lưu",
}


def bcg(buyer_id: int = 1, **values: Any) -> dict[str, Any]:
    """A facility's award of BCG vaccine made by one Indian manufacturer: 100 vials at 50,000."""
    defaults: dict[str, Any] = {
        "identity_key": BCG, "product_id": 11, "product_name": "BCG vaccine",
        "active_ingredients": "Vắc xin BCG", "registration_number": "QLVX-1001-20",
        "origin": "imported", "manufacturer_id": 5, "manufacturer": SERUM, "country": "India",
        "unit": "Lọ", "standard_unit": "vial", "quantity": 100.0, "unit_price": 50000.0,
        "buyer_id": buyer_id, "buyer": BUYERS[buyer_id], "decision_date": date(2025, 6, 20),
    }  # fmt: skip
    return line(**{**defaults, **values})


def three(**values: Any) -> list[dict[str, Any]]:
    """BCG bought by three facilities in 2025, the last on 20/06/2025."""
    days = (date(2025, 2, 10), date(2025, 4, 15), date(2025, 6, 20))
    return [bcg(n, decision_date=day, **values) for n, day in zip(BUYERS, days, strict=True)]


def stk07(*lines: dict[str, Any], items: list[dict[str, Any]] | None = None, **params: Any):  # type: ignore[no-untyped-def]
    data = RuleData(awards=awards(*lines), reference_items=frames.reference_items(items or []))
    return run("STK-07", data=data, **params)


def test_a_vaccine_from_one_manufacturer_fires_naming_the_manufacturer_and_country() -> None:
    outcome = stk07(*three())
    assert (outcome.evaluated, len(outcome.findings)) == (1, 1)
    finding = outcome.findings[0]
    assert (finding.subject_type, finding.subject_key, finding.test) == ("product", BCG, BOTH)
    assert (finding.observed, finding.benchmark) == (1.0, 2.0)
    assert (finding.line_id, finding.buyer_id, finding.year) == (None, None, 2025)
    assert finding.evidence == {
        "identity_key": BCG,
        "product_names": ["BCG vaccine"],
        "manufacturers": [SERUM],
        "countries": ["India"],
        "lines": 3,
        "buyers": 3,
        "value": 15_000_000.0,
        "window_start": pd.Timestamp(2024, 6, 21),
        "window_end": pd.Timestamp(2025, 6, 20),
        "one_manufacturer": True,
        "one_country": True,
        "facility": None,
        "product_code": None,
        "product_name": "BCG vaccine",
        "item_key": BCG,
        "period": "2025-06-20",
    }
    assert finding.message_en == (
        "All 3 award lines for BCG vaccine (vac xin bcg|0.5mg|powder_for_injection) from 3 "
        "buyers in 21/06/2024-20/06/2025, worth 15.000.000 ₫, are for products of one "
        "manufacturer, Serum Institute of India (India): supply of the item depends on a single "
        "source."
    )
    assert finding.message_vi == (
        "Cả 3 dòng trúng thầu BCG vaccine (vac xin bcg|0.5mg|powder_for_injection) của 3 đơn vị "
        "mua trong giai đoạn 21/06/2024-20/06/2025, trị giá 15.000.000 ₫, đều là sản phẩm của "
        "một nhà sản xuất là Serum Institute of India (India): nguồn cung mặt hàng này phụ "
        "thuộc vào một nguồn duy nhất."
    )


def test_two_manufacturers_of_one_country_fire_one_country() -> None:
    lines = [*three()[:2], bcg(3, manufacturer_id=8, manufacturer="Bharat Biotech")]
    [finding] = stk07(*lines).findings
    assert finding.test == ONE_COUNTRY
    assert finding.evidence["manufacturers"] == ["Bharat Biotech", SERUM]
    assert (finding.evidence["one_manufacturer"], finding.evidence["one_country"]) == (False, True)
    assert "made in one country, India (2 manufacturers)" in finding.message_en
    assert "sản xuất tại một nước là India (2 nhà sản xuất)" in finding.message_vi


def test_one_manufacturer_whose_country_is_unknown_fires_one_manufacturer() -> None:
    [finding] = stk07(*three(country=None)).findings
    assert (finding.test, finding.evidence["countries"]) == (ONE_MANUFACTURER, [])
    assert "of one manufacturer, Serum Institute of India:" in finding.message_en


def test_two_manufacturers_in_two_countries_pass() -> None:
    lines = [*three()[:2], bcg(3, manufacturer_id=9, manufacturer="POLYVAC", country="Vietnam")]
    outcome = stk07(*lines)
    assert (outcome.evaluated, outcome.findings) == (1, [])


def test_the_window_is_the_days_up_to_the_latest_decision_in_the_data() -> None:
    # 365 days up to 20/06/2025 start on 21/06/2024: a line of 20/06/2024 is outside.
    inside = [*three()[1:], bcg(1, decision_date=date(2024, 6, 21))]
    assert len(stk07(*inside).findings) == 1
    outside = [*three()[1:], bcg(1, decision_date=date(2024, 6, 20))]
    outcome = stk07(*outside)
    assert (outcome.evaluated, outcome.not_applicable["too few lines or buyers"]) == (0, 1)
    # the latest day is the data's, whatever item it is: BCG bought only a year before is out
    old = [bcg(n, decision_date=date(2024, 3, 1)) for n in BUYERS]
    later = line(decision_date=date(2025, 6, 20))  # paracetamol
    outcome = stk07(*old, later)
    assert outcome.not_applicable["no line in the window"] == 1
    assert len(stk07(*old, later, window_days=500).findings) == 1


@pytest.mark.parametrize(
    ("params", "reason"),
    [({"min_lines": 4}, "too few lines or buyers"), ({"min_buyers": 4}, "too few lines or buyers")],
)
def test_too_few_lines_or_buyers_are_not_applicable(params: dict[str, int], reason: str) -> None:
    outcome = stk07(*three(), **params)
    assert (outcome.evaluated, outcome.not_applicable[reason]) == (0, 1)
    assert len(stk07(*three(), min_lines=3, min_buyers=3).findings) == 1


def test_a_line_stating_no_manufacturer_may_be_a_second_source() -> None:
    unstated = [*three()[:2], bcg(3, manufacturer_id=None, manufacturer=None, country=None)]
    outcome = stk07(*unstated)
    assert outcome.evaluated == 0
    assert outcome.not_applicable["manufacturer and country not stated on every line"] == 1
    # two known manufacturers of two countries decide it whatever the third line states
    mixed = [*unstated[:1], bcg(2, manufacturer_id=9, manufacturer="POLYVAC", country="Vietnam"),
             unstated[2]]  # fmt: skip
    assert (stk07(*mixed).evaluated, stk07(*mixed).findings) == (1, [])


def test_medicines_count_only_when_a_pack_makes_them_essential() -> None:
    paracetamol = [line(buyer_id=n, buyer=BUYERS[n]) for n in BUYERS]
    outcome = stk07(*paracetamol)
    assert (outcome.evaluated, outcome.not_applicable["not an essential item"]) == (0, 1)
    assert [f.subject_key for f in stk07(*paracetamol, categories=["medicine"]).findings] == [
        "paracetamol|500mg|tablet"
    ]
    listed = {"identity_key": "paracetamol|500mg|tablet", "list_type": "centralized",
              "effective_date": date(2024, 5, 1)}  # fmt: skip
    assert len(stk07(*paracetamol, items=[listed], lists=["centralized"]).findings) == 1
    # a version effective after the window's end does not make it essential yet
    later = {**listed, "effective_date": date(2025, 4, 1)}
    assert stk07(*paracetamol, items=[later], lists=["centralized"]).evaluated == 0
    # a list the pack does not name is not read
    assert stk07(*paracetamol, items=[listed]).evaluated == 0


def test_lines_without_identity_or_date_belong_to_no_item() -> None:
    outcome = stk07(*three(), bcg(1, identity_key=None), bcg(2, decision_date=None))
    assert outcome.evaluated == 1
    assert outcome.findings[0].evidence["lines"] == 3


def test_no_award_lines_is_nothing_to_judge() -> None:
    outcome = run("STK-07", data=RuleData(awards=awards(line()).iloc[:0]))
    assert (outcome.evaluated, outcome.findings) == (0, [])


def test_imported_awards_carry_their_manufacturer_and_raise_a_flag(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    header = [
        "Chủ đầu tư", "Ngày ban hành quyết định", "Tên thuốc", "Tên hoạt chất",
        "Nồng độ, hàm lượng", "Dạng bào chế", "Đơn vị tính", "Số đăng ký", "Số lượng",
        "Đơn giá trúng thầu", "Nhà thầu trúng thầu", "Hãng sản xuất", "Nước sản xuất",
    ]  # fmt: skip
    rows = [header] + [
        [buyer, day, "BCG vaccine", "Vắc xin BCG", "0,5mg", "Bột đông khô pha tiêm", "Lọ",
         "QLVX-1001-20", "100", "50.000", "Công ty TNHH Vắc xin A", SERUM, "Ấn Độ"]
        for buyer, day in zip(BUYERS.values(), ("10/02/2025", "15/04/2025", "20/06/2025"),
                              strict=True)
    ]  # fmt: skip
    outcome = import_file(write_xlsx_shared(tmp_path / "kq.xlsx", {"DS": rows}), sessions)
    assert outcome.tally.rejected == 0, outcome.first_errors
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-07"})
    assert (report.code, report.evaluated, report.new) == ("STK-07", 1, 1)
    with sessions() as session:
        [flag] = session.scalars(select(Flag)).all()
    assert (flag.subject_type, flag.subject_key, flag.test) == ("product", BCG, BOTH)
    assert (flag.buyer_id, flag.year) == (None, 2025)
    assert flag.evidence["manufacturers"] == [SERUM]
    assert flag.evidence["lines"] == 3
