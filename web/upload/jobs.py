"""Run uploaded files through the importer in the background, then check what they brought in.

This is composition, like the command line: the importer and the rules meet here, never in
`procurement`. A thread pool (IMPORT_WORKERS threads) runs each job outside any request, with
the app's session factory; the job's row is how its progress page, in any worker process,
learns what happened.

Progress is kept in memory for this process's pages and written to the job's row at most every
half second, except on SQLite: the import holds SQLite's only write lock for its whole
transaction, so a progress write from another connection would wait for the import that waits
for it. There the row learns the outcome at the end, and pages served by this process still see
live counts.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from importers.profiles import ProfileError
from importers.reading.estimate import estimate_rows
from importers.run import ImportOutcome, import_file
from procurement.config import data_dir
from procurement.models.base import utcnow
from procurement.services.import_jobs import (
    ALREADY,
    IMPORTED,
    REFUSED,
    JobWork,
    job_failed,
    job_finished,
    job_noted,
    job_progressed,
    job_started,
    jobs_interrupted,
)
from rules.engine.import_check import ImportCheck, check_import

PROGRESS_EVERY = 0.5  # seconds between progress writes to the job's row
STALE_MINUTES = 15  # a job queued or running this long belongs to a process that died

CRASHED = (
    "The import stopped on an unexpected error and nothing was imported; try again, and tell "
    "an administrator if it happens again.",
    "Việc nhập dừng lại do lỗi không lường trước và chưa nhập gì; hãy thử lại, nếu vẫn lỗi hãy "
    "báo quản trị viên.",
)
CHECKING = ("Checking the rules on the new lines…", "Đang kiểm tra các dòng mới theo bộ quy tắc…")
CHECK_FAILED = (
    "Imported, but the rules could not be checked; the next full check will do it.",
    "Đã nhập, nhưng chưa kiểm tra được theo bộ quy tắc; lần kiểm tra toàn bộ tiếp theo sẽ làm.",
)


def init_app(app: Flask) -> None:
    """Fail the jobs a dead process left behind, then start this process's pool."""
    app.config.setdefault("UPLOAD_FOLDER", str(data_dir() / "uploads"))
    app.config.setdefault("IMPORT_STALE_MINUTES", STALE_MINUTES)
    sessions = app.extensions["sessions"]
    with sessions() as session, session.begin():
        left = jobs_interrupted(session, utcnow() - stale_after(app))
    for path in left:
        Path(path).unlink(missing_ok=True)
    app.extensions["import_runner"] = ImportRunner(
        sessions, int(app.config["IMPORT_WORKERS"]), app.logger
    )


def stale_after(app: Flask) -> timedelta:
    """Return how long a job may stay queued or running before it counts as interrupted."""
    return timedelta(minutes=float(app.config["IMPORT_STALE_MINUTES"]))


class ImportRunner:
    """A pool of import threads and the live row counts of the jobs they run."""

    def __init__(
        self, sessions: sessionmaker[Session], workers: int, logger: logging.Logger
    ) -> None:
        self.sessions = sessions
        self.logger = logger
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="import")
        self.live: dict[int, int] = {}  # job id -> rows read; one writer per key
        self.owned: set[int] = set()  # jobs queued or running in this process
        bind = sessions.kw.get("bind")
        self.write_progress = bind is None or bind.dialect.name != "sqlite"

    def submit(self, job_id: int) -> None:
        """Queue a submitted job (its row is committed) on the pool."""
        self.owned.add(job_id)
        self.pool.submit(self.run, job_id)

    def owns(self, job_id: int) -> bool:
        """Tell whether this process has the job queued or running (so it is not stale)."""
        return job_id in self.owned

    def rows(self, job_id: int) -> int | None:
        """Return the rows read so far by a job this process is running."""
        return self.live.get(job_id)

    def run(self, job_id: int) -> None:
        """Run one job to its end; whatever happens, its row says how it ended."""
        work = None
        try:
            with self.sessions() as session, session.begin():
                work = job_started(session, job_id)
            if work is not None:
                self._import(work)
        except Exception:
            self.logger.exception("import job %s crashed", job_id)
            self._record_crash(job_id)
        finally:
            self.live.pop(job_id, None)
            self.owned.discard(job_id)
            if work is not None:
                Path(work.stored_path).unlink(missing_ok=True)  # imports keep their own copy

    def _import(self, work: JobWork) -> None:
        path = Path(work.stored_path)
        with self.sessions() as session, session.begin():
            job_progressed(session, work.id, 0, estimate_rows(path))
        try:
            outcome = import_file(
                path,
                self.sessions,
                kind=work.kind,
                profile=work.profile,
                settings=work.settings,
                uploaded_by=work.submitted_by,
                progress=_Progress(self, work.id),
                name=work.file_name,
            )
        except ProfileError as exc:
            self._finish(work.id, REFUSED, message=(str(exc), str(exc)))
            return
        self._record(work, outcome)

    def _record(self, work: JobWork, outcome: ImportOutcome) -> None:
        rows = outcome.tally.rows_read
        if outcome.refusal is not None:
            refusal = outcome.refusal
            self._finish(work.id, REFUSED, rows=rows, message=(refusal.note_en, refusal.note_vi))
        elif outcome.status == "already-imported":
            self._finish(work.id, ALREADY, outcome.source_file_id, rows)
        else:
            assert outcome.source_file_id is not None
            note = self._check(work, outcome.source_file_id)
            self._finish(work.id, IMPORTED, outcome.source_file_id, rows, note)

    def _check(self, work: JobWork, source_file_id: int) -> tuple[str, str] | None:
        """Run the incremental rules check; a failure leaves the import in and says so."""
        with self.sessions() as session, session.begin():
            job_noted(session, work.id, *CHECKING)
        try:
            checked = check_import(self.sessions, source_file_id, work.kind)
            return _check_sentences(checked) if checked is not None else None
        except Exception:
            self.logger.exception("rules check after import job %s failed", work.id)
            return CHECK_FAILED

    def _finish(
        self,
        job_id: int,
        outcome: str,
        source_file_id: int | None = None,
        rows: int = 0,
        message: tuple[str, str] | None = None,
    ) -> None:
        en, vi = message or (None, None)
        with self.sessions() as session, session.begin():
            job_finished(
                session,
                job_id,
                outcome,
                source_file_id=source_file_id,
                rows_done=rows,
                message_en=en,
                message_vi=vi,
            )

    def _record_crash(self, job_id: int) -> None:
        try:
            with self.sessions() as session, session.begin():
                job_failed(session, job_id, *CRASHED)
        except Exception:  # the database itself is failing; the start-up sweep will catch it
            self.logger.exception("could not record the crash of import job %s", job_id)


class _Progress:
    """The importer's progress callback: live counts always, the job's row now and then."""

    def __init__(self, runner: ImportRunner, job_id: int) -> None:
        self.runner, self.job_id = runner, job_id
        self.written = time.monotonic()

    def __call__(self, rows: int) -> None:
        self.runner.live[self.job_id] = rows
        now = time.monotonic()
        if self.runner.write_progress and now - self.written >= PROGRESS_EVERY:
            with self.runner.sessions() as session, session.begin():
                job_progressed(session, self.job_id, rows)
            self.written = now


def _check_sentences(check: ImportCheck) -> tuple[str, str]:
    if not check.identities and not check.buyers:  # a stock or framework file
        return (
            f"{check.rules} stock and delivery rules checked: {check.new} new flags, "
            f"{check.closed} closed.",
            f"Đã kiểm tra {check.rules} quy tắc tồn kho và giao hàng: {check.new} cảnh báo mới, "
            f"{check.closed} cảnh báo được đóng.",
        )
    return (
        f"Rules checked on {check.identities} products and {check.buyers} buyers: "
        f"{check.new} new flags, {check.closed} closed.",
        f"Đã kiểm tra theo bộ quy tắc trên {check.identities} mặt hàng và {check.buyers} bên "
        f"mời thầu: {check.new} cảnh báo mới, {check.closed} cảnh báo được đóng.",
    )
