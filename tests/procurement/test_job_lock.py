"""The job lock: two schedulers run each fire time once; a manual check waits its turn.

The two schedulers are two processes (spawned, each with its own engine and connections), as
on a server where a second copy of the service was started by mistake. The job that wins blocks
until the other scheduler has tried the lock, so the test proves the lock, not luck in timing.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import socket
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.cli import main
from procurement.db import dispose_engines, session_factory
from procurement.migrate import upgrade
from procurement.models.base import utcnow
from procurement.models.schedule import MANUAL, RUNNING, SUCCEEDED, JobLock
from procurement.scheduler.jobs import JOBS, JobContext
from procurement.scheduler.lock import LockBusy, advisory_key, job_lock
from procurement.scheduler.runs import JobRunner
from rules.engine.runner import RuleReport
from tests.conftest import TEST_DATABASE_URL
from tests.procurement.scheduler_world import HCM, config, runs

FIRE = datetime(2026, 3, 2, 6, 0, tzinfo=HCM)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite file, whatever database the other tests use (the lease is SQLite's)."""
    url = f"sqlite:///{tmp_path / 'lease.sqlite3'}"
    upgrade(url)
    yield url
    dispose_engines()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    if request.param == "sqlite":
        return sqlite_url
    if not TEST_DATABASE_URL:
        pytest.skip("set PROCUREMENT_TEST_DATABASE_URL to test the PostgreSQL advisory lock")
    return str(request.getfixturevalue("db_url"))


def _scheduler_process(
    url: str, barrier: Any, tried: Any, executions: Any, results: Any
) -> None:  # pragma: no cover - runs in a spawned process
    """One scheduler: wake at 06:00 with the other, run (or not) the stock job, report."""
    from procurement.scheduler.clock import ManualClock
    from procurement.scheduler.loop import Scheduler

    def blocking(session: Session, context: JobContext) -> Sequence[RuleReport]:
        with executions.get_lock():
            executions.value += 1
        tried.wait(60)  # hold the lock until the other scheduler has tried to take it
        return []

    JOBS["stock"] = blocking
    clock = ManualClock(FIRE - timedelta(minutes=1))
    scheduler = Scheduler(JobRunner(session_factory(url), config(stock="0 6 * * *")), clock)
    clock.set(FIRE)
    barrier.wait(60)
    [result] = scheduler.tick()
    if result.status != SUCCEEDED:
        tried.set()
    results.put((result.status, result.error))


def test_two_schedulers_run_each_fire_time_once(any_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    barrier, tried = spawn.Barrier(2), spawn.Event()
    executions, results = spawn.Value("i", 0), spawn.Queue()
    processes = [
        spawn.Process(
            target=_scheduler_process, args=(any_url, barrier, tried, executions, results)
        )
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    assert [status for status, _ in outcomes] == ["busy", SUCCEEDED]
    assert re.fullmatch(  # the winner's run record says who and since when (real time)
        r"the stock check is already running since \d\d:\d\d on host \S+:\d+; "
        r"try again when it ends",
        outcomes[0][1],
    )
    assert executions.value == 1
    recorded = runs(session_factory(any_url))
    assert [(r.job, r.status) for r in recorded] == [("stock", SUCCEEDED)]


def test_a_held_lease_refuses_and_an_expired_one_is_taken_over(sqlite_url: str) -> None:
    sessions = session_factory(sqlite_url)
    now = utcnow()
    with sessions() as session, session.begin():
        session.add(
            JobLock(
                job="stock",
                holder="night-server:4242/0a1b2c3d",
                acquired_at=datetime(2026, 3, 1, 23, 15, tzinfo=UTC),  # 06:15 in Vietnam
                expires_at=now + timedelta(hours=1),
            )
        )
    engine = sessions.kw["bind"]
    with pytest.raises(LockBusy) as busy, job_lock(engine, "stock"):
        pass
    assert busy.value.sentence(HCM) == (
        "the stock check is already running since 06:15 on host night-server:4242; "
        "try again when it ends"
    )
    with job_lock(engine, "full"):  # another job's lock is another lock
        pass
    with sessions() as session, session.begin():
        session.get_one(JobLock, "stock").expires_at = now - timedelta(minutes=1)  # it died
    taken = []
    with job_lock(engine, "stock"):
        with sessions() as session:
            holder = session.scalar(select(JobLock.holder).where(JobLock.job == "stock"))
        taken.append(holder)
    assert taken[0] is not None and taken[0].startswith(f"{socket.gethostname()}:")
    with sessions() as session:  # released on the way out
        assert session.scalar(select(JobLock.job)) is None


def test_the_advisory_key_is_stable_across_processes_and_releases() -> None:
    # a key derived from Python's hash() would differ per process; a changed key would let an
    # old and a new release run the same job at once during an upgrade
    assert advisory_key("stock") == -3400774038124528475
    assert advisory_key("full") == -9085573406185760239


def test_a_manual_stock_check_while_the_scheduler_runs_it_exits_1(
    runner: CliRunner, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    inside, release = threading.Event(), threading.Event()

    def blocking(session: Session, context: JobContext) -> Sequence[RuleReport]:
        inside.set()
        release.wait(60)
        return []

    monkeypatch.setitem(JOBS, "stock", blocking)
    scheduled = threading.Thread(
        target=JobRunner(sessions, config(stock="0 6 * * *")).run,
        args=("stock", "schedule", FIRE, FIRE.date()),
    )
    scheduled.start()
    try:
        assert inside.wait(60)
        result = runner.invoke(main, ["check", "--stock"])
    finally:
        release.set()
        scheduled.join(60)
    [running] = [r for r in runs(sessions) if r.trigger == "schedule"]
    started = running.started_at.replace(tzinfo=running.started_at.tzinfo or UTC).astimezone(HCM)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"the stock check is already running since {started:%H:%M} on host "
        f"{socket.gethostname()}:{os.getpid()}; try again when it ends"
    )
    assert "Traceback" not in result.output
    assert running.status == SUCCEEDED
    assert [r.trigger for r in runs(sessions)] == ["schedule"]  # the refused check left no run
    again = runner.invoke(main, ["check", "--stock"])  # once it ended, the check runs
    assert again.exit_code == 0, again.output
    assert [(r.trigger, r.scheduled_for) for r in runs(sessions)][-1] == (MANUAL, None)
    assert RUNNING not in {r.status for r in runs(sessions)}
