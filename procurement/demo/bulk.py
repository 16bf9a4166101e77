"""Store generated award lines straight into the database, as one imported file.

Benchmarks and engine tests need hundreds of thousands of lines in a database; writing them to
spreadsheets and importing them would measure the importer, which has its own benchmark.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from procurement.models import SourceFile
from procurement.services.record_store import RecordStore

_RENAMED = {"buyer_name": "buyer", "group": "drug_group"}
_CHUNK = 10_000


def store_lines(session: Session, name: str, lines: Iterable[dict[str, Any]]) -> int:
    """Store canonical award-line dicts (the generator's) as the file `name`; return its id."""
    source = SourceFile(
        sha256=f"generated:{name}",
        name=name,
        kind="awards",
        file_format="xlsx",
        size_bytes=0,
        uploaded_by="generator",
    )
    session.add(source)
    session.flush()
    store = RecordStore(session, source.id)
    chunk: list[dict[str, Any]] = []
    for row, line in enumerate(lines, start=2):
        record = {_RENAMED.get(k, k): v for k, v in line.items()}
        chunk.append({**record, "_row": row, "_sheet": "DS"})
        if len(chunk) == _CHUNK:
            store.awards(chunk)
            chunk = []
    store.awards(chunk)
    return source.id
