"""The scheduler driven by a controlled clock: when it fires, what it catches up, what it survives.

No test sleeps: the clock is a ManualClock, and the loop's sleeps move its hands.
"""

from __future__ import annotations

import os
import signal
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from procurement.models.schedule import CATCH_UP, FAILED, SCHEDULED, SUCCEEDED, JobRun
from procurement.scheduler.clock import ManualClock
from procurement.scheduler.jobs import JOBS
from procurement.scheduler.loop import Scheduler, latest_fire_time
from procurement.scheduler.runs import JobRunner
from tests.procurement.scheduler_world import HCM, CountingJob, config, failing_job, runs


def _hcm(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=HCM)


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC; PostgreSQL an aware time."""
    return None if moment is None else moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)


@pytest.fixture
def stock(monkeypatch: pytest.MonkeyPatch) -> CountingJob:
    job = CountingJob()
    monkeypatch.setitem(JOBS, "stock", job)
    return job


def test_stock_fires_at_six_in_ho_chi_minh_once_and_again_the_next_day(
    sessions: sessionmaker[Session], stock: CountingJob
) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 22, 0, tzinfo=UTC))  # 05:00 on 2 March in HCM
    scheduler = Scheduler(JobRunner(sessions, config(stock="0 6 * * *")), clock)
    clock.set(datetime(2026, 3, 1, 22, 59, tzinfo=UTC))  # 05:59 in Ho Chi Minh City
    assert scheduler.tick() == []
    clock.set(datetime(2026, 3, 1, 23, 0, tzinfo=UTC))  # 06:00 in Ho Chi Minh City
    [first] = scheduler.tick()
    assert (first.status, first.trigger) == (SUCCEEDED, SCHEDULED)
    clock.advance(seconds=30)
    assert scheduler.tick() == []
    clock.set(datetime(2026, 3, 2, 22, 59, 59, tzinfo=UTC))
    assert scheduler.tick() == []
    clock.set(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
    assert [r.status for r in scheduler.tick()] == [SUCCEEDED]
    assert stock.days == [date(2026, 3, 2), date(2026, 3, 3)]  # the day in Ho Chi Minh City
    recorded = runs(sessions)
    assert [_utc(r.scheduled_for) for r in recorded] == [
        datetime(2026, 3, 1, 23, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 23, 0, tzinfo=UTC),
    ]
    run = recorded[0]
    assert (run.job, run.trigger, run.status) == ("stock", SCHEDULED, SUCCEEDED)
    assert (run.new, run.unchanged, run.updated, run.closed) == (2, 1, 0, 1)
    assert run.host is not None and run.host.endswith(f":{os.getpid()}")
    assert run.finished_at is not None and run.error is None


def test_several_fire_times_passed_while_busy_make_one_run(
    sessions: sessionmaker[Session], stock: CountingJob
) -> None:
    clock = ManualClock(_hcm(2, 5, 0))
    scheduler = Scheduler(JobRunner(sessions, config(stock="*/10 * * * *")), clock)
    clock.set(_hcm(2, 5, 45))  # 05:00 .. 05:40 passed during a long run
    [result] = scheduler.tick()
    assert result.scheduled_for == _hcm(2, 5, 40)
    assert scheduler.next_fire["stock"] == _hcm(2, 5, 50)


@pytest.mark.parametrize("days_down", [1, 3], ids=["down-since-yesterday", "down-three-days"])
def test_a_missed_run_runs_once_at_start(
    sessions: sessionmaker[Session], stock: CountingJob, days_down: int
) -> None:
    with sessions() as session, session.begin():
        last = _hcm(10 - days_down, 6).astimezone(UTC)  # stored times are UTC
        session.add(JobRun(job="stock", trigger=SCHEDULED, scheduled_for=last, status=SUCCEEDED))
    runner = JobRunner(sessions, config(stock="0 6 * * *"))
    clock = ManualClock(_hcm(10, 9))  # the process starts at 09:00
    [caught] = Scheduler(runner, clock).catch_up()
    assert (caught.status, caught.trigger) == (SUCCEEDED, CATCH_UP)
    assert caught.scheduled_for == _hcm(10, 6)
    clock.set(_hcm(10, 9, 5))  # started again five minutes later
    again = Scheduler(runner, clock)
    assert again.catch_up() == []
    assert again.tick() == []
    assert stock.days == [date(2026, 3, 10)]
    assert [(r.trigger, _utc(r.scheduled_for)) for r in runs(sessions)][-1] == (
        CATCH_UP,
        _hcm(10, 6).astimezone(UTC),
    )
    assert len(runs(sessions)) == 2


def test_a_failing_job_is_recorded_and_the_other_job_still_runs(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    full = CountingJob()
    monkeypatch.setitem(JOBS, "stock", failing_job)
    monkeypatch.setitem(JOBS, "full", full)
    clock = ManualClock(_hcm(2, 5))
    scheduler = Scheduler(JobRunner(sessions, config(stock="0 6 * * *", full="0 6 * * *")), clock)
    clock.set(_hcm(2, 6))
    results = scheduler.tick()
    assert [(r.job, r.status) for r in results] == [("stock", FAILED), ("full", SUCCEEDED)]
    failed = runs(sessions, "stock")[0]
    assert failed.status == FAILED and failed.finished_at is not None
    assert failed.error is not None
    assert failed.error.startswith("ZeroDivisionError: months of stock over no consumption")
    assert "Traceback" in failed.error and "failing_job" in failed.error
    assert (failed.new, failed.closed) == (0, 0)
    assert full.days == [date(2026, 3, 2)]
    clock.set(_hcm(3, 6))  # the scheduler is still alive the next morning
    assert [(r.job, r.status) for r in scheduler.tick()] == [("stock", FAILED), ("full", SUCCEEDED)]


def test_run_forever_sleeps_to_the_next_fire_time_and_stops_on_sigterm(
    sessions: sessionmaker[Session], stock: CountingJob
) -> None:
    lines: list[str] = []
    with sessions() as session, session.begin():
        yesterday = _hcm(1, 6).astimezone(UTC)
        session.add(JobRun(job="stock", trigger=SCHEDULED, scheduled_for=yesterday))
    clock = ManualClock(_hcm(2, 5, 58, 30))

    def echo(line: str) -> None:
        lines.append(line)
        os.kill(os.getpid(), signal.SIGTERM)  # systemd stopping the service after the run

    before = signal.getsignal(signal.SIGTERM)
    Scheduler(JobRunner(sessions, config(stock="0 6 * * *")), clock, echo).run_forever()
    assert clock.slept[:2] == [60.0, 30.0]  # never more than a minute, then to 06:00 exactly
    assert len(lines) == 1 and lines[0].startswith("stock (schedule, 2026-03-02 06:00): succeeded")
    assert stock.days == [date(2026, 3, 2)]
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is put back


def test_latest_fire_time_looks_back_as_far_as_the_cron_needs() -> None:
    monthly = config(m="0 6 1 * *").jobs[0].trigger(HCM)
    assert latest_fire_time(monthly, _hcm(20, 9)) == _hcm(1, 6)
    daily = config(d="0 6 * * *").jobs[0].trigger(HCM)
    assert latest_fire_time(daily, _hcm(2, 6)) == _hcm(2, 6)
    assert latest_fire_time(daily, _hcm(2, 6) - timedelta(microseconds=1)) == _hcm(1, 6)
