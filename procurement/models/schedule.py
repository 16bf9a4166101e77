"""The scheduler's record of each job run, and the lease that keeps two runs of a job apart.

A run is recorded with the fire time it was scheduled for; (job, scheduled_for) is unique, so
two schedulers that both wake for 06:00 cannot both run it, whichever gets the lock first. On
PostgreSQL the lock is an advisory lock; SQLite has none, so a lease row in `job_lock` plays
its part (its expiry frees a job whose process died holding it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procurement.models.base import Base, utcnow

RUNNING, SUCCEEDED, FAILED = "running", "succeeded", "failed"
SCHEDULED, CATCH_UP, MANUAL = "schedule", "catch-up", "manual"


class JobRun(Base):
    """One run of a scheduled job (or of `procurement check`): when, why, what it did."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "scheduled_for", name="uq_job_run_job_scheduled"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40), index=True)
    trigger: Mapped[str] = mapped_column(String(20))  # schedule | catch-up | manual
    scheduled_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default=RUNNING)
    new: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    alerts: Mapped[str | None] = mapped_column(Text)  # what was sent, or why sending failed
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(200))  # host:pid of the process that ran it


class JobLock(Base):
    """SQLite's stand-in for an advisory lock: one lease row per job while it runs."""

    __tablename__ = "job_lock"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
