"""Stock reports through the same importer: a Vietnamese monthly report with its title block,
an English logistics export with year and month columns, identity matching, and refusals."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import Buyer, Product, RowErrorRecord, StockItem, StockReport
from procurement.normalize import item_identity
from procurement.services.permissions import CLI
from procurement.services.source_files import import_withdraw
from rules.engine.data import load_stock
from tests.importers.files import write_csv, write_xlsx_shared

FACILITY = "TRUNG TÂM Y TẾ HUYỆN NAM ĐÀN"
HEADER = [
    "STT", "Mã thuốc", "Tên thuốc", "Hoạt chất", "Hàm lượng", "Dạng bào chế", "Đơn vị tính",
    "Số lô", "Hạn dùng", "Tồn đầu kỳ", "Nhập trong kỳ", "Xuất trong kỳ", "Hư hao, điều chỉnh",
    "Tồn cuối kỳ", "Số ngày hết hàng",
]  # fmt: skip


def _report(month: int, *rows: list[object]) -> list[list[object]]:
    """A district health centre's monthly report: letterhead, title, header, rows, total."""
    return [
        ["SỞ Y TẾ NGHỆ AN"],
        [FACILITY],
        [f"BÁO CÁO XUẤT NHẬP TỒN THUỐC THÁNG {month} NĂM 2026"],
        [],
        HEADER,
        list(range(1, len(HEADER) + 1)),  # the numbering row under the header
        *rows,
        ["", "Tổng cộng", *[""] * 11, "1.310", ""],
        [],
        ["Người lập biểu", "", "", "", "", "", "", "", "", "Giám đốc"],
    ]


PARACETAMOL = [1, "T001", "Hapacol 500", "Paracetamol", "500mg", "Viên nén", "Viên", "L01",
               "31/12/2027", "1.000", "500", "1.200", "0", "300", "0"]  # fmt: skip
VACCINE = [2, "V001", unicodedata.normalize("NFD", "Vắc xin Sởi-Rubella"), "Vắc xin sởi, rubella",
           "", "Bột đông khô", "Liều", "", "", "0", "0", "0", "", "0", "31"]  # fmt: skip
BAD = [3, "T002", "Amoxicillin 500", "Amoxicillin", "500mg", "Viên nang", "Viên", "", "", "1.000",
       "mười", "0", "", "1.010", ""]  # fmt: skip
LOT_A = [4, "T003", "Oresol", "Natri clorid", "", "Thuốc bột", "Gói", "A1", "30/11/2026", "200",
         "0", "100", "-10", "90", "0"]  # fmt: skip
LOT_B = [5, "T003", "Oresol", "Natri clorid", "", "Thuốc bột", "Gói", "B7", "31/05/2027", "0",
         "500", "0", "", "500", "0"]  # fmt: skip


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_vietnamese_monthly_report_with_lots_title_block_and_a_bad_row(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = _report(10, PARACETAMOL, VACCINE, BAD, LOT_A, LOT_B)
    path = write_xlsx_shared(tmp_path / "xnt-10-2026.xlsx", {"XNT": rows})
    outcome = import_file(path, sessions, kind="stock-reports")
    assert outcome.status == "imported", outcome.refusal
    assert outcome.profile == "stock-report"
    assert (outcome.tally.accepted, outcome.tally.rejected) == (4, 1)
    error = outcome.first_errors[0]
    assert (error.row_number, error.column, error.field, error.cell) == (9, "K", "received", "mười")
    frame = load_stock_sorted(sessions)
    assert frame["facility"].unique().tolist() == [FACILITY]
    assert frame["period"].dt.date.unique().tolist() == [date(2026, 10, 1)]
    balances = frame[["product_code", "lot_number", "opening", "received", "issued", "adjustments",
                      "closing", "stockout_days"]].astype(object)  # fmt: skip
    assert balances.where(balances.notna(), None).values.tolist() == [
        ["T001", "L01", 1000.0, 500.0, 1200.0, 0.0, 300.0, 0.0],
        ["T003", "A1", 200.0, 0.0, 100.0, -10.0, 90.0, 0.0],
        ["T003", "B7", 0.0, 500.0, 0.0, None, 500.0, 0.0],
        ["V001", None, 0.0, 0.0, 0.0, None, 0.0, 31.0],
    ]  # fmt: skip
    expiry = frame.set_index("lot_number")["expiry_date"].dropna().dt.date.to_dict()
    assert expiry == {"L01": date(2027, 12, 31), "A1": date(2026, 11, 30), "B7": date(2027, 5, 31)}
    categories = dict(zip(frame["product_code"], frame["category"], strict=True))
    assert (categories["V001"], categories["T001"]) == ("vaccine", "medicine")
    with sessions() as session:
        stored = session.scalars(select(RowErrorRecord)).one()
    assert stored.original["Nhập trong kỳ"] == "mười"  # the officer's cell, beside the reason


def load_stock_sorted(sessions: sessionmaker[Session]):  # type: ignore[no-untyped-def]
    with sessions() as session:
        frame = load_stock(session)
    return frame.sort_values(["product_code", "lot_number"], na_position="last").reset_index(
        drop=True
    )


def _known_product(session: Session, registration: str, ingredient: str, strength: str,
                   form: str) -> str:  # fmt: skip
    identity = item_identity(ingredient, strength, form)
    session.add(
        Product(
            product_key=registration,
            registration_number=registration,
            name=ingredient,
            active_ingredients=ingredient,
            identity_key=identity["identity_key"],
            origin="domestic",
            origin_reason="registration-vd",
        )
    )
    return str(identity["identity_key"])


def test_items_match_identities_by_registration_then_by_name_strength_and_form(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session, session.begin():
        para = _known_product(session, "VD-12345-19", "Paracetamol", "500mg", "Viên nén")
        amox = _known_product(session, "VD-55555-20", "Amoxicillin", "500mg", "Viên nang")
    header = ["Cơ sở y tế", "Kỳ báo cáo", "Mã thuốc", "Tên thuốc", "Hoạt chất", "Hàm lượng",
              "Dạng bào chế", "SĐK", "Tồn cuối kỳ", "Xuất trong kỳ"]  # fmt: skip
    rows = [
        header,
        ["TTYT Nam Đàn", "10/2026", "A", "Panadol", "", "", "", "VD-12345-19", "10", "5"],
        ["TTYT Nam Đàn", "10/2026", "B", "Amoxicillin", "AMOXICILLIN", "500 mg", "viên nang cứng",
         "", "20", "5"],
        ["TTYT Nam Đàn", "10/2026", "X-9", "Thuốc lạ", "Zzz", "1mg", "Viên", "", "0", "0"],
        ["TTYT Thanh Chương", "10/2026", "PARA", "Hapacol", "Paracetamol", "500mg", "Viên nén",
         "", "7", "1"],
    ]  # fmt: skip
    outcome = import_file(write_csv(tmp_path / "stock.csv", rows), sessions, kind="stock-reports")
    assert outcome.status == "imported", outcome.refusal
    assert outcome.unmatched == [("X-9", "Thuốc lạ")]
    with sessions() as session:
        items = {i.product_code: i for i in session.scalars(select(StockItem))}
    assert (items["A"].identity_key, items["A"].matched_by) == (para, "registration")
    assert (items["B"].identity_key, items["B"].matched_by) == (amox, "identity")
    assert (items["X-9"].identity_key, items["X-9"].item_key) == (None, "code:x 9")
    # another facility's file names paracetamol differently: one item, one stock series key
    assert "PARA" not in items
    frame = load_stock_sorted(sessions)
    assert sorted(frame.loc[frame["item_key"] == f"identity:{para}", "facility"]) == [
        "TTYT Nam Đàn",
        "TTYT Thanh Chương",
    ]


LMIS_HEADER = [
    "year", "month", "region", "district", "site_code", "product_code", "stock_initial",
    "stock_received", "stock_distributed", "stock_adjustment", "stock_end",
    "average_monthly_consumption", "stock_stockout_days", "stock_ordered",
]  # fmt: skip


def test_english_logistics_export_builds_the_period_from_year_and_month(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    """Two months of one site differ only in the month column: neither is a duplicate."""
    same = ["ABIDJAN 2", "COCODY", "C4001", "AS27134", "100", "20", "70", "0", "50", "65", "0"]
    rows = [LMIS_HEADER, [2019, 5, *same, "30"], [2019, 6, *same, "30"], [2019, 6, *same, "30"]]
    outcome = import_file(write_csv(tmp_path / "lmis.csv", rows), sessions, kind="stock-reports")
    assert outcome.status == "imported", outcome.refusal
    assert outcome.profile == "logistics-monthly"
    assert (outcome.tally.accepted, outcome.tally.duplicates) == (2, 1)
    frame = load_stock_sorted(sessions).sort_values("period")
    assert frame["period"].dt.date.tolist() == [date(2019, 5, 1), date(2019, 6, 1)]
    assert frame[["facility", "product_code", "amc_reported", "on_order"]].values.tolist() == [
        ["C4001", "AS27134", 65.0, 30.0],
        ["C4001", "AS27134", 65.0, 30.0],
    ]
    assert outcome.unmatched == [("AS27134", None)]


def test_a_report_without_closing_balances_is_refused_whole(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    rows = [["Cơ sở y tế", "Kỳ báo cáo", "Mã thuốc", "Tên thuốc", "Xuất trong kỳ"],
            ["TTYT Nam Đàn", "10/2026", "A", "Panadol", "5"]]  # fmt: skip
    outcome = import_file(
        write_csv(tmp_path / "no-closing.csv", rows), sessions, kind="stock-reports"
    )
    assert outcome.status == "refused"
    assert outcome.refusal is not None and "closing" in outcome.refusal.note_en
    assert "Tồn cuối kỳ" in outcome.refusal.note_vi
    with sessions() as session:
        assert (_count(session, StockReport), _count(session, Buyer)) == (0, 0)


def test_withdrawing_a_stock_report_removes_its_rows(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    path = write_xlsx_shared(tmp_path / "xnt.xlsx", {"XNT": _report(9, PARACETAMOL)})
    outcome = import_file(path, sessions, kind="stock-reports")
    assert outcome.source_file_id is not None
    with sessions() as session, session.begin():
        removed = import_withdraw(session, CLI, outcome.source_file_id)
    assert removed["stock_reports"] == 1
    with sessions() as session:
        assert _count(session, StockReport) == 0
        assert load_stock(session).empty
