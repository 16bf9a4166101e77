"""An import running in the background, so the officer's page can show its progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from procurement.models.base import Base, utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class ImportJob(Base):
    """An uploaded file on its way in: its progress, then the import it became or why not."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    stored_path: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(40))
    profile: Mapped[str | None] = mapped_column(String(200))
    submitted_by: Mapped[str] = mapped_column(String(100), index=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source_file_id: Mapped[int | None] = mapped_column(ForeignKey("source_file.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))  # imported | already | refused
    message_en: Mapped[str | None] = mapped_column(Text)
    message_vi: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
