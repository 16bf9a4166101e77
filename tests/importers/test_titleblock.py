"""Facts read from the title block above the table."""

from __future__ import annotations

import unicodedata
from datetime import date

from importers.titleblock import read_title_block
from tests.importers.published import hospital_list


def test_buyer_decision_and_tender_come_from_the_letterhead() -> None:
    grid = hospital_list()
    facts = read_title_block(grid.rows[:7])
    assert facts["buyer"] == "BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN"
    assert facts["province"] == "Nghệ An"
    assert facts["decision_number"] == "215/QĐ-BV"
    assert facts["decision_date"] == date(2025, 3, 15)
    assert facts["tender_code"] == "IB2500012345"
    assert facts["tender_name"] == "Cung cấp thuốc generic năm 2025"


def test_decision_date_in_words_and_nfd_text() -> None:
    line = unicodedata.normalize(
        "NFD", "Kèm theo Quyết định số 1024/QĐ-SYT ngày 2 tháng 9 năm 2024 của Sở Y tế"
    )
    facts = read_title_block([["SỞ Y TẾ TỈNH THANH HÓA"], [line]])
    assert facts["decision_number"] == "1024/QĐ-SYT"
    assert facts["decision_date"] == date(2024, 9, 2)
    assert facts["buyer"] == "SỞ Y TẾ TỈNH THANH HÓA"
    assert facts["province"] == "Thanh Hóa"


def test_reference_list_title_names_the_list_and_its_circular() -> None:
    rows = [
        ["DANH MỤC THUỐC CHỈ CHẤP NHẬN THẦU CỦA CƠ SỞ SẢN XUẤT TRONG NƯỚC"],
        ["(Ban hành kèm theo Thông tư số 03/2024/TT-BYT ngày 16/04/2024)"],
    ]
    facts = read_title_block(rows)
    assert facts["list_type"] == "domestic-only"
    assert facts["legal_basis"] == "03/2024/TT-BYT"
    assert facts["effective_date"] == date(2024, 4, 16)
    assert "decision_number" not in facts


def test_no_title_block_gives_no_facts() -> None:
    assert read_title_block([]) == {}


def test_stock_report_title_gives_the_facility_and_the_month() -> None:
    rows = [
        ["SỞ Y TẾ NGHỆ AN"],
        ["TRUNG TÂM Y TẾ HUYỆN NAM ĐÀN"],
        [unicodedata.normalize("NFD", "BÁO CÁO XUẤT NHẬP TỒN VẮC XIN THÁNG 7/2026")],
    ]
    facts = read_title_block(rows)
    assert (facts["facility"], facts["period"]) == (
        "TRUNG TÂM Y TẾ HUYỆN NAM ĐÀN",
        date(2026, 7, 1),
    )
    assert read_title_block([["Kỳ báo cáo: 12/2025"]])["period"] == date(2025, 12, 1)


def test_a_decision_dated_in_words_is_not_a_report_month() -> None:
    line = "Báo cáo kèm theo Quyết định số 12/QĐ-TTYT ngày 5 tháng 3 năm 2026"
    assert "period" not in read_title_block([[line]])
    assert "period" not in read_title_block([["Báo cáo tháng 13 năm 2026"]])
