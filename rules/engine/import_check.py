"""The check that follows an import, shared by `procurement import` and the upload page.

After an award import it runs the default pack on what the import touched (its identities,
buyers and years); after a stock report or framework-agreement file, the rules that read those
tables and no award line (the stock rules, STK-06), over all of them: a facility's new month
changes its own series only, but a series is cheap to judge. The check runs in its own
transaction after the import's: a failed check never undoes an import, and the next full run
(`procurement check`, or the scheduler) judges again whatever it missed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from rules.engine.scope import scope_of_import


@dataclass(frozen=True)
class ImportCheck:
    """How many rules ran on how much, and the flags they raised and closed."""

    rules: int
    identities: int
    buyers: int
    new: int
    closed: int

    def sentence(self) -> str:
        """Return the command line's one-line summary."""
        if not self.identities and not self.buyers:
            return f"checked {self.rules} rules: {self.new} new flags, {self.closed} closed"
        return (
            f"checked {self.rules} rules on {self.identities} identities and {self.buyers} "
            f"buyers: {self.new} new flags, {self.closed} closed"
        )


# The table each non-award kind fills, and so the rules that must judge it again.
KIND_TABLES = {"stock-reports": "stock", "framework-agreements": "frameworks"}


def check_import(
    sessions: sessionmaker[Session], source_file_id: int, kind: str = "awards"
) -> ImportCheck | None:
    """Run the rules an import concerns (None: a kind no rule reads on its own)."""
    if kind != "awards":
        return _check_table(sessions, KIND_TABLES.get(kind))
    with sessions() as session, session.begin():
        scope = scope_of_import(session, source_file_id)
        reports = run_rules(session, load_pack(), scope=scope)
    return ImportCheck(
        rules=len(reports),
        identities=len(scope.identities),
        buyers=len(scope.buyers),
        new=sum(r.new for r in reports),
        closed=sum(r.closed for r in reports),
    )


def _check_table(sessions: sessionmaker[Session], table: str | None) -> ImportCheck | None:
    pack = load_pack()
    codes = {
        settings.spec.code
        for settings in pack.enabled()
        if table in settings.spec.reads and "awards" not in settings.spec.reads
    }
    if table is None or not codes:
        return None
    with sessions() as session, session.begin():
        reports = run_rules(session, pack, codes)
    return ImportCheck(
        len(reports), 0, 0, sum(r.new for r in reports), sum(r.closed for r in reports)
    )
