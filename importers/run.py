"""Import one file end to end: identify it, read it, write it in one transaction.

The same bytes are one import (sha256). Every accepted row and every row error of a file is
written inside a single transaction, so an error mid-file, or the process being killed, leaves no
line of that file behind; a refused file writes nothing at all.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from importers.errors import FileRefused, RowError
from importers.fields import get_kind
from importers.pipeline import Chunk, ParsedFile, SheetReport, Tally, no_rows, open_file
from importers.profiles import Profile, generic_profile, load_profile, shipped_profiles
from procurement.models import RowErrorRecord, SourceFile
from procurement.services.framework_store import FrameworkStore
from procurement.services.record_store import RecordStore
from procurement.services.source_files import (
    IMPORTED,
    WITHDRAWN,
    find_by_sha,
    sha256_of,
    upload_copy_path,
)
from procurement.services.source_files import store_upload as keep_copy
from procurement.services.stock_store import StockStore, unmatched_items

Progress = Callable[[int], None]
FIRST_ERRORS = 20


@dataclass
class ImportOutcome:
    """What happened to a file, for the command line and the upload page."""

    path: Path
    status: str  # imported | already-imported | refused
    source_file_id: int | None = None
    profile: str | None = None
    tally: Tally = field(default_factory=Tally)
    sheets: list[SheetReport] = field(default_factory=list)
    seconds: float = 0.0
    refusal: FileRefused | None = None
    first_errors: list[RowError] = field(default_factory=list)
    # a stock file's items that matched no drug identity: (product code, name)
    unmatched: list[tuple[str | None, str | None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when the file is in the database (now or from before)."""
        return self.status != "refused"


def import_file(
    path: Path,
    sessions: sessionmaker[Session],
    *,
    kind: str = "awards",
    profile: str | Path | None = None,
    settings: Mapping[str, str] | None = None,
    uploaded_by: str = "cli",
    strict: bool = False,
    progress: Progress | None = None,
    name: str | None = None,
) -> ImportOutcome:
    """Import a file; refusals come back as an outcome, never as a half-written file.

    `name` is the file's name as the officer knows it, when `path` is a stored upload's.
    """
    path = Path(path)
    started = time.perf_counter()
    outcome = ImportOutcome(path=path, status="refused")
    parsed: ParsedFile | None = None
    try:
        candidates = _candidates(kind, profile)
        sha256 = sha256_of(path)
        with sessions() as session:
            existing = find_by_sha(session, sha256)
            if existing is not None and existing.status != WITHDRAWN:
                return _already(outcome, existing)
        parsed = open_file(path, get_kind(kind), candidates, dict(settings or {}))
        outcome.sheets, outcome.tally = parsed.sheets, parsed.tally
        with sessions() as session, session.begin(), _bulk_gc():
            source = _source_row(session, path, sha256, parsed, uploaded_by, name)
            _write(session, source, parsed, outcome, progress)
            if not parsed.tally.accepted + parsed.tally.rejected:
                raise no_rows(parsed.sheets)
            if strict and parsed.tally.rejected:
                raise _strict_refusal(parsed.tally)
            _finish(source, parsed, time.perf_counter() - started)
            outcome.source_file_id = source.id
            if parsed.kind.name == "stock-reports":
                outcome.unmatched = unmatched_items(session, source.id)
        keep_copy(path, sha256)
        outcome.status = "imported"
    except FileRefused as refusal:
        outcome.refusal = refusal
    except IntegrityError:
        with sessions() as session:
            existing = find_by_sha(session, sha256_of(path))
        if existing is None:
            raise
        return _already(outcome, existing)
    finally:
        outcome.seconds = time.perf_counter() - started
    outcome.profile = parsed.profile.name if parsed and parsed.profile else None
    return outcome


@contextmanager
def _bulk_gc() -> Iterator[None]:
    """Collect garbage less often while a file loads.

    An import allocates millions of short-lived rows, dicts and tuples and makes no reference
    cycles, yet each 700 allocations would trigger a collection that walks every live object.
    """
    previous = gc.get_threshold()
    gc.set_threshold(200_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _candidates(kind: str, profile: str | Path | None) -> list[Profile]:
    """Return the profile asked for, or every profile of the kind to choose from."""
    get_kind(kind)
    if profile is None:
        return [*shipped_profiles(kind), generic_profile(kind)]
    chosen = load_profile(profile)
    if chosen.kind != kind:
        raise FileRefused(
            "wrong-profile",
            f"profile {chosen.name} reads {chosen.kind} files, not {kind}",
            f"hồ sơ cột {chosen.name} dùng cho loại {chosen.kind}, không phải {kind}",
        )
    return [chosen]


def _already(outcome: ImportOutcome, existing: SourceFile) -> ImportOutcome:
    outcome.status, outcome.source_file_id = "already-imported", existing.id
    outcome.profile = existing.profile
    outcome.tally = Tally(
        rows_read=existing.rows_read,
        accepted=existing.accepted,
        rejected=existing.rejected,
        skipped=existing.skipped,
        duplicates=existing.duplicates,
    )
    return outcome


def _source_row(
    session: Session,
    path: Path,
    sha256: str,
    parsed: ParsedFile,
    uploaded_by: str,
    name: str | None,
) -> SourceFile:
    source = find_by_sha(session, sha256) or SourceFile(sha256=sha256)
    source.name, source.kind, source.file_format = (
        name or path.name,
        parsed.kind.name,
        parsed.file_format,
    )
    source.size_bytes, source.uploaded_by, source.status = (
        path.stat().st_size,
        uploaded_by,
        "importing",
    )
    source.settings = {k: str(v) for k, v in parsed.settings.items()}
    source.stored_path = str(upload_copy_path(path, sha256))
    source.withdrawn_at = source.withdrawn_by = None
    session.add(source)
    session.flush()
    return source


def _write(
    session: Session,
    source: SourceFile,
    parsed: ParsedFile,
    outcome: ImportOutcome,
    progress: Progress | None,
) -> None:
    store = RecordStore(session, source.id)
    write = {
        "awards": store.awards,
        "reference-prices": store.reference_prices,
        "reference-list": store.reference_list_items,
        "framework-agreements": FrameworkStore(session, source.id).framework_items,
        "stock-reports": StockStore(session, source.id).stock_reports,
    }[parsed.kind.name]
    for chunk in parsed.chunks():
        write(chunk.records)
        _write_errors(session, source.id, chunk, outcome)
        if progress:
            progress(parsed.tally.rows_read)


def _write_errors(session: Session, source_id: int, chunk: Chunk, outcome: ImportOutcome) -> None:
    rows: list[dict[str, Any]] = []
    for rejected in chunk.rejected:
        for error in rejected.errors:
            if len(outcome.first_errors) < FIRST_ERRORS:
                outcome.first_errors.append(error)
            rows.append(
                storable(
                    {
                        "source_file_id": source_id,
                        "sheet": error.sheet,
                        "row_number": error.row_number,
                        "column": error.column,
                        "field": error.field,
                        "type": error.type,
                        "value": cell_text(error.cell),
                        "note_en": error.note_en,
                        "note_vi": error.note_vi,
                        "original": rejected.original,
                    }
                )
            )
    if rows:
        session.execute(insert(RowErrorRecord), rows)


def storable(value: Any) -> Any:
    """Replace NUL in every text of a value: PostgreSQL refuses it in text and JSON columns.

    A rejected row is kept as the officer typed it, control characters included, but one NUL
    (some hospital systems export them) would otherwise fail the whole file's transaction.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value


def cell_text(value: object) -> str | None:
    """Show a cell as the officer typed it: 5 rather than 5.0, bounded in length."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:2000]


def _finish(source: SourceFile, parsed: ParsedFile, seconds: float) -> None:
    tally = parsed.tally
    source.status, source.seconds = IMPORTED, seconds
    source.profile = parsed.profile.name if parsed.profile else None
    source.rows_read, source.accepted, source.rejected = (
        tally.rows_read, tally.accepted, tally.rejected,
    )  # fmt: skip
    source.skipped, source.duplicates = tally.skipped, tally.duplicates
    source.layout = storable([sheet.as_dict() for sheet in parsed.sheets])


def _strict_refusal(tally: Tally) -> FileRefused:
    return FileRefused(
        "strict-rejected-rows",
        f"{tally.rejected} row(s) have errors and --strict is on, so nothing was imported; fix "
        "them (see the errors listed) and import again.",
        f"Có {tally.rejected} dòng lỗi và chế độ --strict đang bật nên chưa nhập gì; hãy sửa các "
        "dòng lỗi được liệt kê rồi nhập lại.",
    )
