"""Run one job once: take its lock, skip a fire time already run, record, execute, alert.

The order matters. The check "has (job, fire time) already run?" is made while holding the
job's lock, so a second scheduler that wakes for the same 06:00 either finds the lock taken or,
once it is free, finds the first one's record; the unique (job, scheduled_for) constraint backs
this up. The record is committed before the job starts, so the admin page (and a refused
manual check) can say what is running and since when. A job that raises is recorded as failed
with its error and a short traceback; the exception stops there, so the scheduler goes on. A
process killed mid-run leaves its record "running" (its transaction, flags included, is rolled
back); the next run of that job, holding the lock, marks it failed as interrupted.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from procurement.models.base import utcnow
from procurement.models.schedule import FAILED, RUNNING, SUCCEEDED, JobRun
from procurement.scheduler.alerts import send_alerts
from procurement.scheduler.config import SchedulerConfig
from procurement.scheduler.jobs import JOBS, JobContext
from procurement.scheduler.lock import job_lock, process_name
from rules.engine.runner import RuleReport

SKIPPED = "skipped"  # never stored: the fire time had already run
ERROR_LIMIT = 4000
INTERRUPTED = "interrupted: its process ended before the run did (killed, or the machine stopped)"


@dataclass
class RunResult:
    """What one attempt to run a job did, for the command line and the tests."""

    job: str
    trigger: str
    scheduled_for: datetime | None
    status: str
    run_id: int | None = None
    reports: Sequence[RuleReport] = field(default_factory=list)
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    closed: int = 0
    alerts: str | None = None
    error: str | None = None
    seconds: float = 0.0

    def line(self, timezone: tzinfo = UTC) -> str:
        """Return the one line the scheduler prints for this run."""
        when = _local(self.scheduled_for, timezone) if self.scheduled_for else "now"
        head = f"{self.job} ({self.trigger}, {when}): {self.status}"
        if self.status == SKIPPED:
            return f"{head}, already run"
        if self.status == FAILED:
            return f"{head}: {(self.error or '').splitlines()[0]}"
        counts = (
            f"{self.new:,} new, {self.unchanged:,} unchanged, {self.updated:,} updated, "
            f"{self.closed:,} closed in {self.seconds:.1f} s"
        )
        return f"{head}, {counts}" + (f"; {self.alerts}" if self.alerts else "")


@dataclass
class JobRunner:
    """Runs jobs against one database with one configuration and rule pack."""

    sessions: sessionmaker[Session]
    config: SchedulerConfig = field(default_factory=SchedulerConfig)
    pack_path: str | None = None

    @property
    def engine(self) -> Engine:
        """Return the engine the sessions are bound to (the lock needs its own connection)."""
        bind = self.sessions.kw["bind"]
        assert isinstance(bind, Engine)
        return bind

    def run(
        self,
        job: str,
        trigger: str,
        scheduled_for: datetime | None,
        as_of: date,
        codes: frozenset[str] | None = None,
        since: date | None = None,
    ) -> RunResult:
        """Run the job unless its fire time already ran; raise LockBusy if it is running."""
        if job not in JOBS:
            raise ValueError(f"unknown job {job!r} (known: {', '.join(sorted(JOBS))})")
        fire = scheduled_for.astimezone(UTC) if scheduled_for is not None else None
        lease = timedelta(hours=self.config.lease_hours)
        with job_lock(self.engine, job, lease):
            if fire is not None and self.already_ran(job, fire):
                return RunResult(job, trigger, fire, SKIPPED)
            try:
                run_id = self._record_start(job, trigger, fire)
            except IntegrityError:  # recorded between our check and insert: not ours to run
                return RunResult(job, trigger, fire, SKIPPED)
            result = RunResult(job, trigger, fire, RUNNING, run_id)
            try:
                self._execute(result, JobContext(self._pack(), as_of, codes, since))
            except BaseException as exc:  # Ctrl-C mid-run: leave a record, not "running" forever
                result.status, result.error = FAILED, error_text(exc)
                self._record_end(result)
                raise
            self._record_end(result)
        return result

    def already_ran(self, job: str, fire: datetime) -> bool:
        """Return whether a run for this fire time is recorded (whatever its outcome)."""
        fire = fire.astimezone(UTC)  # SQLite keeps no zone: every stored time is UTC
        with self.sessions() as session:
            found = session.scalar(
                select(JobRun.id).where(JobRun.job == job, JobRun.scheduled_for == fire)
            )
        return found is not None

    def _pack(self):  # type: ignore[no-untyped-def]
        from rules.engine.pack import load_pack

        return load_pack(self.pack_path)  # each run reads the pack: an edit needs no restart

    def _record_start(self, job: str, trigger: str, fire: datetime | None) -> int:
        with self.sessions() as session, session.begin():
            # we hold the job's lock, so a run of it still "running" is one whose process died
            session.execute(
                update(JobRun)
                .where(JobRun.job == job, JobRun.status == RUNNING)
                .values(status=FAILED, finished_at=utcnow(), error=INTERRUPTED)
            )
            run = JobRun(
                job=job,
                trigger=trigger,
                scheduled_for=fire,
                started_at=utcnow(),
                status=RUNNING,
                host=process_name(),
            )
            session.add(run)
            session.flush()
            return run.id

    def _execute(self, result: RunResult, context: JobContext) -> None:
        """Run the job in one transaction; on success send the alerts for the flags it opened."""
        started = utcnow()
        try:
            with self.sessions() as session, session.begin():
                reports = list(JOBS[result.job](session, context))
        except Exception as exc:
            result.status, result.error = FAILED, error_text(exc)
            return
        finally:
            result.seconds = (utcnow() - started).total_seconds()
        result.status, result.reports = SUCCEEDED, reports
        for name in ("new", "unchanged", "updated", "closed"):
            setattr(result, name, sum(getattr(r, name) for r in reports))
        if self.config.alerts.any_channel:
            with self.sessions() as session:
                result.alerts = send_alerts(session, self.config.alerts, started)

    def _record_end(self, result: RunResult) -> None:
        with self.sessions() as session, session.begin():
            run = session.get_one(JobRun, result.run_id)
            run.status, run.finished_at = result.status, utcnow()
            run.new, run.unchanged = result.new, result.unchanged
            run.updated, run.closed = result.updated, result.closed
            run.alerts, run.error = result.alerts, result.error


def error_text(exc: BaseException) -> str:
    """Return the exception's type and message, then the last frames of its traceback."""
    head = f"{type(exc).__name__}: {exc}"
    frames = "".join(traceback.format_exception(exc, limit=-4))
    return f"{head}\n\n{frames}"[:ERROR_LIMIT]


def _local(moment: datetime, timezone: tzinfo) -> str:
    return f"{moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(timezone):%Y-%m-%d %H:%M}"
