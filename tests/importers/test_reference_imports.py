"""Reference prices and reference lists through the same importer and profiles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import ReferenceList, ReferenceListItem, ReferencePrice
from tests.importers.files import write_xlsx_shared


def test_reference_prices_with_sources_and_validity(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = [
        [
            "Tên hoạt chất",
            "Nồng độ, hàm lượng",
            "Dạng bào chế",
            "Đơn vị tính",
            "Giá tham chiếu (VND)",
            "Nguồn",
            "Hiệu lực từ",
            "Hiệu lực đến",
        ],
        [
            "Ceftriaxon",
            "1g",
            "Bột pha tiêm",
            "Lọ",
            "24.500",
            "Giá đàm phán quốc gia",
            date(2024, 1, 1),
            date(2025, 12, 31),
        ],
        [
            "Amoxicilin + Acid clavulanic",
            "875mg + 125mg",
            "Viên nén bao phim",
            "Viên",
            9800,
            "Giá tham khảo quốc tế",
            "01/01/2024",
            None,
        ],
    ]
    path = write_xlsx_shared(tmp_path / "gia.xlsx", {"Giá": rows})
    outcome = import_file(path, sessions, kind="reference-prices")
    assert (outcome.tally.accepted, outcome.tally.rejected) == (2, 0)
    with sessions() as session:
        prices = session.scalars(select(ReferencePrice).order_by(ReferencePrice.source_row)).all()
    assert [(p.price, p.price_source, p.valid_from, p.valid_to) for p in prices] == [
        (24500, "national-negotiated", date(2024, 1, 1), date(2025, 12, 31)),
        (9800, "international", date(2024, 1, 1), None),
    ]
    assert prices[0].identity_key.startswith("ceftriaxon|1000mg|")


def test_domestic_only_list_reads_its_type_and_circular_from_the_title(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = [
        ["DANH MỤC THUỐC CHỈ CHẤP NHẬN THẦU CỦA CƠ SỞ SẢN XUẤT TRONG NƯỚC"],
        ["(Ban hành kèm theo Thông tư số 03/2024/TT-BYT ngày 16/04/2024)"],
        [],
        [
            "STT",
            "Tên hoạt chất",
            "Nồng độ, hàm lượng",
            "Đường dùng, dạng bào chế",
            "Đơn vị tính",
            "Nhóm TCKT",
        ],
        [1, "Paracetamol", "500mg", "Uống, viên nén", "Viên", "N4"],
        [2, "Cefuroxim", "500mg", "Uống, viên nén bao phim", "Viên", "N4"],
    ]
    path = write_xlsx_shared(tmp_path / "tt03.xlsx", {"DM": rows})
    outcome = import_file(path, sessions, kind="reference-list")
    assert (outcome.profile, outcome.tally.accepted) == ("reference-list", 2)
    with sessions() as session:
        reference = session.scalars(select(ReferenceList)).one()
        items = session.scalars(select(ReferenceListItem)).all()
    assert (reference.list_type, reference.legal_basis, reference.effective_date) == (
        "domestic-only",
        "03/2024/TT-BYT",
        date(2024, 4, 16),
    )
    assert {(i.dosage_form, i.drug_group) for i in items} == {("tablet", "N4")}


def test_a_list_without_a_type_is_refused_until_it_is_given(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = [
        ["Tên hoạt chất", "Nồng độ, hàm lượng", "Dạng bào chế"],
        ["Insulin", "100IU/ml", "Dung dịch tiêm"],
    ]
    path = write_xlsx_shared(tmp_path / "list.xlsx", {"DM": rows})
    refused = import_file(path, sessions, kind="reference-list")
    assert refused.status == "refused"
    assert "--set list_type=" in refused.refusal.note_en
    outcome = import_file(
        path,
        sessions,
        kind="reference-list",
        settings={"list_type": "tập trung", "effective_date": "2024-05-01"},
    )
    assert outcome.tally.accepted == 1
    with sessions() as session:
        assert session.scalars(select(ReferenceList.list_type)).one() == "centralized"
