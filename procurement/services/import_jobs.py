"""Uploads on their way in: queue one, follow its progress, see how it ended.

The officer's services (`job_submit`, `job_status`, `job_list`) check `import.upload`. Any officer
may follow any upload, as they share the import history; the list on the upload page holds the
actor's own. The `job_*ed` functions record what the worker running a job did; the permission
was checked when the job was submitted, and the worker acts for the officer who submitted it.

A job lives in the process that queued it. If that process dies the thread is gone and the row
would say "running" for ever, so `jobs_interrupted` fails every job still queued or running that
was submitted before a cut-off; the app runs it when it starts, and `job_status` applies the same
test when a page polls, so a job whose process died while another carried on serving is also
resolved. A cut-off by age is the test because the row has no heartbeat and another live
process (a second web worker) may be running a younger job; a cut-off well above the longest
import keeps it from failing a job that is alive. Should that happen anyway, the worker's own
`job_finished` still records the true outcome when the import ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from procurement.models.base import utcnow
from procurement.models.job import DONE, FAILED, QUEUED, RUNNING, ImportJob
from procurement.services.permissions import Actor, authorize

IMPORTED, ALREADY, REFUSED = "imported", "already", "refused"
INTERRUPTED_EN = "The import was interrupted (the server restarted); upload the file again."
INTERRUPTED_VI = "Quá trình nhập bị gián đoạn (máy chủ khởi động lại); hãy tải tệp lên lại."


class NotFound(LookupError):
    """No upload job with that id."""


@dataclass(frozen=True)
class JobView:
    """An upload as its progress page shows it."""

    id: int
    file_name: str
    kind: str
    profile: str | None
    submitted_by: str
    submitted_at: datetime
    status: str  # queued | running | done | failed
    outcome: str | None  # imported | already | refused, once done
    rows_done: int
    rows_total: int | None
    finished_at: datetime | None
    source_file_id: int | None
    message_en: str | None
    message_vi: str | None

    @property
    def finished(self) -> bool:
        """Tell whether the job has ended, one way or another."""
        return self.status in (DONE, FAILED)

    @property
    def state(self) -> str:
        """Return one word for the badge: queued, running, imported, already, refused, failed."""
        return (self.outcome or self.status) if self.status == DONE else self.status

    def percent(self, rows_done: int | None = None) -> int | None:
        """Return how far the reading is, 0-99 while running (100 once done), None if unknown."""
        if self.finished:
            return 100
        rows = self.rows_done if rows_done is None else rows_done
        if self.status == QUEUED or not self.rows_total:
            return 0 if self.status == QUEUED else None
        return min(99, int(100 * rows / self.rows_total))


@dataclass(frozen=True)
class JobWork:
    """What the worker needs to run a job."""

    id: int
    stored_path: str
    file_name: str
    kind: str
    profile: str | None
    settings: dict[str, str]
    submitted_by: str


def job_submit(
    session: Session,
    actor: Actor,
    *,
    file_name: str,
    stored_path: str,
    kind: str,
    profile: str | None = None,
    settings: dict[str, str] | None = None,
) -> JobView:
    """Queue an uploaded file for import on behalf of the actor."""
    authorize("import.upload", actor)
    job = ImportJob(
        file_name=file_name[:500],
        stored_path=stored_path,
        kind=kind,
        profile=profile,
        submitted_by=actor.username,
        submitted_at=utcnow(),
        status=QUEUED,
        settings=dict(settings or {}),
    )
    session.add(job)
    session.flush()
    return _view(job)


def job_status(
    session: Session, actor: Actor, job_id: int, stale_after: timedelta | None = None
) -> JobView:
    """Return a job; one left queued or running longer than `stale_after` is failed first."""
    authorize("import.upload", actor)
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"no upload job #{job_id}")
    if (
        stale_after is not None
        and not _ended(job)
        and _aware(job.submitted_at) < (utcnow() - stale_after)
    ):
        _interrupt(job)
    return _view(job)


def job_list(session: Session, actor: Actor, limit: int = 10) -> tuple[JobView, ...]:
    """Return the actor's latest uploads, newest first."""
    authorize("import.upload", actor)
    jobs = session.scalars(
        select(ImportJob)
        .where(ImportJob.submitted_by == actor.username)
        .order_by(ImportJob.id.desc())
        .limit(limit)
    )
    return tuple(_view(job) for job in jobs)


def job_started(session: Session, job_id: int) -> JobWork | None:
    """Mark a queued job running and return its work; None if it is no longer queued."""
    job = session.get(ImportJob, job_id)
    if job is None or job.status != QUEUED:
        return None
    job.status = RUNNING
    return JobWork(
        job.id,
        job.stored_path,
        job.file_name,
        job.kind,
        job.profile,
        dict(job.settings or {}),
        job.submitted_by,
    )


def job_progressed(
    session: Session, job_id: int, rows_done: int, rows_total: int | None = None
) -> None:
    """Record how many rows the worker has read (and, first, about how many there are)."""
    values: dict[str, Any] = {"rows_done": rows_done}
    if rows_total is not None:
        values["rows_total"] = rows_total
    session.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))


def job_noted(session: Session, job_id: int, message_en: str, message_vi: str) -> None:
    """Record what the worker is doing now, or what it found (shown in the current language)."""
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(message_en=message_en, message_vi=message_vi)
    )


def job_finished(
    session: Session,
    job_id: int,
    outcome: str,
    *,
    source_file_id: int | None = None,
    rows_done: int = 0,
    message_en: str | None = None,
    message_vi: str | None = None,
) -> None:
    """Record how a job ended: imported, already imported, or refused with the sentence."""
    job = session.get(ImportJob, job_id)
    if job is None:
        return
    job.status, job.outcome, job.finished_at = DONE, outcome, utcnow()
    job.source_file_id, job.rows_done = source_file_id, rows_done
    job.rows_total = max(rows_done, job.rows_total or 0) or None
    job.message_en, job.message_vi = message_en, message_vi


def job_failed(session: Session, job_id: int, message_en: str, message_vi: str) -> None:
    """Record that a job crashed; the message says what the officer can do."""
    job = session.get(ImportJob, job_id)
    if job is not None:
        job.status, job.outcome, job.finished_at = FAILED, None, utcnow()
        job.message_en, job.message_vi = message_en, message_vi


def jobs_interrupted(session: Session, before: datetime) -> list[str]:
    """Fail the jobs left queued or running since before `before`; return their stored paths."""
    jobs = session.scalars(
        select(ImportJob).where(
            ImportJob.status.in_((QUEUED, RUNNING)), ImportJob.submitted_at < before
        )
    ).all()
    for job in jobs:
        _interrupt(job)
    return [job.stored_path for job in jobs]


def _interrupt(job: ImportJob) -> None:
    job.status, job.finished_at = FAILED, utcnow()
    job.message_en, job.message_vi = INTERRUPTED_EN, INTERRUPTED_VI


def _ended(job: ImportJob) -> bool:
    return job.status in (DONE, FAILED)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _view(job: ImportJob) -> JobView:
    return JobView(
        id=job.id,
        file_name=job.file_name,
        kind=job.kind,
        profile=job.profile,
        submitted_by=job.submitted_by,
        submitted_at=job.submitted_at,
        status=job.status,
        outcome=job.outcome,
        rows_done=job.rows_done or 0,
        rows_total=job.rows_total,
        finished_at=job.finished_at,
        source_file_id=job.source_file_id,
        message_en=job.message_en,
        message_vi=job.message_vi,
    )
