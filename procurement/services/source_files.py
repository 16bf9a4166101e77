"""Imports as the officer sees them: the history, one import's result, its errors, withdrawal.

Services take the actor and plain arguments and return plain data (dicts for the command line,
frozen view models for pages), so the CLI and the web app share them and no ORM object leaks
into a template. Every officer sees every import: users carry no hospital, so there is no
narrower "their own" list to show, and an import is the hospital's record, not a person's. Only
the officer who uploaded a file, or an administrator, withdraws it.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from procurement.config import data_dir
from procurement.models import (
    AwardLine,
    Flag,
    FrameworkAgreement,
    ImportJob,
    ReferenceList,
    ReferencePrice,
    RowErrorRecord,
    SourceFile,
    StockReport,
    User,
)
from procurement.models.base import utcnow
from procurement.models.user import ADMIN
from procurement.services.flag_events import Event, append, clear
from procurement.services.permissions import Actor, Forbidden, authorize, can

IMPORTED, WITHDRAWN = "imported", "withdrawn"
FIRST_ERRORS = 20


class NotFound(LookupError):
    """No import with that id."""


def sha256_of(path: Path) -> str:
    """Hash a file in blocks: the identity of an upload."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def upload_copy_path(path: Path, sha256: str) -> Path:
    """Return where the copy of an upload lives: content-addressed under the data folder."""
    return data_dir() / "files" / sha256[:2] / f"{sha256}{path.suffix.lower()}"


def store_upload(path: Path, sha256: str) -> Path:
    """Keep a copy of the uploaded bytes, for download and re-import; once per content."""
    target = upload_copy_path(path, sha256)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, temporary)
        temporary.replace(target)
    return target


def find_by_sha(session: Session, sha256: str) -> SourceFile | None:
    """Return the import of these bytes, if any."""
    return session.scalar(select(SourceFile).where(SourceFile.sha256 == sha256))


def imports_list(session: Session, actor: Actor, limit: int = 100) -> list[dict[str, Any]]:
    """List imports, newest first, with who, when and the counts."""
    authorize("import.view", actor)
    rows = session.scalars(select(SourceFile).order_by(SourceFile.id.desc()).limit(limit))
    return [import_summary(row) for row in rows]


def import_summary(source: SourceFile) -> dict[str, Any]:
    """Describe one import as plain data."""
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "profile": source.profile,
        "format": source.file_format,
        "sha256": source.sha256,
        "uploaded_by": source.uploaded_by,
        "uploaded_at": source.uploaded_at,
        "status": source.status,
        "rows_read": source.rows_read,
        "accepted": source.accepted,
        "rejected": source.rejected,
        "skipped": source.skipped,
        "duplicates": source.duplicates,
        "seconds": source.seconds,
        "layout": source.layout,
        "settings": source.settings,
    }


def import_get(session: Session, import_id: int) -> SourceFile:
    """Return an import or raise NotFound."""
    source = session.get(SourceFile, import_id)
    if source is None:
        raise NotFound(f"no import #{import_id}")
    return source


def import_errors(session: Session, actor: Actor, import_id: int) -> list[dict[str, Any]]:
    """Return an import's row errors with the original values, in file order."""
    authorize("import.view", actor)
    import_get(session, import_id)
    rows = session.scalars(
        select(RowErrorRecord)
        .where(RowErrorRecord.source_file_id == import_id)
        .order_by(RowErrorRecord.sheet, RowErrorRecord.row_number, RowErrorRecord.id)
    )
    return [
        {
            "sheet": r.sheet,
            "row": r.row_number,
            "column": r.column,
            "field": r.field,
            "type": r.type,
            "value": r.value,
            "note_vi": r.note_vi,
            "note_en": r.note_en,
            "original": r.original,
        }
        for r in rows
    ]


def import_withdraw(session: Session, actor: Actor, import_id: int) -> dict[str, int]:
    """Remove what an import brought in; keep the record, marked withdrawn, for the history."""
    authorize("import.withdraw", actor)
    source = import_get(session, import_id)
    if not _may_withdraw(actor, source):
        raise Forbidden("import.withdraw")
    if source.status == WITHDRAWN:
        return dict.fromkeys(
            ("flags_closed", "award_lines", "reference_prices", "reference_lists",
             "framework_agreements", "stock_reports", "row_errors"), 0
        )  # fmt: skip
    removed = {
        "flags_closed": _close_flags(session, import_id, actor),
        "award_lines": _delete(session, AwardLine, import_id),
        "reference_prices": _delete(session, ReferencePrice, import_id),
        "reference_lists": _delete(session, ReferenceList, import_id),
        "framework_agreements": _delete(session, FrameworkAgreement, import_id),
        # the stock flags of a withdrawn report close at the next stock check (scheduler)
        "stock_reports": _delete(session, StockReport, import_id),
        "row_errors": _delete(session, RowErrorRecord, import_id),
    }
    source.status, source.withdrawn_at, source.withdrawn_by = WITHDRAWN, utcnow(), actor.username
    return removed


def _close_flags(session: Session, import_id: int, actor: Actor) -> int:
    """Close the flags on the withdrawn lines, saying why; an auditor's decision stands.

    Their lines are about to go, so no rule run could clear them; left open they would sit in
    the queue pointing at nothing.
    """
    lines = select(AwardLine.id).where(AwardLine.source_file_id == import_id)
    flags = session.scalars(select(Flag).where(Flag.line_id.in_(lines), Flag.active.is_(True)))
    now, why = utcnow(), f"import {import_id} was withdrawn; its lines are gone"
    events = []
    for flag in flags:
        before = clear(flag, now)
        events.append(Event(flag.id, actor.username, "source-withdrawn", before, flag.status, why))
    session.flush()
    append(session, events, now)
    return len(events)


def _delete(session: Session, model: type, import_id: int) -> int:
    count = session.scalar(
        select(func.count()).select_from(model).where(model.source_file_id == import_id)
    )
    session.execute(delete(model).where(model.source_file_id == import_id))
    return int(count or 0)


def _may_withdraw(actor: Actor, source: SourceFile) -> bool:
    return actor.role == ADMIN or actor.username == source.uploaded_by


# --- view models for the pages ---


@dataclass(frozen=True)
class ImportRow:
    """One import in the history: the file, who brought it in and when, and the counts."""

    id: int
    name: str
    kind: str
    profile: str | None
    uploaded_by: str
    uploader_name: str
    uploaded_at: datetime
    status: str
    rows_read: int
    accepted: int
    rejected: int
    skipped: int
    duplicates: int
    withdrawn_at: datetime | None
    withdrawn_by: str | None


@dataclass(frozen=True)
class ImportHistory:
    """A page of the import history, newest first."""

    rows: tuple[ImportRow, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class ColumnMapping:
    """One source column: its letter, its header text and the field it fills (or why not)."""

    column: str
    header: str
    field: str | None
    note: str | None


@dataclass(frozen=True)
class SheetLayout:
    """How one sheet was read: the header rows found and each column's field."""

    name: str
    note: str | None  # hidden | not-in-profile | no-header, when the sheet was passed over
    header_row: int | None
    header_rows: int
    title: tuple[tuple[str, str], ...]  # facts read from the title block
    columns: tuple[ColumnMapping, ...]

    @property
    def last_header_row(self) -> int | None:
        """Return the header's last row (two-row headers end a row later)."""
        return None if self.header_row is None else self.header_row + self.header_rows - 1


@dataclass(frozen=True)
class RejectedCell:
    """One reason a row was rejected, in both languages, with the value as typed."""

    sheet: str | None
    row: int
    column: str | None
    field: str | None
    type: str
    value: str | None
    note_en: str
    note_vi: str


@dataclass(frozen=True)
class ImportDetail:
    """One import's result page: facts, counts, layout, the first row errors, what may be done."""

    row: ImportRow
    file_format: str
    size_bytes: int
    sha256: str
    seconds: float | None
    settings: tuple[tuple[str, str], ...]
    sheets: tuple[SheetLayout, ...]
    first_errors: tuple[RejectedCell, ...]
    error_count: int
    has_original: bool
    can_withdraw: bool
    check_en: str | None  # the rules check after the import, for those who may see flags
    check_vi: str | None


@dataclass(frozen=True)
class OriginalFile:
    """Where an import's bytes are kept, and the name the officer gave them."""

    path: Path
    name: str


def import_history(
    session: Session, actor: Actor, page: int = 1, per_page: int = 50
) -> ImportHistory:
    """Return one page of the import history, newest first."""
    authorize("import.view", actor)
    total = session.scalar(select(func.count()).select_from(SourceFile)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = session.execute(
        select(SourceFile, User.display_name)
        .outerjoin(User, User.username == SourceFile.uploaded_by)
        .order_by(SourceFile.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return ImportHistory(tuple(_row(s, name) for s, name in rows), page, pages, total)


def import_detail(session: Session, actor: Actor, import_id: int) -> ImportDetail:
    """Return what an officer reads about one import."""
    authorize("import.view", actor)
    source = import_get(session, import_id)
    name = session.scalar(select(User.display_name).where(User.username == source.uploaded_by))
    errors = session.scalars(
        select(RowErrorRecord)
        .where(RowErrorRecord.source_file_id == import_id)
        .order_by(RowErrorRecord.sheet, RowErrorRecord.row_number, RowErrorRecord.id)
        .limit(FIRST_ERRORS)
    )
    count = session.scalar(
        select(func.count())
        .select_from(RowErrorRecord)
        .where(RowErrorRecord.source_file_id == import_id)
    )
    check = _check_note(session, import_id) if can("flag.view", actor) else None
    return ImportDetail(
        row=_row(source, name),
        file_format=source.file_format,
        size_bytes=source.size_bytes,
        sha256=source.sha256,
        seconds=source.seconds,
        settings=tuple(sorted((str(k), str(v)) for k, v in (source.settings or {}).items())),
        sheets=tuple(_sheet(layout) for layout in source.layout or []),
        first_errors=tuple(_rejected(e) for e in errors),
        error_count=int(count or 0),
        has_original=bool(source.stored_path) and Path(source.stored_path or "").is_file(),
        can_withdraw=source.status == IMPORTED
        and can("import.withdraw", actor)
        and _may_withdraw(actor, source),
        check_en=check[0] if check else None,
        check_vi=check[1] if check else None,
    )


def import_original(session: Session, actor: Actor, import_id: int) -> OriginalFile:
    """Return the uploaded bytes' place and name, for download; NotFound if they are gone."""
    authorize("import.view", actor)
    source = import_get(session, import_id)
    if not source.stored_path or not Path(source.stored_path).is_file():
        raise NotFound(f"the file of import #{import_id} is no longer kept")
    return OriginalFile(Path(source.stored_path), source.name)


def _row(source: SourceFile, uploader_name: str | None) -> ImportRow:
    return ImportRow(
        id=source.id,
        name=source.name,
        kind=source.kind,
        profile=source.profile,
        uploaded_by=source.uploaded_by,
        uploader_name=uploader_name or source.uploaded_by,
        uploaded_at=source.uploaded_at,
        status=source.status,
        rows_read=source.rows_read,
        accepted=source.accepted,
        rejected=source.rejected,
        skipped=source.skipped,
        duplicates=source.duplicates,
        withdrawn_at=source.withdrawn_at,
        withdrawn_by=source.withdrawn_by,
    )


def _sheet(layout: dict[str, Any]) -> SheetLayout:
    columns = tuple(
        ColumnMapping(c.get("column", ""), c.get("header") or "", c.get("field"), c.get("note"))
        for c in layout.get("columns", [])
    )
    return SheetLayout(
        name=str(layout.get("sheet", "")),
        note=layout.get("note"),
        header_row=layout.get("header_row"),
        header_rows=int(layout.get("header_rows") or 1),
        title=tuple((str(k), str(v)) for k, v in (layout.get("title") or {}).items()),
        columns=columns,
    )


def _rejected(error: RowErrorRecord) -> RejectedCell:
    return RejectedCell(
        error.sheet,
        error.row_number,
        error.column,
        error.field,
        error.type,
        error.value,
        error.note_en,
        error.note_vi,
    )


def _check_note(session: Session, import_id: int) -> tuple[str, str] | None:
    """Return what the rules check after the import said (kept on its upload job)."""
    job = session.scalar(
        select(ImportJob)
        .where(ImportJob.source_file_id == import_id, ImportJob.message_en.is_not(None))
        .order_by(ImportJob.id.desc())
        .limit(1)
    )
    return None if job is None else (job.message_en or "", job.message_vi or "")
