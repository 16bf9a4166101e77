"""One SQLAlchemy session per request, from the same session factory the CLI uses."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from procurement.db import session_factory
from procurement.migrate import upgrade
from web.config import resolved_database_url


def init_app(app: Flask) -> None:
    """Bind the database: migrate it to the packaged head, then open sessions on demand."""
    url = resolved_database_url(app.config["DATABASE_URL"])
    app.config["DATABASE_URL"] = url
    upgrade(url)
    app.extensions["sessions"] = session_factory(url)
    app.teardown_appcontext(_close)


def db() -> Session:
    """Return this request's session."""
    if "db" not in g:
        g.db = current_app.extensions["sessions"]()
    return g.db


def _close(_: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()
