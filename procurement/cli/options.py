"""What every subcommand shares: the database it talks to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from procurement.db import session_factory
from procurement.migrate import current_revision, head_revision, upgrade


@dataclass
class CliContext:
    """The resolved database URL, and a session factory once the schema is current."""

    database_url: str | None

    def sessions(self) -> sessionmaker[Session]:
        """Return sessions on a database upgraded to the current schema."""
        if current_revision(self.database_url) != head_revision():
            upgrade(self.database_url)
        return session_factory(self.database_url)
