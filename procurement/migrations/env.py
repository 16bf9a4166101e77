"""Alembic environment: runs against the engine the CLI resolved, never a hard-coded URL."""

from __future__ import annotations

from alembic import context

from procurement.db import make_engine
from procurement.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations on a live connection (SQLite needs batch mode to alter tables)."""
    connectable = config.attributes.get("connection") or make_engine(
        config.get_main_option("sqlalchemy.url") or None
    )
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
