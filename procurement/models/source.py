"""Where every record came from: the uploaded file (content-addressed) and its rejected rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procurement.models.base import Base, utcnow


class SourceFile(Base):
    """One imported file. The sha256 makes the same bytes one import, however often uploaded."""

    __tablename__ = "source_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    profile: Mapped[str | None] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(10))
    size_bytes: Mapped[int] = mapped_column(Integer)
    stored_path: Mapped[str | None] = mapped_column(String(1000))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="imported", index=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float | None]
    layout: Mapped[list[Any]] = mapped_column(default=list)  # per sheet: header rows and mapping
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)  # --set values, title facts
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))

    row_errors: Mapped[list[RowErrorRecord]] = relationship(
        back_populates="source_file", cascade="all, delete-orphan", passive_deletes=True
    )


class RowErrorRecord(Base):
    """A rejected row kept with its original values, so the officer can fix and re-upload."""

    __tablename__ = "row_error"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(
        ForeignKey("source_file.id", ondelete="CASCADE"), index=True
    )
    sheet: Mapped[str | None] = mapped_column(String(200))
    row_number: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(10))
    field: Mapped[str | None] = mapped_column(String(60))
    type: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(Text)
    note_en: Mapped[str] = mapped_column(Text)
    note_vi: Mapped[str] = mapped_column(Text)
    original: Mapped[dict[str, Any]] = mapped_column(default=dict)  # header -> raw cell

    source_file: Mapped[SourceFile] = relationship(back_populates="row_errors")
