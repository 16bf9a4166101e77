"""Shared fixtures: a migrated database on SQLite, or on PostgreSQL when asked for.

Set PROCUREMENT_TEST_DATABASE_URL to a PostgreSQL URL to run every database test there instead
(CI does both). Each test gets an empty schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from procurement.config import database_url
from procurement.db import dispose_engines, session_factory
from procurement.migrate import upgrade

TEST_DATABASE_URL = os.environ.get("PROCUREMENT_TEST_DATABASE_URL")


def _reset_postgres(url: str) -> None:
    engine = create_engine(database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Return the URL of an empty, migrated database, and make it the default for the test."""
    monkeypatch.setenv("PROCUREMENT_DATA_DIR", str(tmp_path / "data"))
    if TEST_DATABASE_URL:
        _reset_postgres(TEST_DATABASE_URL)
        url = database_url(TEST_DATABASE_URL)
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    monkeypatch.setenv("PROCUREMENT_DATABASE_URL", url)
    upgrade(url)
    yield url
    dispose_engines()


@pytest.fixture
def sessions(db_url: str) -> sessionmaker[Session]:
    """Return a session factory on the test database."""
    return session_factory(db_url)


@pytest.fixture
def runner(db_url: str) -> CliRunner:
    """Return a CLI runner whose commands use the test database."""
    return CliRunner()
