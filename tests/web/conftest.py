"""Web fixtures: an app on the test database, a user per role, and signing in through the form.

CSRF stays on in every test; `token(client)` reads the token from a page as a browser would.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from procurement.db import session_factory
from procurement.services.permissions import CLI
from procurement.services.users import user_add
from web import create_app

PASSWORD = "correct horse battery"
ROLES = ("officer", "auditor", "admin")
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app(db_url: str, tmp_path) -> Flask:  # type: ignore[no-untyped-def]
    """Return the app on the test database, with one user per role."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": db_url,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    with session_factory(db_url)() as session, session.begin():
        for role in ROLES:
            user_add(session, CLI, role, f"Demo {role}", role, PASSWORD)
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a client with no one signed in."""
    return app.test_client()


def token(client: FlaskClient, path: str = "/sign-in") -> str:
    """Return a CSRF token from a page (every page's header forms carry one)."""
    page = client.get(path, follow_redirects=True)
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Post the sign-in form as a browser would; return the response."""
    return client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token(client)},
    )


@pytest.fixture
def login_as(app: Flask) -> Callable[[str], FlaskClient]:
    """Return a function giving a client signed in with a role (officer, auditor, admin)."""

    def login(role: str) -> FlaskClient:
        client = app.test_client()
        response = sign_in(client, role)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return login


@pytest.fixture
def world(app: Flask, tmp_path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Return ids of things pages show: an import with a rejected row, and a flag on it."""
    from dataclasses import replace

    from sqlalchemy import select

    from importers.run import import_file
    from procurement.models import Flag, ImportJob
    from rules.engine.pack import load_pack
    from rules.engine.runner import run_rules
    from tests.importers.published import AUGMENTIN, PARACETAMOL, hospital_list, save_xlsx

    lines = [replace(PARACETAMOL, price=420, planned=400), AUGMENTIN, replace(AUGMENTIN, price="x")]
    path = save_xlsx(tmp_path / "list.xlsx", {"DS": hospital_list({"I": lines})})
    sessions = session_factory(app.config["DATABASE_URL"])
    outcome = import_file(path, sessions, uploaded_by="officer")
    assert outcome.source_file_id is not None
    with sessions() as session, session.begin():
        run_rules(session, load_pack(), codes={"PRC-01"})
    with sessions() as session:
        flag = session.scalar(select(Flag.id).where(Flag.rule == "PRC-01"))
    assert flag is not None
    with sessions() as session, session.begin():
        job = ImportJob(
            file_name="list.xlsx", stored_path=str(path), kind="awards", submitted_by="officer",
            status="done", outcome="imported", source_file_id=outcome.source_file_id,
        )  # fmt: skip
        session.add(job)
        session.flush()
        job_id = job.id
    return {"import": outcome.source_file_id, "flag": flag, "job": job_id}
