"""DOM-01..03 on imported files: the frames load_rule_data gives, and flags stored from them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import Flag
from rules.domestic import (  # noqa: F401  (registers DOM-01..03)
    dom01_share_below_target,
    dom02_imported_despite_domestic,
    dom03_domestic_only_list,
)
from rules.engine.pack import parse_pack
from rules.engine.runner import run_rules
from tests.importers.files import write_xlsx_shared
from tests.importers.published import AUGMENTIN, PARACETAMOL, hospital_list, save_xlsx

PACK = {
    "rules": {"DOM-01": {}, "DOM-02": {}, "DOM-03": {}},
    "targets": {"domestic_share": {"nation": {"value": 0.7, "quantity": 0.8}}},
}
LIST = [
    ["DANH MỤC THUỐC CHỈ CHẤP NHẬN THẦU CỦA CƠ SỞ SẢN XUẤT TRONG NƯỚC"],
    ["(Ban hành kèm theo Thông tư số 03/2024/TT-BYT ngày 16/04/2024)"],
    [],
    ["STT", "Tên hoạt chất", "Nồng độ, hàm lượng", "Đường dùng, dạng bào chế", "Đơn vị tính",
     "Nhóm TCKT"],
    [1, "Amoxicilin + Acid clavulanic", "875mg + 125mg", "Uống, viên nén bao phim", "Viên", "BDG"],
]  # fmt: skip


def test_domestic_rules_flag_imported_files(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    cheap_domestic = replace(PARACETAMOL, quantity=700, price=100, planned=120)
    dear_import = replace(AUGMENTIN, ingredient="Paracetamol", strength="500mg", form="Viên nén",
                          group="G1N4", quantity=300, price=150, planned=160)  # fmt: skip
    augmentin = replace(AUGMENTIN, quantity=500, price=100, planned=120)
    grid = hospital_list({"I": [cheap_domestic, dear_import, augmentin]})
    assert import_file(save_xlsx(tmp_path / "bv.xlsx", {"DS": grid}), sessions).status == (
        "imported"
    )  # fmt: skip
    listed = import_file(write_xlsx_shared(tmp_path / "tt03.xlsx", {"DM": LIST}), sessions,
                         kind="reference-list")  # fmt: skip
    assert listed.status == "imported"
    with sessions() as session, session.begin():
        reports = run_rules(session, parse_pack(PACK, "test"))
    assert [(r.code, r.evaluated, r.new) for r in reports] == [
        ("DOM-01", 3, 3), ("DOM-02", 2, 1), ("DOM-03", 2, 1),
    ]  # fmt: skip
    with sessions() as session:
        flags = {f.rule + " " + f.subject_type: f for f in session.scalars(select(Flag))}
    share = flags["DOM-01 buyer_year"]
    assert share.evidence["value_share"] == 70_000 / (70_000 + 45_000 + 50_000)
    assert share.evidence["short_of"] == ["value", "quantity"]
    assert flags["DOM-02 award_line"].evidence["domestic_price"] == 100
    assert flags["DOM-02 award_line"].evidence["domestic_decision_date"] == "2025-03-15T00:00:00"
    dom03 = flags["DOM-03 award_line"]
    assert dom03.evidence["list_effective_date"] == "2024-04-16T00:00:00"
    assert dom03.evidence["list_item_group"] == "BDG"
