"""Imports as the officer sees them: the list, one import's row errors, withdrawing one.

Services take plain arguments and return plain data (dicts), so the CLI and the web app share
them and no ORM object leaks into a template.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from procurement.config import data_dir
from procurement.models import (
    AwardLine,
    FrameworkAgreement,
    ReferenceList,
    ReferencePrice,
    RowErrorRecord,
    SourceFile,
)
from procurement.models.base import utcnow

IMPORTED, WITHDRAWN = "imported", "withdrawn"


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


def imports_list(session: Session, limit: int = 100) -> list[dict[str, Any]]:
    """List imports, newest first, with who, when and the counts."""
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


def import_errors(session: Session, import_id: int) -> list[dict[str, Any]]:
    """Return an import's row errors with the original values, in file order."""
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


def import_withdraw(session: Session, import_id: int, actor: str) -> dict[str, int]:
    """Remove what an import brought in; keep the record, marked withdrawn, for the history."""
    source = import_get(session, import_id)
    if source.status == WITHDRAWN:
        return dict.fromkeys(
            ("award_lines", "reference_prices", "reference_lists", "framework_agreements",
             "row_errors"), 0
        )  # fmt: skip
    removed = {
        "award_lines": _delete(session, AwardLine, import_id),
        "reference_prices": _delete(session, ReferencePrice, import_id),
        "reference_lists": _delete(session, ReferenceList, import_id),
        "framework_agreements": _delete(session, FrameworkAgreement, import_id),
        "row_errors": _delete(session, RowErrorRecord, import_id),
    }
    source.status, source.withdrawn_at, source.withdrawn_by = WITHDRAWN, utcnow(), actor
    return removed


def _delete(session: Session, model: type, import_id: int) -> int:
    count = session.scalar(
        select(func.count()).select_from(model).where(model.source_file_id == import_id)
    )
    session.execute(delete(model).where(model.source_file_id == import_id))
    return int(count or 0)
