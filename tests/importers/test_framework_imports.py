"""Framework agreements through the same importer: headers in either language, withdrawal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import Buyer, FrameworkAgreement, FrameworkItem, Supplier
from procurement.services.permissions import CLI
from procurement.services.source_files import import_withdraw
from rules.engine.data import load_frameworks
from tests.importers.files import write_csv, write_xlsx_shared

CENTRE = "Trung tâm Mua sắm tập trung thuốc Quốc gia"

VIETNAMESE = [
    ["TRUNG TÂM MUA SẮM TẬP TRUNG THUỐC QUỐC GIA"],
    ["DANH SÁCH THỎA THUẬN KHUNG VÀ PHÂN BỔ SỐ LƯỢNG CHO CƠ SỞ Y TẾ"],
    [],
    [
        "STT",
        "Số thỏa thuận khung",
        "Tên thuốc",
        "Tên hoạt chất",
        "Nồng độ, hàm lượng",
        "Dạng bào chế",
        "Đơn vị tính",
        "SĐK hoặc GPNK",
        "Nhóm TCKT",
        "Nhà thầu",
        "Đơn giá",
        "Hiệu lực từ",
        "Hiệu lực đến",
        "Cơ sở y tế",
        "Số lượng phân bổ",
        "Số lượng đã giao",
    ],
    [
        1,
        "12/2024/TTK-TTMS",
        "Meronem",
        "Meropenem",
        "1g",
        "Bột pha tiêm",
        "Lọ",
        "VN-12345-20",
        "N1",
        "Công ty CP Dược liệu Trung ương 2",
        "182.500",
        "01/06/2024",
        "31/05/2026",
        "Bệnh viện Đa khoa tỉnh Nghệ An",
        "2.000",
        "750",
    ],
    [
        2,
        "12/2024/TTK-TTMS",
        "Meronem",
        "Meropenem",
        "1g",
        "Bột pha tiêm",
        "Lọ",
        "VN-12345-20",
        "N1",
        "Công ty CP Dược liệu Trung ương 2",
        "182.500",
        "01/06/2024",
        "31/05/2026",
        "Bệnh viện Bạch Mai",
        "5.000",
        None,
    ],
    [
        3,
        "15/2024/TTK-TTMS",
        "Ceftriaxone Panpharma",
        "Ceftriaxon",
        "1g",
        "Bột pha tiêm",
        "Lọ",
        "VN-22222-21",
        "N1",
        "Công ty TNHH Zuellig Pharma Việt Nam",
        "24.500",
        "01/07/2024",
        "30/06/2027",
        "Bệnh viện Đa khoa tỉnh Nghệ An",
        "3.000",
        "0",
    ],
    ["Tổng cộng", None, None, None, None, None, None, None, None, None, None, None, None, None,
     "10.000", None],
]  # fmt: skip


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_vietnamese_headers_create_agreements_items_and_allocations(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    path = write_xlsx_shared(tmp_path / "ttk.xlsx", {"TTK": VIETNAMESE})
    outcome = import_file(path, sessions, kind="framework-agreements", settings={"holder": CENTRE})
    assert outcome.status == "imported", outcome.refusal
    assert (outcome.profile, outcome.tally.accepted, outcome.tally.rejected) == (
        "framework-agreements",
        3,
        0,
    )
    with sessions() as session:
        agreements = session.scalars(
            select(FrameworkAgreement).order_by(FrameworkAgreement.agreement_number)
        ).all()
        suppliers = {s.id: s.name for s in session.scalars(select(Supplier))}
        buyers = {b.id: b.name for b in session.scalars(select(Buyer))}
        items = session.scalars(select(FrameworkItem).order_by(FrameworkItem.source_row)).all()
    assert [
        (a.agreement_number, suppliers[a.supplier_id], a.valid_from, a.valid_to, buyers[a.buyer_id])
        for a in agreements
    ] == [
        ("12/2024/TTK-TTMS", "Công ty CP Dược liệu Trung ương 2", date(2024, 6, 1),
         date(2026, 5, 31), CENTRE),
        ("15/2024/TTK-TTMS", "Công ty TNHH Zuellig Pharma Việt Nam", date(2024, 7, 1),
         date(2027, 6, 30), CENTRE),
    ]  # fmt: skip
    by_number = {a.id: a.agreement_number for a in agreements}
    assert [
        (
            by_number[i.agreement_id], i.source_row, i.product_name, i.registration_number,
            i.drug_group, i.unit, i.price, i.currency, i.standard_unit, buyers[i.buyer_id],
            i.allocated_quantity, i.delivered_quantity,
        )
        for i in items
    ] == [
        ("12/2024/TTK-TTMS", 5, "Meronem", "VN-12345-20", "N1", "Lọ", 182500.0, "VND", "vial",
         "Bệnh viện Đa khoa tỉnh Nghệ An", 2000.0, 750.0),
        ("12/2024/TTK-TTMS", 6, "Meronem", "VN-12345-20", "N1", "Lọ", 182500.0, "VND", "vial",
         "Bệnh viện Bạch Mai", 5000.0, None),
        ("15/2024/TTK-TTMS", 7, "Ceftriaxone Panpharma", "VN-22222-21", "N1", "Lọ", 24500.0,
         "VND", "vial", "Bệnh viện Đa khoa tỉnh Nghệ An", 3000.0, 0.0),
    ]  # fmt: skip
    assert items[0].identity_key.startswith("meropenem|1000mg|")
    assert items[0].standard_unit_price == 182500.0


def test_english_headers_and_the_frame_rules_read(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = [
        ["Agreement number", "Active ingredient", "Strength", "Dosage form", "Unit", "Supplier",
         "Price", "Valid from", "Valid to", "Facility", "Allocated quantity",
         "Delivered quantity", "Purchasing centre"],
        ["FA-2025-07", "Insulin human", "100IU/ml", "Solution for injection", "Vial",
         "Novo Nordisk Pharma", "95000", "2025-01-01", "2027-12-31", "Cho Ray Hospital", "800",
         "120", "National Centre for Centralized Drug Procurement"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "framework.csv", rows)
    outcome = import_file(path, sessions, kind="framework-agreements")
    assert (outcome.tally.accepted, outcome.tally.rejected) == (1, 0)
    with sessions() as session:
        frame = load_frameworks(session)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (
        row["agreement_number"], row["supplier"], row["holder"], row["facility"], row["price"],
        row["allocated_quantity"], row["delivered_quantity"], row["source_file"], row["source_row"],
    ) == ("FA-2025-07", "Novo Nordisk Pharma", "National Centre for Centralized Drug Procurement",
          "Cho Ray Hospital", 95000.0, 800.0, 120.0, "framework.csv", 2)  # fmt: skip
    assert (row["valid_from"], row["valid_to"]) == (
        pd.Timestamp(2025, 1, 1),
        pd.Timestamp(2027, 12, 31),
    )
    assert row["identity_key"].startswith("insulin human|")
    assert {"holder_id", "supplier_id", "facility_id", "standard_unit", "identity_key"} <= set(
        frame.columns
    )


def test_a_row_without_an_agreement_number_or_validity_is_rejected(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = [
        ["Số thỏa thuận khung", "Tên hoạt chất", "Nhà thầu", "Đơn giá", "Hiệu lực từ",
         "Hiệu lực đến"],
        ["TTK-1", "Meropenem", "Công ty A", "100", "01/01/2025", "31/12/2025"],
        [None, "Meropenem", "Công ty A", "100", "01/01/2025", "31/12/2025"],
        ["TTK-1", "Imipenem", "Công ty A", "200", "01/01/2025", None],
    ]  # fmt: skip
    path = write_xlsx_shared(tmp_path / "ttk.xlsx", {"TTK": rows})
    outcome = import_file(path, sessions, kind="framework-agreements")
    assert (outcome.tally.accepted, outcome.tally.rejected) == (1, 2)
    assert {e.field for e in outcome.first_errors} == {"agreement_number", "valid_to"}


def test_withdraw_removes_agreements_and_their_items(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    path = write_xlsx_shared(tmp_path / "ttk.xlsx", {"TTK": VIETNAMESE})
    outcome = import_file(path, sessions, kind="framework-agreements")
    with sessions() as session:
        removed = import_withdraw(session, CLI, outcome.source_file_id)
        session.commit()
    assert removed["framework_agreements"] == 2
    with sessions() as session:
        assert (_count(session, FrameworkAgreement), _count(session, FrameworkItem)) == (0, 0)
        assert load_frameworks(session).empty
        again = import_withdraw(session, CLI, outcome.source_file_id)
    assert again["framework_agreements"] == 0
    reimported = import_file(path, sessions, kind="framework-agreements")
    assert (reimported.status, reimported.tally.accepted) == ("imported", 3)
