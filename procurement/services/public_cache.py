"""An in-process cache of the public pages' aggregates, refreshed when the data changes.

The public pages add up every imported line; doing that on each request would not scale to a
million lines. Each aggregate is kept with the data version it was computed at: a cheap
fingerprint of the imports (a new file, a withdrawal) and of the flags (a new flag, a decision),
so an import or an auditor's decision refreshes every page on its next request.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procurement.models import Flag, FlagHistory, SourceFile

T = TypeVar("T")
MAX_ENTRIES = 512
_entries: dict[tuple[Hashable, ...], tuple[Hashable, Any]] = {}
_computing: dict[tuple[Hashable, ...], threading.Lock] = {}
_lock = threading.Lock()


def data_version(session: Session, *, imports: bool = True, flags: bool = True) -> tuple[str, ...]:
    """Return a fingerprint that changes with any import or withdrawal, and any flag or decision.

    An aggregate of lines asks for the imports' part only, so a rules run or a decision does
    not throw away the domestic shares; an aggregate of flags asks for the flags' part.
    """
    parts: list[object] = [str(session.get_bind().url)]
    if imports:
        parts += session.execute(
            select(
                func.max(SourceFile.id),
                func.count(SourceFile.id),
                func.max(SourceFile.uploaded_at),
            ).where(SourceFile.status == "imported")
        ).one()
    if flags:
        parts += session.execute(select(func.max(Flag.id), func.count(Flag.id))).one()
        parts += session.execute(select(func.max(FlagHistory.id), func.max(FlagHistory.at))).one()
    return tuple(str(v) for v in parts)


def version_token(session: Session) -> str:
    """Return the whole data version as a short name (downloads are filed under it)."""
    joined = "|".join(data_version(session))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def cached(
    session: Session,
    key: tuple[Hashable, ...],
    compute: Callable[[], T],
    *,
    flags: bool = False,
) -> T:
    """Return `compute()` for `key` at the current data version, computed once per version.

    Line aggregates depend on the imports only; pass `flags=True` for an aggregate of flags.
    """
    version = data_version(session, imports=not flags, flags=flags)
    with _lock:
        found = _entries.get(key)
        computing = _computing.setdefault(key, threading.Lock())
    if found is not None and found[0] == version:
        return found[1]  # type: ignore[no-any-return]
    # One computation per key at a time: the other requests of a crowd that arrives after an
    # import wait for it instead of each adding up a million lines at once (and timing out).
    with computing:
        with _lock:
            found = _entries.get(key)
        if found is not None and found[0] == version:
            return found[1]  # type: ignore[no-any-return]
        value = compute()
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = (version, value)
    return value


def clear() -> None:
    """Forget every cached aggregate (tests)."""
    with _lock:
        _entries.clear()
