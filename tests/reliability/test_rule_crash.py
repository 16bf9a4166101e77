"""A rule run killed mid-way (SIGKILL) leaves no flag and no history, and the next check succeeds.

The child runs `procurement check` over a generated market and stops inside its transaction once
two rules have stored their flags (it prints how many flags it sees, then waits on stdin); the
parent kills it there. The run is one transaction, so nothing of it may remain; its run record
stays "running" until the next run of the job, which marks it failed as interrupted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from procurement.cli import main
from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import Flag, FlagHistory
from procurement.models.schedule import FAILED, MANUAL, RUNNING, SUCCEEDED, JobRun
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules

LINES = 3000
HOLD_AFTER = 2  # rules that have stored new flags when the child stops and waits
CHILD = f"""
import sys
from sqlalchemy import func, select
import rules.engine.runner as runner
from procurement.cli import main
from procurement.models import Flag, FlagHistory

real = runner.store_outcome
stored = []

def store_outcome(session, code, *args, **kwargs):
    counts = real(session, code, *args, **kwargs)
    if counts.new:
        stored.append(code)
    if len(stored) == {HOLD_AFTER} and stored[-1] == code:
        flags = session.scalar(select(func.count()).select_from(Flag))
        history = session.scalar(select(func.count()).select_from(FlagHistory))
        print(f"stored {{flags}} {{history}}", flush=True)
        sys.stdin.readline()  # wait inside the open transaction until the parent kills us
    return counts

runner.store_outcome = store_outcome
main(["check"])
"""

Snapshot = tuple[set[tuple[object, ...]], list[tuple[object, ...]]]


def _snapshot(session: Session) -> Snapshot:
    """Return the flags (what a user sees of them) and the history events, without ids or times."""
    flags = set(
        tuple(row)
        for row in session.execute(
            select(
                Flag.fingerprint, Flag.rule, Flag.severity, Flag.status, Flag.active,
                Flag.subject_key, Flag.observed, Flag.benchmark, Flag.message_en,
            )
        )
    )  # fmt: skip
    history = sorted(
        tuple(row)
        for row in session.execute(
            select(Flag.fingerprint, FlagHistory.event, FlagHistory.to_status).join(
                Flag, Flag.id == FlagHistory.flag_id
            )
        )
    )
    return flags, history


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        flags = session.scalar(select(func.count()).select_from(Flag)) or 0
        history = session.scalar(select(func.count()).select_from(FlagHistory)) or 0
    return flags, history


def _wait_for_postgres_to_notice(sessions: sessionmaker[Session]) -> None:
    """Wait until the server has ended the killed child's sessions (and freed its lock)."""
    deadline = time.monotonic() + 30
    with sessions() as session:
        if session.get_bind().dialect.name != "postgresql":
            return
        while time.monotonic() < deadline:
            held = session.scalar(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
            )
            session.rollback()
            if not held:
                return
            time.sleep(0.05)
    raise AssertionError("the killed check still holds its lock after 30 s")


def test_sigkill_mid_check_writes_no_flag_and_the_next_check_matches_an_uninterrupted_one(
    db_url: str, sessions: sessionmaker[Session], runner: CliRunner
) -> None:
    with sessions() as session, session.begin():
        store_lines(session, "market.xlsx", award_lines(seed=11, n=LINES))
    with sessions() as session:
        run_rules(session, load_pack())
        uninterrupted = _snapshot(session)
        session.rollback()
    assert len(uninterrupted[0]) > 10 and _counts(sessions) == (0, 0)

    with subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PROCUREMENT_DATABASE_URL": db_url},
    ) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("stored "), line
        seen_flags, seen_history = map(int, line.split()[1:])
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    assert seen_flags > 0 and seen_history >= seen_flags  # written, inside the transaction

    _wait_for_postgres_to_notice(sessions)
    assert _counts(sessions) == (0, 0)
    with sessions() as session:
        killed = session.scalars(select(JobRun)).one()
        assert (killed.trigger, killed.status, killed.finished_at) == (MANUAL, RUNNING, None)
        killed_id = killed.id

    second = runner.invoke(main, ["check"])
    assert second.exit_code == 0, second.output
    with sessions() as session:
        assert _snapshot(session) == uninterrupted
        runs = {run.id: run for run in session.scalars(select(JobRun))}
    assert runs[killed_id].status == FAILED and runs[killed_id].finished_at is not None
    assert "interrupted" in (runs[killed_id].error or "")
    assert [run.status for run_id, run in runs.items() if run_id != killed_id] == [SUCCEEDED]
