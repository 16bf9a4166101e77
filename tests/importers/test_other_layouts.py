"""Other layouts and languages through profiles written by a user, CSV and .xls, no code change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import AwardLine, Buyer, Manufacturer, Product, Supplier, Tender
from tests.importers.files import write_csv, write_xls, write_xlsx_shared

ENGLISH_PROFILE = """
name: mozambique-cmam
kind: awards
columns:
  product_name: ["Item description"]
  unit_price: ["Unit cost (USD)"]
  quantity: ["Qty awarded"]
  supplier: ["Vendor name"]
  manufacturer: ["Manufacturer address"]
numbers: {decimal: ".", thousands: ","}
sentinels: ["Date Not Captured", "n/k"]
currency: USD
fixed: {buyer: "Central de Medicamentos e Artigos Médicos", province: "Maputo"}
extract:
  - {field: country, from: "Manufacturer address", pattern: ',\\s*([^,]+)$'}
compose_dates:
  - {field: decision_date, year: "Award year", month: "Award month"}
values:
  procedure: {"ICB": open_bidding, "Direct": direct_appointment}
"""

ENGLISH_ROWS = [
    [
        "Item description",
        "Active ingredient",
        "Strength",
        "Dosage form",
        "Qty awarded",
        "Unit cost (USD)",
        "Vendor name",
        "Manufacturer address",
        "Award year",
        "Award month",
        "Procedure",
        "Tender ID",
    ],
    [
        "Amoxicillin 500mg caps",
        "Amoxicillin",
        "500 mg",
        "Capsule",
        "1,200,000",
        "0.021",
        "IDA Foundation",
        "Aurobindo Pharma, Hyderabad, India",
        "2024",
        "7",
        "ICB",
        "CMAM-24-01",
    ],
    [
        "Paracetamol 500mg tabs",
        "Paracetamol",
        "500mg",
        "Tablet",
        "3,500,000",
        "0.0042",
        "Missionpharma",
        "Medopharm, Chennai, India",
        "2024",
        "n/k",
        "ICB",
        "CMAM-24-01",
    ],
    [
        "Oxytocin 10IU/ml",
        "Oxytocin",
        "10 IU/ml",
        "Solution for injection",
        "250,000",
        "0.19",
        "UNICEF SD",
        "Gedeon Richter, Budapest, Hungary",
        "2025",
        "2",
        "Direct",
        "CMAM-25-07",
    ],
]


def test_an_english_export_imports_through_a_users_profile(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    profile = tmp_path / "cmam.yaml"
    profile.write_text(ENGLISH_PROFILE, encoding="utf-8")
    path = write_csv(tmp_path / "awards.csv", ENGLISH_ROWS, encoding="utf-8", delimiter=";")
    outcome = import_file(path, sessions, profile=profile)
    tally = outcome.tally
    assert (tally.accepted, tally.rejected, tally.skipped) == (2, 1, 1)
    assert tally.rows_read == len(ENGLISH_ROWS)
    error = outcome.first_errors[0]
    assert (error.row_number, error.field, error.type) == (3, "decision_date", "missing-value")
    with sessions() as session:
        lines = session.scalars(select(AwardLine).order_by(AwardLine.source_row)).all()
        assert [(line.quantity, line.unit_price, line.currency) for line in lines] == [
            (1_200_000, 0.021, "USD"),
            (250_000, 0.19, "USD"),
        ]
        assert [line.decision_date for line in lines] == [date(2024, 7, 1), date(2025, 2, 1)]
        countries = set(session.scalars(select(Manufacturer.country)))
        assert countries == {"India", "Hungary"}
        origins = set(session.scalars(select(Product.origin)))
        assert origins == {"imported"}
        buyer = session.scalars(select(Buyer)).one()
        assert (buyer.name, buyer.province) == (
            "Central de Medicamentos e Artigos Médicos",
            "Maputo",
        )
        procedures = set(session.scalars(select(Tender.procedure)))
        assert procedures == {"open_bidding", "direct_appointment"}


SOCIAL_SECURITY = [
    [
        "ten",
        "hoatchat",
        "hamluong",
        "dangbaoche",
        "duongdung",
        "donggoi",
        "sodk",
        "nhasx",
        "nuocsx",
        "donvitinh",
        "soluong",
        "gia",
        "thanhtien",
        "tennhathau",
        "quyetdinh",
        "nhomthau",
        "goithau",
        "ten_cskcb",
        "ten_tinh",
    ],
    [
        "Cefuroxim 500",
        "Cefuroxim",
        "500mg",
        "Viên nén bao phim",
        "Uống",
        "Hộp 2 vỉ x 5 viên",
        "VD-23345-15",
        "Công ty CP Pymepharco",
        "Việt Nam",
        "Viên",
        "20000",
        "3150",
        "63000000",
        "Công ty CP Dược phẩm Trung ương CPC1",
        "512/QĐ-BVĐK ngày 03/06/2024",
        "N4",
        "Gói thầu thuốc generic",
        "Bệnh viện Đa khoa tỉnh Đắk Lắk",
        "Đắk Lắk",
    ],
]


def test_a_cp1258_social_security_csv_picks_its_profile_and_splits_the_decision(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    path = write_csv(tmp_path / "bhxh.csv", SOCIAL_SECURITY, encoding="cp1258")
    outcome = import_file(path, sessions)
    assert (outcome.status, outcome.profile, outcome.tally.accepted) == (
        "imported",
        "social-security",
        1,
    )
    with sessions() as session:
        tender = session.scalars(select(Tender)).one()
        supplier = session.scalars(select(Supplier)).one()
        product = session.scalars(select(Product)).one()
    assert (tender.decision_number, tender.decision_date) == ("512/QĐ-BVĐK", date(2024, 6, 3))
    assert supplier.name == "Công ty CP Dược phẩm Trung ương CPC1"
    assert (product.origin, product.units_per_pack) == ("domestic", 10)


PORTAL_HEADER = [
    "STT",
    "Mã TBMT",
    "Chủ đầu tư",
    "Hình thức LCNT",
    "Số quyết định",
    "Ngày ban hành quyết định",
    "Số nhà thầu tham dự",
    "Hoạt chất",
    "Hàm lượng",
    "SĐK/GPNK",
    "Xuất xứ",
    "ĐVT",
    "SL trúng thầu",
    "Giá trúng thầu (VNĐ)",
    "Tên nhà thầu trúng thầu",
]


def _portal_rows() -> list[list[object]]:
    return [
        PORTAL_HEADER,
        [
            1,
            "IB2400001",
            "Bệnh viện Chợ Rẫy",
            "DTRR",
            "88/QĐ-BVCR",
            date(2024, 2, 1),
            4,
            "Meropenem",
            "1g",
            "VN-11111-20",
            "Ý",
            "Lọ",
            500,
            "185.000",
            "Công ty CP Vimedimex",
        ],
        [
            2,
            "IB2400002",
            "Trung tâm Y tế huyện Quỳnh Lưu",
            "CDT",
            "12/QĐ-TTYT",
            "15/03/2024",
            1,
            "Metformin",
            "850mg",
            "893110045678",
            "Việt Nam",
            "Viên",
            30000,
            420,
            "Công ty CP Dược Hậu Giang",
        ],
    ]


def test_portal_export_in_xls_and_xlsx_reads_the_same(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = _portal_rows()
    xls = write_xls(tmp_path / "portal.xls", {"2024": rows})
    xlsx = write_xlsx_shared(tmp_path / "portal.xlsx", {"2024": rows})
    results = []
    for path in (xls, xlsx):
        outcome = import_file(path, sessions)
        assert (outcome.profile, outcome.tally.accepted, outcome.tally.rejected) == (
            "national-portal",
            2,
            0,
        )
        with sessions() as session:
            results.append(
                sorted(
                    session.execute(
                        select(
                            Buyer.name,
                            Buyer.level,
                            Tender.procedure,
                            Tender.decision_date,
                            Tender.bidder_count,
                            AwardLine.unit_price,
                        )
                        .join(Tender, AwardLine.tender_id == Tender.id)
                        .join(Buyer, Tender.buyer_id == Buyer.id)
                        .where(AwardLine.source_file_id == outcome.source_file_id)
                    ).all()
                )
            )
    assert results[0] == results[1]
    assert results[0] == [
        ("Bệnh viện Chợ Rẫy", "central", "open_bidding", date(2024, 2, 1), 4, 185000),
        (
            "Trung tâm Y tế huyện Quỳnh Lưu",
            "district",
            "direct_appointment",
            date(2024, 3, 15),
            1,
            420,
        ),
    ]
