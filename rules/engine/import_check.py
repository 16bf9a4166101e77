"""The check that follows an award import, shared by `procurement import` and the upload page.

It runs the default pack on what the import touched (its identities, buyers and years), in its
own transaction after the import's: a failed check never undoes an import, and the next full run
(`procurement check`) judges again whatever it missed.
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
        return (
            f"checked {self.rules} rules on {self.identities} identities and {self.buyers} "
            f"buyers: {self.new} new flags, {self.closed} closed"
        )


def check_import(sessions: sessionmaker[Session], source_file_id: int) -> ImportCheck:
    """Run the default pack on the identities, buyers and years an award import touched."""
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
