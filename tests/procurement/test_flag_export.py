"""The auditor's Excel export of the queue's filter: two sheets, typed and formatted cells."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.models import Flag
from procurement.services.flag_filters import FlagFilters
from procurement.services.flag_list import flag_export
from procurement.services.permissions import Forbidden
from tests.procurement.flag_world import AUDITOR, OFFICER, add_flag, market, small_world


def test_the_export_has_flags_and_evidence_with_excel_formats(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as session, session.begin():
        market(session)
    path = tmp_path / "flags.xlsx"
    with sessions() as session:
        count = flag_export(
            session, AUDITOR, FlagFilters(rule="PRC-02"), path, "-id", {"PRC-02": "Far above"}
        )
        flags = session.scalars(
            select(Flag).where(Flag.rule == "PRC-02").order_by(Flag.id.desc())
        ).all()
        evidence_count = sum(len(f.evidence) for f in flags)
    assert count == len(flags) > 0
    book = load_workbook(path)
    assert book.sheetnames == ["Flags", "Evidence"]
    sheet = book["Flags"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["flag_id", "rule", "rule_title", "family"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{count + 1}"
    assert sheet.column_dimensions["K"].width >= 30  # buyer names are long
    row = dict(zip(header, [c for c in sheet[2]], strict=True))
    assert row["flag_id"].value == flags[0].id and row["rule_title"].value == "Far above"
    assert row["unit_price"].number_format in ("#,##0", "#,##0.##")
    assert isinstance(row["decision_date"].value, datetime)  # openpyxl reads dates back so
    assert row["decision_date"].number_format == "dd/mm/yyyy"
    assert row["first_seen"].number_format == "dd/mm/yyyy"
    evidence = book["Evidence"]
    assert [c.value for c in evidence[1]] == ["flag_id", "rule", "key", "value", "kind"]
    assert evidence.max_row == evidence_count + 1 and evidence.freeze_panes == "A2"
    by_key = {r[2].value: r[3] for r in evidence.iter_rows(min_row=2, max_row=40)}
    assert by_key["peer_count"].number_format == "#,##0"
    assert by_key["window_from"].number_format == "dd/mm/yyyy"
    assert by_key["window_from"].value.date() == date.fromisoformat(
        flags[0].evidence["window_from"][:10]
    )


def test_the_export_follows_the_filter_and_neutralizes_formulas(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as session, session.begin():
        small_world(session)
        add_flag(session, "DQ-01", message_vi='=HYPERLINK("http://evil")', severity="low")
    path = tmp_path / "low.xlsx"
    with sessions() as session:
        assert flag_export(session, AUDITOR, FlagFilters(severity="low"), path) == 2
    sheet = load_workbook(path)["Flags"]
    header = [c.value for c in sheet[1]]
    messages = [r[header.index("message_vi")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in messages


def test_an_officer_may_not_export_flags(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with sessions() as session, pytest.raises(Forbidden):
        flag_export(session, OFFICER, FlagFilters(), tmp_path / "x.xlsx")
