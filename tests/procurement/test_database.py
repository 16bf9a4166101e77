"""The schema: migrations build exactly the models, and SQLite runs as an embedded store."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from procurement.config import database_url
from procurement.db import make_engine
from procurement.migrate import current_revision, head_revision
from procurement.models import Base


def test_migrations_build_the_models_exactly(db_url: str) -> None:
    assert current_revision(db_url) == head_revision()
    with make_engine(db_url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_query_indexes_exist(db_url: str) -> None:
    inspector = inspect(make_engine(db_url))
    indexed = {tuple(index["column_names"]) for index in inspector.get_indexes("award_line")}
    assert {
        ("identity_key", "decision_date"),
        ("buyer_id", "decision_date"),
        ("supplier_id",),
        ("decision_date",),
    } <= indexed


def test_sqlite_runs_in_wal_mode_with_foreign_keys(db_url: str) -> None:
    engine = make_engine(db_url)
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgres_urls_are_normalized_to_psycopg() -> None:
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
