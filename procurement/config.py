"""Where the database lives: one rule for the CLI, the scheduler, the importers and the web app."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATABASE_URL = "PROCUREMENT_DATABASE_URL"
ENV_DATA_DIR = "PROCUREMENT_DATA_DIR"


def data_dir() -> Path:
    """Return the data folder (database, stored uploads): $PROCUREMENT_DATA_DIR or ./var."""
    return Path(os.environ.get(ENV_DATA_DIR) or Path.cwd() / "var")


def default_database_url() -> str:
    """Return the embedded SQLite default, var/procurement.sqlite3 under the data folder."""
    return f"sqlite:///{data_dir() / 'procurement.sqlite3'}"


def database_url(explicit: str | None = None) -> str:
    """Resolve the URL: an explicit one, then $PROCUREMENT_DATABASE_URL, then the SQLite default."""
    url = explicit or os.environ.get(ENV_DATABASE_URL) or default_database_url()
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url
