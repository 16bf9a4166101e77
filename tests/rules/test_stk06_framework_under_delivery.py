"""STK-06: a framework agreement's supplier delivered a facility less than its pro-rata share."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.models import (
    Buyer,
    Flag,
    FrameworkAgreement,
    FrameworkItem,
    SourceFile,
    Supplier,
)
from rules.engine import frames
from rules.engine.data import RuleData
from rules.engine.pack import PackError, load_pack
from rules.engine.runner import run_rules
from rules.stock.stk06_framework_under_delivery import TEST, subject_key
from tests.rules.frames import run

NUMBER = "15/2024/TTK-TTMS"
MEROPENEM = "meropenem|1000mg|powder_for_injection"
HOSPITAL = "Bệnh viện Đa khoa tỉnh Nghệ An"
SUPPLIER = "Công ty CP Dược liệu Trung ương 2"
KEY = f"{NUMBER}:1:{MEROPENEM}"


def item(**values: Any) -> dict[str, Any]:
    """A hospital's allocation of 1,200 vials for 2024 (366 days), 400 delivered by 1 July."""
    return {
        "framework_item_id": 1, "agreement_id": 1, "agreement_number": NUMBER,
        "source_file_id": 9, "source_file": "giao-hang.xlsx", "source_row": 5,
        "holder_id": 900, "holder": "Trung tâm Mua sắm tập trung thuốc Quốc gia",
        "supplier_id": 7, "supplier": SUPPLIER, "valid_from": date(2024, 1, 1),
        "valid_to": date(2024, 12, 31), "product_name": "Meronem 1g",
        "identity_key": MEROPENEM, "unit": "Lọ", "price": 182500.0, "facility_id": 1,
        "facility": HOSPITAL, "allocated_quantity": 1200.0, "delivered_quantity": 400.0,
        "reported_on": date(2024, 7, 1), **values,
    }  # fmt: skip


def stk06(*rows: dict[str, Any], as_of: date = date(2024, 7, 1), **params: Any):  # type: ignore[no-untyped-def]
    data = RuleData(
        awards=frames.awards(frames.line()).iloc[:0],
        frameworks=frames.frameworks(list(rows)),
        as_of=as_of,
    )
    return run("STK-06", data=data, **params)


def test_half_the_year_gone_and_a_third_delivered_fires_with_the_numbers() -> None:
    outcome = stk06(item())
    assert (outcome.evaluated, len(outcome.findings)) == (1, 1)
    finding = outcome.findings[0]
    assert (finding.subject_type, finding.subject_key, finding.test) == (
        "framework_item",
        KEY,
        TEST,
    )
    assert (finding.observed, finding.benchmark) == (400 / 600, 0.8)
    assert (finding.line_id, finding.buyer_id, finding.year) == (None, 1, 2024)
    assert finding.evidence == {
        "agreement_number": NUMBER,
        "facility": HOSPITAL,
        "supplier": SUPPLIER,
        "product_name": "Meronem 1g",
        "identity_key": MEROPENEM,
        "unit": "Lọ",
        "allocated": 1200.0,
        "delivered": 400.0,
        "delivered_stated": True,
        "expected": 600.0,  # 1,200 x 183 / 366
        "share_delivered": 400 / 600,
        "elapsed_days": 183,
        "total_days": 366,
        "valid_from": pd.Timestamp(2024, 1, 1),
        "valid_to": pd.Timestamp(2024, 12, 31),
        "reported_on": pd.Timestamp(2024, 7, 1),
        "source_file": "giao-hang.xlsx",
        "source_row": 5,
        "product_code": None,
        "item_key": MEROPENEM,
        "period": "2024-07-01",
    }
    assert finding.message_en == (
        "By 01/07/2024 Bệnh viện Đa khoa tỉnh Nghệ An had received 400 of the 1,200 Lọ of "
        "Meronem 1g allocated to it under framework agreement 15/2024/TTK-TTMS with Công ty CP "
        "Dược liệu Trung ương 2: 66.7% of the 600 due pro rata (183/366 days of the "
        "agreement), below 80%."
    )
    assert finding.message_vi == (
        "Đến ngày 01/07/2024, Bệnh viện Đa khoa tỉnh Nghệ An mới nhận 400/1.200 Lọ Meronem 1g "
        "được phân bổ theo thỏa thuận khung 15/2024/TTK-TTMS với Công ty CP Dược liệu Trung "
        "ương 2, bằng 66,7% số lượng phải giao theo tiến độ (600, 183/366 ngày hiệu lực), "
        "dưới mức 80,0%."
    )


@pytest.mark.parametrize(
    ("delivered", "fires"),
    [(500.0, False), (480.0, False), (479.9, True), (0.0, True)],
)
def test_delivery_is_compared_with_share_of_the_pro_rata_quantity(
    delivered: float, fires: bool
) -> None:
    outcome = stk06(item(delivered_quantity=delivered))
    assert (outcome.evaluated, len(outcome.findings)) == (1, int(fires))


def test_a_missing_delivered_quantity_counts_as_nothing_delivered() -> None:
    [finding] = stk06(item(delivered_quantity=None)).findings
    assert (finding.evidence["delivered"], finding.evidence["delivered_stated"]) == (0.0, False)
    assert finding.observed == 0.0


def test_without_a_report_day_the_check_day_is_used() -> None:
    # 01/04/2024 is day 92 of 366: 1,200 x 92 / 366 = 301.6 due, 241.3 needed; 250 passes.
    assert (
        stk06(item(reported_on=None, delivered_quantity=250.0), as_of=date(2024, 4, 1)).findings
        == []
    )
    [finding] = stk06(
        item(reported_on=None, delivered_quantity=240.0), as_of=date(2024, 4, 1)
    ).findings
    assert finding.evidence["expected"] == pytest.approx(1200 * 92 / 366)
    assert (finding.evidence["reported_on"], finding.evidence["period"]) == (None, "2024-04-01")


def test_an_ended_agreement_is_due_in_full() -> None:
    [finding] = stk06(
        item(reported_on=None, delivered_quantity=900.0), as_of=date(2025, 3, 1)
    ).findings
    assert (finding.evidence["expected"], finding.evidence["elapsed_days"]) == (1200.0, 366)
    assert finding.observed == 0.75
    assert finding.year == 2025


def test_items_that_cannot_be_judged_are_counted_by_reason() -> None:
    outcome = stk06(
        item(facility_id=None, facility=None),
        item(facility_id=2, allocated_quantity=None),
        item(facility_id=3, allocated_quantity=0.0),
        item(facility_id=4, valid_to=None),
        item(facility_id=5, valid_from=None),
        item(facility_id=6, valid_from=date(2024, 12, 31), valid_to=date(2024, 1, 1)),
        item(facility_id=7, valid_from=date(2024, 7, 2), valid_to=date(2025, 7, 1)),
        item(facility_id=8, valid_from=date(2024, 6, 3), valid_to=date(2025, 6, 2)),  # day 29
        item(
            facility_id=9,
            valid_from=date(2024, 6, 2),
            valid_to=date(2025, 6, 1),
            delivered_quantity=0.0,
        ),  # day 30
    )
    assert dict(outcome.not_applicable) == {
        "no facility allocation": 3,
        "no validity dates": 3,
        "agreement not started": 1,
        "agreement in its first days": 1,
    }
    assert outcome.evaluated == 1
    assert [f.buyer_id for f in outcome.findings] == [9]


def test_min_elapsed_days_can_be_lowered() -> None:
    row = item(valid_from=date(2024, 6, 22), valid_to=date(2025, 6, 21), delivered_quantity=0.0)
    assert stk06(row).not_applicable["agreement in its first days"] == 1
    assert len(stk06(row, min_elapsed_days=0).findings) == 1


def test_the_latest_file_and_report_replace_earlier_ones_and_rows_of_one_report_add_up() -> None:
    rows = [
        item(delivered_quantity=100.0),  # an old file
        item(
            source_file_id=10,
            framework_item_id=2,
            reported_on=date(2024, 6, 1),
            delivered_quantity=50.0,
        ),
        item(source_file_id=10, framework_item_id=3, source_row=6, delivered_quantity=300.0),
        item(
            source_file_id=10,
            framework_item_id=4,
            source_row=7,
            delivered_quantity=200.0,
            allocated_quantity=600.0,
            product_name="Meropenem Kabi 1g",
        ),
    ]
    outcome = stk06(*rows)
    assert outcome.evaluated == 1
    [finding] = outcome.findings
    # the 01/07 report of file 10: 300 + 200 of 1,200 + 600 allocated; 900 due, 500 < 720
    assert (finding.evidence["delivered"], finding.evidence["allocated"]) == (500.0, 1800.0)
    assert finding.evidence["expected"] == 900.0
    assert (finding.evidence["source_row"], finding.subject_key) == (6, KEY)


def test_each_facility_and_identity_is_its_own_subject_keyed_without_database_ids() -> None:
    outcome = stk06(
        item(),
        item(framework_item_id=2, facility_id=2, facility="Trung tâm Y tế huyện Nam Đàn"),
        item(framework_item_id=3, identity_key=None, product_name="Tienam 500mg"),
    )
    assert sorted(f.subject_key for f in outcome.findings) == [
        f"{NUMBER}:1:Tienam 500mg", KEY, f"{NUMBER}:2:{MEROPENEM}"
    ]  # fmt: skip


def test_a_very_long_key_is_cut_to_what_a_flag_stores_and_stays_distinct() -> None:
    long_a, long_b = subject_key(NUMBER, 1, "x" * 400), subject_key(NUMBER, 1, "x" * 399 + "y")
    assert len(long_a) == len(long_b) == 300 and long_a != long_b
    assert subject_key(NUMBER, 1, MEROPENEM) == KEY


def test_no_framework_data_is_nothing_to_judge() -> None:
    outcome = run("STK-06", data=RuleData(awards=frames.awards(frames.line())))
    assert (outcome.evaluated, outcome.findings, sum(outcome.not_applicable.values())) == (0, [], 0)


def test_share_must_be_a_share() -> None:
    with pytest.raises(PackError, match="share must be above 0"):
        run("STK-06", data=RuleData(awards=frames.awards(frames.line())), share=1.5)


def _database_item(session: Session, file_name: str, delivered: float, reported: date) -> None:
    """Store a delivery report of the hospital's allocation, as the framework import does."""
    source = SourceFile(
        sha256=file_name.ljust(64, "0"),
        name=file_name,
        kind="framework-agreements",
        file_format="xlsx",
        size_bytes=1,
        uploaded_by="test",
    )
    hospital = session.scalar(select(Buyer).where(Buyer.name_key == "bvdk nghe an"))
    if hospital is None:
        hospital = Buyer(name=HOSPITAL, name_key="bvdk nghe an")
    supplier = session.scalar(select(Supplier)) or Supplier(name=SUPPLIER, name_key="cpc2")
    agreement = FrameworkAgreement(
        agreement_number=NUMBER, valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31)
    )
    session.add_all([source, hospital, supplier])
    session.flush()
    agreement.source_file_id, agreement.supplier_id = source.id, supplier.id
    agreement.items.append(
        FrameworkItem(
            source_row=5,
            product_name="Meronem 1g",
            identity_key=MEROPENEM,
            price=182500.0,
            unit="Lọ",
            buyer_id=hospital.id,
            allocated_quantity=1200.0,
            delivered_quantity=delivered,
            reported_on=reported,
        )
    )
    session.add(agreement)


def test_the_flag_opens_and_closes_itself_when_deliveries_catch_up(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session, session.begin():
        _database_item(session, "giao-hang-07.xlsx", 400.0, date(2024, 7, 1))
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-06"}, as_of=date(2024, 7, 1))
    assert (report.code, report.evaluated, report.new, report.closed) == ("STK-06", 1, 1, 0)
    with sessions() as session:
        [flag] = session.scalars(select(Flag)).all()
        hospital = session.scalar(select(Buyer))
        assert (flag.subject_type, flag.subject_key, flag.status, flag.active) == (
            "framework_item",
            KEY,
            "open",
            True,
        )
        assert (flag.buyer_id, flag.year, flag.severity) == (hospital.id, 2024, "medium")
        assert flag.evidence["expected"] == 600.0
        assert flag.evidence["period"] == "2024-07-01"
    # The August report: 700 of 1,200 x 214 / 366 = 701.6 due, above 80% of it (561.3).
    with sessions() as session, session.begin():
        _database_item(session, "giao-hang-08.xlsx", 700.0, date(2024, 8, 1))
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-06"}, as_of=date(2024, 8, 5))
    assert (report.evaluated, report.new, report.closed) == (1, 0, 1)
    with sessions() as session:
        [flag] = session.scalars(select(Flag)).all()
        assert (flag.status, flag.active) == ("closed", False)
