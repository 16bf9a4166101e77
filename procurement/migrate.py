"""Schema migrations through Alembic, driven from code so `procurement db upgrade` needs no ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from procurement.db import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic config pointing at the packaged migrations and the resolved database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", str(make_engine(url).url.render_as_string(False)))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database schema up to a revision (head by default)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(url: str | None = None) -> str | None:
    """Return the revision the database is at, or None for an empty database."""
    with make_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """Return the newest revision shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
