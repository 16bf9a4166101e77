"""DQ-01: an award line missing a key field, or a file missing one on most of its lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import Flag
from rules.engine.pack import PackError, load_pack, parse_pack
from rules.engine.runner import run_rules
from rules.quality.dq01_missing_fields import MissingFieldsParams
from tests.importers.files import write_csv
from tests.rules.frames import context, line, run

# A complete line of the same file: with it, one incomplete line is half the file, well below
# file_share, so it is judged as a line.
COMPLETE = {"product_id": 99, "line_id": 999}


def test_fires_naming_the_missing_fields_in_order() -> None:
    outcome = run(
        "DQ-01",
        line(supplier=None, supplier_id=None, country="  ", line_id=501),
        line(product_id=2),
    )
    assert (outcome.evaluated, len(outcome.findings), outcome.not_applicable) == (3, 1, {})
    finding = outcome.findings[0]
    assert finding.evidence["missing_fields"] == ["supplier", "country"]
    assert (finding.line_id, finding.buyer_id, finding.year) == (501, 1, 2025)
    assert (finding.observed, finding.test) == (2.0, "key field missing")
    assert finding.message_en == (
        "Row 10 of ket-qua.xlsx (Hapacol 500) is missing: supplier, country of manufacture."
    )
    assert finding.message_vi == (
        "Dòng 10 tệp ket-qua.xlsx (Hapacol 500) thiếu: nhà thầu trúng thầu, nước sản xuất."
    )


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({"registration_number": ""}, ["registration_number"]),
        ({"registration_number": None, "country": None}, ["registration_number", "country"]),
        ({"buyer": None}, ["buyer"]),
        ({"unit_price": float("nan"), "amount": 0.0}, ["unit_price"]),
        ({"unit_price": 0.0, "quantity": 0.0}, []),
        ({"country": "Việt Nam"}, []),
    ],
    ids=["blank-registration", "no-registration-no-country", "no-buyer", "no-price",
         "zero-price-and-quantity-are-not-missing", "complete-near-miss"],
)  # fmt: skip
def test_what_counts_as_missing(values: dict[str, object], missing: list[str]) -> None:
    outcome = run("DQ-01", line(**values), line(**COMPLETE))
    assert [f.evidence["missing_fields"] for f in outcome.findings] == (
        [missing] if missing else []
    )


def test_fields_parameter_limits_the_check() -> None:
    rows = (line(country=None, supplier=None, supplier_id=None), line(**COMPLETE))
    outcome = run("DQ-01", *rows, fields=["country"])
    assert [f.evidence["missing_fields"] for f in outcome.findings] == [["country"]]
    assert run("DQ-01", line(country=None), line(**COMPLETE), fields=["supplier"]).findings == []


def test_fields_from_yaml_become_a_tuple_and_unknown_fields_fail() -> None:
    assert context("DQ-01", fields=["supplier", "country"]).params.fields == ("supplier", "country")
    with pytest.raises(ValueError, match="unknown award-line field"):
        context("DQ-01", fields=["suplier"])


def test_a_line_without_a_decision_date_has_no_year() -> None:
    outcome = run("DQ-01", line(country=None, decision_date=None), line(**COMPLETE))
    assert [f.year for f in outcome.findings] == [None]


def test_a_line_without_a_supplier_keeps_a_stable_key() -> None:
    outcome = run("DQ-01", line(supplier=None, supplier_id=None), line(**COMPLETE))
    assert outcome.findings[0].subject_key == "line:1:1:-"


def _file(count: int, file_id: int = 7, name: str = "bv-a.xlsx", **values: Any) -> list[dict]:
    """`count` lines of one file in row order, line and product ids 701, 702, ... for file 7."""
    return [
        line(source_file_id=file_id, source_file=name, product_id=file_id * 100 + n,
             line_id=file_id * 100 + n, product_name=f"Thuốc {n}", **values)
        for n in range(1, count + 1)
    ]  # fmt: skip


def test_a_file_without_a_country_column_is_one_finding_not_one_per_line() -> None:
    rows = _file(10, country=None)
    rows[4]["supplier"], rows[4]["supplier_id"] = None, None  # a gap of its own on row 14
    outcome = run("DQ-01", *rows)
    assert outcome.evaluated == 11  # ten lines and one file
    assert [f.subject_type for f in outcome.findings] == ["source_file", "award_line"]
    file, own = outcome.findings
    assert (file.subject_key, file.line_id, file.buyer_id, file.year) == ("file:7", None, 1, 2025)
    assert (file.observed, file.benchmark) == (1.0, 0.9)
    assert file.test == "field missing on >= file_share of a file's lines"
    assert file.evidence == {
        "source_file_id": 7, "source_file": "bv-a.xlsx", "buyer": "Bệnh viện Đa khoa tỉnh Nghệ An",
        "year": 2025, "file_lines": 10, "fields": ["country"], "file_share": 0.9,
        "missing": {"country": {"missing_lines": 10, "share": 1.0, "examples": [
            {"source_sheet": "DS", "source_row": 10, "product": "Thuốc 1"},
            {"source_sheet": "DS", "source_row": 11, "product": "Thuốc 2"},
            {"source_sheet": "DS", "source_row": 12, "product": "Thuốc 3"},
        ]}},
    }  # fmt: skip
    assert file.message_en == (
        "File bv-a.xlsx lacks the country of manufacture on 10 of 10 lines (100.0%): it has no "
        "such column or leaves it nearly empty, so the file is flagged once instead of line by "
        "line."
    )
    assert file.message_vi == (
        "Tệp bv-a.xlsx thiếu nước sản xuất ở 10/10 dòng (100,0%): tệp không có cột này hoặc để "
        "trống gần hết, nên cảnh báo một lần cho cả tệp thay vì từng dòng."
    )
    assert (own.line_id, own.evidence["missing_fields"]) == (705, ["supplier"])
    assert own.evidence["source_row"] == 14


@pytest.mark.parametrize(
    ("missing", "file_findings", "line_findings"),
    [(9, 1, 0), (8, 0, 8)],
    ids=["nine-of-ten-is-the-file", "eight-of-ten-near-miss-flags-each-line"],
)
def test_file_share_threshold(missing: int, file_findings: int, line_findings: int) -> None:
    rows = _file(10)
    for row in rows[:missing]:
        row["registration_number"] = None
    outcome = run("DQ-01", *rows)
    kinds = [f.subject_type for f in outcome.findings]
    assert (kinds.count("source_file"), kinds.count("award_line")) == (file_findings, line_findings)
    if file_findings:
        file = outcome.findings[0]
        assert file.observed == 0.9
        assert file.evidence["missing"]["registration_number"]["missing_lines"] == 9
        assert "on 9 of 10 lines (90.0%)" in file.message_en


def test_a_file_lacking_two_columns_names_both_and_other_files_keep_their_line_findings() -> None:
    rows = _file(4, registration_number=" ", country=None)
    rows[1].update(buyer_id=2, buyer="Bệnh viện B")
    rows[2]["decision_date"] = date(2024, 12, 30)
    other = _file(2, file_id=8, name="bv-b.xlsx")
    other[0]["country"] = None
    outcome = run("DQ-01", *rows, *other)
    assert outcome.evaluated == 8  # six lines and two files
    assert [(f.subject_type, f.subject_key) for f in outcome.findings] == [
        ("source_file", "file:7"), ("award_line", "line:1:801:1"),
    ]  # fmt: skip
    file = outcome.findings[0]
    assert (file.buyer_id, file.year) == (None, None)  # two buyers, two years
    assert (file.evidence["buyer"], file.evidence["year"]) == (None, None)
    assert file.evidence["fields"] == ["registration_number", "country"]
    assert file.evidence["missing"]["country"]["missing_lines"] == 4
    assert file.message_en == (
        "File bv-a.xlsx lacks the registration number on 4 of 4 lines (100.0%) and the country "
        "of manufacture on 4 of 4 lines (100.0%): it has no such columns or leaves them nearly "
        "empty, so the file is flagged once instead of line by line."
    )
    assert file.message_vi == (
        "Tệp bv-a.xlsx thiếu số đăng ký (SĐK/GPNK) ở 4/4 dòng (100,0%) và nước sản xuất ở 4/4 "
        "dòng (100,0%): tệp không có các cột này hoặc để trống gần hết, nên cảnh báo một lần "
        "cho cả tệp thay vì từng dòng."
    )
    assert outcome.findings[1].line_id == 801


def test_file_share_is_a_share_and_the_default_pack_sets_it() -> None:
    assert context("DQ-01").params.file_share == 0.9
    with pytest.raises(ValueError, match="file_share must be above 0 and at most 1"):
        context("DQ-01", file_share=0.0)
    with pytest.raises(PackError) as refused:
        parse_pack({"rules": {"DQ-01": {"params": {"file_share": 90}}}}, "mine.yaml")
    assert str(refused.value) == (
        "mine.yaml: rule DQ-01: key 'params': DQ-01: file_share must be above 0 and at most 1, "
        "got 90"
    )
    assert load_pack().rules["DQ-01"].params == MissingFieldsParams(file_share=0.9)


def test_an_imported_file_without_country_or_registration_columns_gives_one_flag(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    header = ["Tên thuốc", "Hoạt chất", "Nồng độ, hàm lượng", "Đơn vị tính", "Số lượng",
              "Đơn giá trúng thầu", "Nhà thầu trúng thầu"]  # fmt: skip
    rows = [
        [f"Thuốc {n}", "Paracetamol", f"{n}00mg", "Viên", 100, 500, "Công ty CP Dược Hậu Giang"]
        for n in range(1, 6)
    ]
    path = write_csv(tmp_path / "khong-xuat-xu.csv", [header, *rows])
    settings = {"buyer": "Bệnh viện Đa khoa tỉnh Nghệ An", "decision_date": "15/03/2025"}
    imported = import_file(path, sessions, settings=settings)
    assert imported.status == "imported"
    pack = parse_pack({"rules": {"DQ-01": {}}}, "test")
    for _ in range(2):
        with sessions() as session, session.begin():
            (report,) = run_rules(session, pack)
    assert (report.evaluated, report.new, report.unchanged) == (6, 0, 1)
    with sessions() as session:
        (flag,) = session.scalars(select(Flag)).all()
        assert (flag.subject_type, flag.subject_key) == (
            "source_file", f"file:{imported.source_file_id}",
        )  # fmt: skip
        assert (flag.line_id, flag.year, flag.rule_version) == (None, 2025, 2)
        assert flag.buyer_id is not None
        assert flag.evidence["fields"] == ["registration_number", "country"]
        assert flag.evidence["file_lines"] == 5
        assert flag.evidence["missing"]["country"]["missing_lines"] == 5
        assert flag.message_en.startswith(
            "File khong-xuat-xu.csv lacks the registration number on 5 of 5 lines (100.0%) and "
            "the country of manufacture on 5 of 5 lines (100.0%)"
        )
