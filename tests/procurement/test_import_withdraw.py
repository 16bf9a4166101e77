"""Withdrawing an import closes the flags on its lines and keeps the auditor's decisions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import Flag, FlagHistory
from procurement.models.flag import CLOSED, CONFIRMED
from procurement.services.permissions import CLI
from procurement.services.source_files import import_withdraw
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.importers.published import AUGMENTIN, PARACETAMOL, hospital_list, save_xlsx


def test_withdrawal_closes_open_flags_and_leaves_decided_ones_decided(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    lines = [replace(PARACETAMOL, price=420, planned=400), replace(AUGMENTIN, price=90, planned=80)]
    path = save_xlsx(tmp_path / "list.xlsx", {"DS": hospital_list({"I": lines})})
    outcome = import_file(path, sessions)
    with sessions() as session, session.begin():
        run_rules(session, load_pack(), codes={"PRC-01"})
        first, _ = session.scalars(select(Flag).order_by(Flag.id)).all()
        first.status = CONFIRMED
    with sessions() as session, session.begin():
        removed = import_withdraw(session, CLI, outcome.source_file_id)
    assert removed["flags_closed"] == 2
    with sessions() as session:
        flags = session.scalars(select(Flag).order_by(Flag.id)).all()
        assert [(f.status, f.active) for f in flags] == [(CONFIRMED, False), (CLOSED, False)]
        events = session.scalars(
            select(FlagHistory.event).where(FlagHistory.event == "source-withdrawn")
        ).all()
        assert len(events) == 2
