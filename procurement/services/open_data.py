"""Open data: the public downloads, written to files and kept until the data changes.

Public services take no actor: they read only what anyone may see. Awards are the imported
lines (never who uploaded them); shares are the published domestic-share figures; flags are
the confirmed ones with the auditor's public comment (the comment of the decision that
confirmed the flag), never an auditor's or officer's name, and never an open, closed, dismissed
or escalated flag.

A download is built once per data version (the latest import, withdrawal and flag decision) and
kept in a folder, so a large export is paid for once, not on every request; files are written
to a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from procurement.domestic import COLUMNS as SHARE_SUMS
from procurement.domestic import SCOPES
from procurement.models import Buyer, Flag, FlagHistory
from procurement.models.flag import CONFIRMED
from procurement.services.award_export import HEADERS as AWARD_HEADERS
from procurement.services.award_export import awards_export
from procurement.services.domestic_share import shares_report
from procurement.services.public_cache import version_token
from procurement.services.tabular import write_csv

SHARE_HEADERS = (
    *SHARE_SUMS,
    "value_target",
    "quantity_target",
    "value_met",
    "quantity_met",
    "met",
)
FLAG_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("flag_id", Flag.id),
    ("rule", Flag.rule),
    ("family", Flag.family),
    ("severity", Flag.severity),
    ("subject_type", Flag.subject_type),
    ("subject_key", Flag.subject_key),
    ("line_id", Flag.line_id),
    ("buyer_id", Flag.buyer_id),
    ("buyer", Buyer.name),
    ("province", Buyer.province),
    ("year", Flag.year),
    ("observed", Flag.observed),
    ("benchmark", Flag.benchmark),
    ("message_en", Flag.message_en),
    ("message_vi", Flag.message_vi),
    ("confirmed_at", FlagHistory.at),
    ("auditor_comment", FlagHistory.comment),
)
FLAG_HEADERS = tuple(name for name, _ in FLAG_COLUMNS)
# download file name -> the dataset its data dictionary describes
DOWNLOADS = {
    "awards.csv": "awards",
    "awards.xlsx": "awards",
    "domestic-shares.csv": "domestic-shares",
    "confirmed-flags.csv": "confirmed-flags",
}
HEADERS: dict[str, tuple[str, ...]] = {
    "awards": tuple(AWARD_HEADERS),
    "domestic-shares": SHARE_HEADERS,
    "confirmed-flags": FLAG_HEADERS,
}


def open_data_file(
    session: Session, folder: Path, name: str, targets: Mapping[str, Any] | None = None
) -> Path:
    """Return the file of a download (built now if the data changed since it was last built)."""
    if name not in DOWNLOADS:
        raise KeyError(name)
    version = version_token(session)
    return cached_file(folder, name, version, lambda path: _write(session, name, path, targets))


def cached_file(folder: Path, name: str, version: str, write: Callable[[Path], Any]) -> Path:
    """Return folder/<version>/name, writing it with `write` first if it is not there."""
    target = folder / version / name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=target.suffix)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _prune(folder, keep=version)
    return target


def _prune(folder: Path, keep: str) -> None:
    """Remove the files of older versions (a reader still streaming one keeps its handle)."""
    for old in folder.iterdir():
        if old.is_dir() and old.name != keep:
            try:
                for path in old.iterdir():
                    path.unlink(missing_ok=True)
                old.rmdir()
            except OSError:  # another process is writing there: the next build prunes it
                continue


def _write(session: Session, name: str, path: Path, targets: Mapping[str, Any] | None) -> int:
    if name == "awards.csv":
        return awards_export(session, "csv", path)
    if name == "awards.xlsx":
        return awards_export(session, "xlsx", path)
    if name == "domestic-shares.csv":
        return shares_export(session, path, targets or {})
    return confirmed_flags_export(session, path)


def shares_export(session: Session, path: Path, targets: Mapping[str, Any]) -> int:
    """Write every scope's domestic shares per year against the targets to a CSV file."""
    rows = (
        [row.get(column) for column in SHARE_HEADERS]
        for scope in SCOPES
        for row in shares_report(session, scope, None, targets)
    )
    return write_csv(path, SHARE_HEADERS, rows)


def confirmed_flags_query() -> Select[Any]:
    """Select confirmed flags with the comment and time of the decision that confirmed them."""
    confirming = (
        select(FlagHistory.flag_id, func.max(FlagHistory.id).label("history_id"))
        .where(FlagHistory.to_status == CONFIRMED)
        .group_by(FlagHistory.flag_id)
        .subquery()
    )
    return (
        select(*(column for _, column in FLAG_COLUMNS))
        .outerjoin(confirming, confirming.c.flag_id == Flag.id)
        .outerjoin(FlagHistory, FlagHistory.id == confirming.c.history_id)
        .outerjoin(Buyer, Flag.buyer_id == Buyer.id)
        .where(Flag.status == CONFIRMED)
        .order_by(Flag.id)
    )


def confirmed_flag_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """Yield the confirmed flags as rows in FLAG_HEADERS order, streamed."""
    for row in session.execute(confirmed_flags_query().execution_options(yield_per=2000)):
        yield tuple(row)


def confirmed_flags_export(session: Session, path: Path) -> int:
    """Write the confirmed flags and the auditors' public comments to a CSV file."""
    return write_csv(path, FLAG_HEADERS, confirmed_flag_rows(session))
