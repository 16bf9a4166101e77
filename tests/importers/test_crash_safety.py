"""A process killed mid-import leaves no line of the file, and the next import succeeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.models import AwardLine, SourceFile
from tests.importers.published import PARACETAMOL, hospital_list, save_xlsx

LINES = 12_000
CHILD = """
import sys
import importers.pipeline
from importers.run import import_file
from procurement.db import session_factory

importers.pipeline.CHUNK_SIZE = 1000

def progress(rows):
    print(f"rows {rows}", flush=True)
    if rows >= 2000:
        sys.stdin.readline()  # wait inside the open transaction until the parent kills us

import_file(sys.argv[1], session_factory(sys.argv[2]), progress=progress)
print("finished", flush=True)
"""


def _big_list(tmp_path: Path) -> Path:
    lines = [replace(PARACETAMOL, quantity=1000 + i) for i in range(LINES)]
    return save_xlsx(tmp_path / "big.xlsx", {"DS": hospital_list({"I": lines})})


def test_sigkill_mid_import_writes_nothing(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    path = _big_list(tmp_path)
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), db_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    ) as child:
        assert child.stdout is not None
        written = 0
        while written < 2000:  # two chunks written inside the still-open transaction
            line = child.stdout.readline()
            assert line.startswith("rows "), line
            written = int(line.split()[1])
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AwardLine)) == 0
        assert session.scalar(select(func.count()).select_from(SourceFile)) == 0
    outcome = import_file(path, sessions)
    assert (outcome.status, outcome.tally.accepted) == ("imported", LINES)
