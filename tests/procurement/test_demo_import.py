"""`procurement demo`: the generated files go through the real importer, and only the rows
planted as bad are rejected, each at its recorded file and row."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from procurement.cli import main
from procurement.models import AwardLine, RowErrorRecord, SourceFile


def test_demo_imports_every_file_and_rejects_only_the_planted_rows(
    runner: CliRunner, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(main, ["demo", "--lines", "3000", "--out", str(out), "--keep"])
    assert result.exit_code == 0, result.output
    assert "REFUSED" not in result.output
    planted = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))["anomalies"]
    bad = {(a["keys"]["file"], int(a["keys"]["row"])) for a in planted if a["family"] == "IMPORT"}
    with sessions() as session:
        rejected = {
            tuple(row)
            for row in session.execute(
                select(SourceFile.name, RowErrorRecord.row_number).join(
                    SourceFile, RowErrorRecord.source_file_id == SourceFile.id
                )
            )
        }
        lines = session.scalar(select(func.count()).select_from(AwardLine))
        files = session.scalar(select(func.count()).select_from(SourceFile))
    assert rejected == bad
    assert files == len(list(out.glob("*.xls*"))) + len(list(out.glob("*.csv")))
    assert lines >= 2900
    assert "domestic share by value" in result.output
