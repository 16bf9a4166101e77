"""The scheduler's record for administrators: each job run, newest first, and the schedules.

Runs are read a page at a time from `job_run` (procurement.models.JobRun). The schedules come
from the scheduler's configuration (procurement.scheduler.config) with each job's next fire
time, so an administrator sees both what ran and what will; a configuration that does not load
is reported as its sentence, not as an error page, since the runs are still worth reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procurement.models import JobRun
from procurement.services.permissions import Actor, authorize

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class RunRow:
    """One run as the page lists it."""

    id: int
    job: str
    trigger: str
    scheduled_for: datetime | None
    started_at: datetime
    finished_at: datetime | None
    status: str
    new: int
    unchanged: int
    updated: int
    closed: int
    alerts: str | None
    error: str | None
    host: str | None

    @property
    def seconds(self) -> float | None:
        """Return how long the run took, None while it runs."""
        if self.finished_at is None:
            return None
        return (_aware(self.finished_at) - _aware(self.started_at)).total_seconds()


@dataclass(frozen=True)
class RunsPage:
    """A page of runs, newest first."""

    rows: list[RunRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """Return how many pages the runs span (at least one)."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class ScheduleRow:
    """A configured job: its cron expression, whether it fires, and when next."""

    job: str
    cron: str
    enabled: bool
    next_run: datetime | None


@dataclass(frozen=True)
class Schedules:
    """The configured schedules, where they come from, or why they could not be read."""

    rows: list[ScheduleRow]
    timezone: str | None
    source: str | None
    problem: str | None = None


def job_runs(session: Session, actor: Actor, page: int = 1, page_size: int = 50) -> RunsPage:
    """Return one page of the scheduler's runs, newest first."""
    authorize("scheduler.view", actor)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    total = int(session.scalar(select(func.count()).select_from(JobRun)) or 0)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    runs = session.scalars(
        select(JobRun)
        .order_by(JobRun.started_at.desc(), JobRun.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = [
        RunRow(
            r.id,
            r.job,
            r.trigger,
            r.scheduled_for,
            r.started_at,
            r.finished_at,
            r.status,
            r.new or 0,
            r.unchanged or 0,
            r.updated or 0,
            r.closed or 0,
            r.alerts,
            r.error,
            r.host,
        )
        for r in runs
    ]
    return RunsPage(rows, total, page, page_size)


def job_schedules(actor: Actor, now: datetime | None = None) -> Schedules | None:
    """Return the configured schedules with their next fire time; None without a scheduler."""
    authorize("scheduler.view", actor)
    try:
        from procurement.scheduler.config import ConfigError, load_config
    except ImportError:  # a build without the scheduler
        return None
    try:
        config = load_config()
    except ConfigError as exc:
        return Schedules([], None, None, str(exc))
    moment = (now or datetime.now(UTC)).astimezone(config.timezone)
    rows = []
    for job in config.jobs:
        upcoming = (
            job.trigger(config.timezone).get_next_fire_time(None, moment) if job.enabled else None
        )
        rows.append(ScheduleRow(job.name, job.cron, job.enabled, upcoming))
    return Schedules(rows, str(config.timezone), config.source)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive times (stored as UTC): make both ends comparable."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
