"""One lock per job in the database, so two schedulers, or a scheduler and a manual check,
never run the same job at once.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection kept open
for the whole run. It needs no table and frees itself when the process dies, because the
connection dies with it. SQLite has no such thing, so a lease row in `job_lock` plays its part:
taking it is one upsert that inserts the row or takes over an expired one, so two processes
cannot both win. A process that dies holding it (SIGKILL, a power cut) blocks the job until the
lease expires, unless it ran on this host: then its pid is gone, and the lease is taken over.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import Connection, Engine, delete, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from procurement.models.base import utcnow
from procurement.models.schedule import RUNNING, JobLock, JobRun

DEFAULT_LEASE = timedelta(hours=6)
_PG_LABEL = "procurement-lock "
JOB_NOUNS = {"stock": "the stock check", "full": "the full check"}


def process_name() -> str:
    """Return host:pid, how run records and leases name the process that holds them."""
    return f"{socket.gethostname()}:{os.getpid()}"


def advisory_key(job: str) -> int:
    """Return a stable signed 64-bit key for the job (the same in every process and release)."""
    digest = hashlib.sha256(f"procurement:{job}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass
class LockBusy(Exception):
    """Another process holds the job's lock; says who and since when, when that is known."""

    job: str
    holder: str | None = None
    since: datetime | None = None

    def sentence(self, timezone: tzinfo = UTC) -> str:
        """Return the sentence a user reads when the job is already running."""
        noun = JOB_NOUNS.get(self.job, f"the {self.job} job")
        when = ""
        if self.since is not None:
            since = self.since.replace(tzinfo=self.since.tzinfo or UTC).astimezone(timezone)
            when = f" since {since:%H:%M}"
        where = f" on host {self.holder.split('/')[0]}" if self.holder else ""
        return f"{noun} is already running{when}{where}; try again when it ends"

    def __str__(self) -> str:
        return self.sentence()


@contextmanager
def job_lock(engine: Engine, job: str, lease: timedelta = DEFAULT_LEASE) -> Iterator[None]:
    """Hold the job's lock for the block, or raise LockBusy at once (never wait for it)."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, job):
            yield
    else:
        with _lease(engine, job, lease):
            yield


@contextmanager
def _advisory(engine: Engine, job: str) -> Iterator[None]:
    key = advisory_key(job)
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        # name the holder where pg_stat_activity shows it, before taking the lock: its run
        # record is committed a moment later (and a DBA reading pg_locks sees who it is)
        label = f"{_PG_LABEL}{utcnow():%Y-%m-%dT%H:%M:%SZ} {process_name()}"[:63]
        connection.execute(text("SELECT set_config('application_name', :l, false)"), {"l": label})
        taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        if not taken:
            connection.execute(text("RESET application_name"))
            busy = _busy_from_locks(connection, job, key)  # live; a run record may be stale
            raise busy if busy.holder else (_busy_from_runs(connection, job) or busy)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.execute(text("RESET application_name"))
    finally:
        connection.close()


def _busy_from_runs(connection: Connection, job: str) -> LockBusy | None:
    """An advisory lock does not say who holds it; the running run record does."""
    running = connection.execute(
        select(JobRun.host, JobRun.started_at)
        .where(JobRun.job == job, JobRun.status == RUNNING)
        .order_by(JobRun.started_at.desc())
        .limit(1)
    ).first()
    return LockBusy(job, running.host, running.started_at) if running else None


def _busy_from_locks(connection: Connection, job: str, key: int) -> LockBusy:
    """Read the holder's label from the session that holds the advisory lock."""
    unsigned = key & 0xFFFFFFFFFFFFFFFF  # pg_locks splits the key into two 32-bit oids
    label = connection.scalar(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :high "
            "AND l.objid = :low AND l.objsubid = 1"
        ),
        {"high": unsigned >> 32, "low": unsigned & 0xFFFFFFFF},
    )
    if not label or not label.startswith(_PG_LABEL):
        return LockBusy(job)
    stamp, _, holder = label.removeprefix(_PG_LABEL).partition(" ")
    try:
        since = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return LockBusy(job, holder or None)
    return LockBusy(job, holder or None, since)


@contextmanager
def _lease(engine: Engine, job: str, lease: timedelta) -> Iterator[None]:
    holder = f"{process_name()}/{uuid.uuid4().hex[:8]}"  # two threads of one process differ
    now = utcnow()
    statement = sqlite_insert(JobLock).values(
        job=job, holder=holder, acquired_at=now, expires_at=now + lease
    )
    statement = statement.on_conflict_do_update(
        index_elements=[JobLock.job],
        set_={
            "holder": statement.excluded.holder,
            "acquired_at": statement.excluded.acquired_at,
            "expires_at": statement.excluded.expires_at,
        },
        where=JobLock.expires_at <= statement.excluded.acquired_at,
    )
    with engine.begin() as connection:
        connection.execute(statement)
        current = connection.execute(
            select(JobLock.holder, JobLock.acquired_at).where(JobLock.job == job)
        ).one()
        if current.holder != holder and _dead_here(current.holder):
            # its process is gone (killed, the machine restarted): take over now, not in hours;
            # only if no one else took it over first
            connection.execute(
                update(JobLock)
                .where(JobLock.job == job, JobLock.holder == current.holder)
                .values(holder=holder, acquired_at=now, expires_at=now + lease)
            )
            current = connection.execute(
                select(JobLock.holder, JobLock.acquired_at).where(JobLock.job == job)
            ).one()
    if current.holder != holder:
        raise LockBusy(job, current.holder, current.acquired_at)
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(delete(JobLock).where(JobLock.job == job, JobLock.holder == holder))


def _dead_here(holder: str) -> bool:
    """Return whether a lease holder ("host:pid/tag") is a process of this host that has ended.

    A holder on another host, or whose pid is alive (or not ours to signal), is left alone: its
    lease expires as before.
    """
    host, _, pid = holder.partition("/")[0].rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
