"""Hostile requests: path traversal in downloads, injection in every filter, session fixation,
security headers on every kind of response, and an audit history nothing can rewrite.

tests/web/test_auth.py covers CSRF, throttling and the cookie flags; tests/web/test_access.py the
route-by-role matrix. This file attacks what those do not.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import delete, func, inspect, select, text, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from procurement.config import data_dir
from procurement.db import make_engine, session_factory
from procurement.models import Flag, FlagHistory, ImportJob, SourceFile
from tests.web import stock_world
from tests.web.conftest import sign_in, token
from tests.web.test_access import EXPECTED

SECRET = "TOP-SECRET-MARKER-7c1e"
# what sends a file (grep web/ for Content-Disposition, send_file, _attachment, _stream)
DOWNLOADS = {
    "upload.import_errors", "upload.import_file", "review.export", "opendata.awards_csv",
    "opendata.awards_xlsx", "opendata.shares_csv", "opendata.flags_csv", "opendata.dictionary",
}  # fmt: skip
INJECTIONS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '"; DROP TABLE flag; --',
    "'; DELETE FROM award_line; --",
    "%' UNION SELECT username, password_hash FROM app_user --",
    "1) OR (1=1",
    "%",
    "_",
    "\\",
    "zq\x00zq",
    "x" * 10_000,
    "Thuốc'; --",
    "\u202e\ufeff😀",
]
NOTHING = "zz-no-such-value-zz"


@pytest.fixture
def secrets_outside(tmp_path: Path) -> list[Path]:
    """Plant files an attacker would like to read: in the data folder and beside it."""
    planted = [data_dir() / "secret.txt", tmp_path / "secret.txt"]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SECRET, encoding="utf-8")
    return planted


def _url(app: Flask, endpoint: str, values: dict[str, Any]) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def test_only_the_known_routes_send_files(app: Flask, login_as, world: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")  # opens every GET route (tests/web/test_access.py)
    sending = set()
    for endpoint, (method, arguments, _, _) in EXPECTED.items():
        if method != "GET":
            continue
        values = {k: world[v[1:-1]] if str(v).startswith("{") else v for k, v in arguments.items()}
        url = _url(app, endpoint, values)
        response = admin.get(url)
        if "attachment" in response.headers.get("Content-Disposition", ""):
            sending.add(endpoint)
    assert sending == DOWNLOADS


TRAVERSALS = [
    "/imports/..%2f..%2fsecret.txt/file",
    "/imports/../../secret.txt/file",
    "/imports/%2e%2e%2f%2e%2e%2fsecret.txt/file",
    "/imports/-1/file",
    "/imports/0/file",
    "/imports/99999/file",
    "/imports/1%00/file",
    "/imports/%00/errors.xlsx",
    "/imports/1;/etc/passwd/file",
    "/imports//etc/passwd/file",
    "/open-data/..%2f..%2fsecret.txt-dictionary.csv",
    "/open-data/%2e%2e%2fsecret-dictionary.csv",
    "/open-data/..-dictionary.csv",
    "/open-data/%00-dictionary.csv",
    "/open-data/awards-dictionary.csv%00.txt",
    "/open-data/../../secret.txt",
    "/static/../secret.txt",
    "/static/..%2f..%2f..%2fsecret.txt",
    "/static/%2e%2e/%2e%2e/secret.txt",
    "/static//etc/passwd",
    "/static/css/..%5c..%5csecret.txt",
    "/medicines/..%2f..%2fsecret.txt",
    "/sources/..%2fsecret.txt",
]


def test_no_download_reaches_outside_the_stored_files(
    login_as, world: dict[str, int], secrets_outside: list[Path]
) -> None:  # type: ignore[no-untyped-def]
    refused = (301, 302, 308, 400, 403, 404, 405)
    leaks = []
    for client in (login_as("admin"), login_as("officer")):
        for path in TRAVERSALS:
            response = client.get(path)
            body = response.get_data()
            if response.status_code not in refused or SECRET.encode() in body or b"root:x" in body:
                leaks.append((path, response.status_code))
    assert leaks == []


def test_the_original_file_is_the_stored_copy_under_var_files(
    app: Flask, login_as, world: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    with session_factory(app.config["DATABASE_URL"])() as session:
        stored = Path(session.get_one(SourceFile, world["import"]).stored_path or "")
    assert stored.resolve().is_relative_to((data_dir() / "files").resolve())
    response = login_as("auditor").get(f"/imports/{world['import']}/file")
    assert response.status_code == 200 and response.get_data() == stored.read_bytes()
    disposition = response.headers["Content-Disposition"]
    assert "/" not in disposition and "\\" not in disposition


def test_a_visitor_gets_no_stored_file_and_no_error_list(
    client: FlaskClient, world: dict[str, int]
) -> None:
    for suffix in ("file", "errors.xlsx"):
        response = client.get(f"/imports/{world['import']}/{suffix}")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
        assert b"PK" not in response.get_data()[:2]


def test_an_uploaded_name_with_folders_cannot_place_the_file(
    app: Flask, login_as, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(app.extensions["import_runner"], "submit", lambda job_id: None)
    officer = login_as("officer")
    names = ["../../escape.csv", "..\\..\\escape.csv", "/etc/escape.csv", "ok\x00escape.csv"]
    for name in names:
        data = {
            "file": (io.BytesIO(b"a,b\n1,2\n"), name),
            "kind": "awards",
            "profile": "",
            "csrf_token": token(officer, "/upload"),
        }
        officer.post("/upload", data=data, content_type="multipart/form-data")
    folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
    with session_factory(app.config["DATABASE_URL"])() as session:
        jobs = session.scalars(select(ImportJob)).all()
    assert jobs, "no upload was queued"
    for job in jobs:
        assert Path(job.stored_path).resolve().parent == folder
        assert "/" not in job.file_name and "\\" not in job.file_name
    assert not list(tmp_path.parent.rglob("escape.csv"))
    assert not Path("/etc/escape.csv").exists()


# --- injection: every GET route with query parameters ---

# (endpoint, role, parameter, fixed arguments)
FILTERS: list[tuple[str, str, str, dict[str, str]]] = [
    *[("review.queue", "auditor", name, {"status": "all"}) for name in
      ("q", "rule", "family", "severity", "status", "buyer", "province", "year", "sort")],
    *[("review.stock", "auditor", name, {}) for name in
      ("q", "facility", "province", "category", "band", "sort")],
    ("review.export", "auditor", "q", {"status": "all"}),
    ("upload.imports", "officer", "page", {}),
    ("admin.users", "admin", "page", {}),
    ("public.medicines", "anon", "q", {}),
    ("public.medicines", "anon", "page", {}),
    ("public.flags", "anon", "family", {}),
    ("public.domestic", "anon", "year", {}),
    ("public.stock", "anon", "year", {}),
    ("api.medicines", "anon", "q", {}),
    ("api.awards", "anon", "identity", {}),
    ("api.awards", "anon", "province", {}),
    ("api.awards", "anon", "year", {}),
    ("api.shares", "anon", "key", {"by": "buyer"}),
    ("api.shares", "anon", "by", {}),
    ("api.flags", "anon", "per_page", {}),
]  # fmt: skip


def _rows(response: Any) -> int:
    """Return how many results a response shows: a JSON total, or the table rows of a page."""
    if response.is_json:
        return int(response.get_json().get("total", 0))
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return len(response.get_data())  # an export: its size grows with its rows
    return len(re.findall(r"<tr[ >]", response.get_data(as_text=True)))


def _table_counts(session: Session) -> dict[str, int]:
    names = inspect(session.get_bind()).get_table_names()
    return {n: session.scalar(select(func.count()).select_from(text(f'"{n}"'))) for n in names}


def test_filters_are_bound_parameters(app: Flask, login_as, world: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    sessions = session_factory(app.config["DATABASE_URL"])
    stock_world.build(sessions)
    clients: dict[str, FlaskClient] = {"anon": app.test_client()}
    clients.update({role: login_as(role) for role in ("officer", "auditor", "admin")})
    with sessions() as session:
        before = _table_counts(session)
    wider, failed, tried = [], [], 0
    for endpoint, role, name, fixed in FILTERS:
        url = _url(app, endpoint, {})
        client = clients[role]
        impossible = client.get(url, query_string={**fixed, name: NOTHING})
        unfiltered = client.get(url, query_string=fixed)
        assert impossible.status_code < 500 and unfiltered.status_code < 500, (endpoint, name)
        for value in INJECTIONS:
            tried += 1
            response = client.get(url, query_string={**fixed, name: value})
            # a search with no letter or digit is no search (it folds to nothing): all rows
            baseline = impossible if any(c.isalnum() for c in value) else unfiltered
            if response.status_code >= 500:
                failed.append((endpoint, name, value[:30], response.status_code))
            elif (
                response.status_code == baseline.status_code == 200
                and endpoint != "review.export"
                and _rows(response) > _rows(baseline)
            ):
                wider.append((endpoint, name, value[:30], _rows(response), _rows(baseline)))
    assert failed == [] and wider == []
    assert tried == len(FILTERS) * len(INJECTIONS)
    with sessions() as session:
        assert _table_counts(session) == before


def test_the_public_search_finds_what_it_should_and_no_more(
    client: FlaskClient, world: dict[str, int]
) -> None:
    found = client.get("/api/v1/medicines", query_string={"q": "paracetamol"}).get_json()["total"]
    assert found >= 1
    for value in ("paracetamol' OR '1'='1", "paracetamol%' OR 1=1 --", "%", "_"):
        total = client.get("/api/v1/medicines", query_string={"q": value}).get_json()["total"]
        assert total <= found, value


# --- sessions ---


def test_sign_in_rotates_the_session_cookie_and_an_old_cookie_is_not_signed_in(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/sign-in")
    before = client.get_cookie("session")
    assert before is not None
    sign_in(client, "officer")
    after = client.get_cookie("session")
    assert after is not None and after.value != before.value
    assert client.get("/imports").status_code == 200
    replayed = app.test_client()
    replayed.set_cookie("session", before.value)
    response = replayed.get("/imports")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# --- headers on every kind of response ---

HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
)


def test_every_kind_of_response_carries_the_security_headers(
    app: Flask, login_as, world: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom() -> str:
        raise RuntimeError("a bug in a page")

    app.add_url_rule("/boom-for-the-test", "boom", boom)
    anon, auditor = app.test_client(), login_as("auditor")
    responses = {
        "html": anon.get("/"),
        "json": anon.get("/api/v1/medicines"),
        "download": auditor.get(f"/imports/{world['import']}/file"),
        "export": auditor.get("/review/export"),
        "open data": anon.get("/open-data/awards.csv"),
        "static": anon.get("/static/css/" + _a_stylesheet(app)),
        "404": anon.get("/no-such-page"),
        "404 json": anon.get("/api/v1/no-such-thing", headers={"Accept": "application/json"}),
        "403": login_as("officer").get("/review"),
        "400 csrf": anon.post("/sign-in", data={"username": "x"}),
        "500": anon.get("/boom-for-the-test"),
        "redirect": anon.get("/imports"),
    }
    missing = {
        kind: [h for h in HEADERS if h not in response.headers]
        for kind, response in responses.items()
    }
    assert {k: v for k, v in missing.items() if v} == {}
    assert responses["500"].status_code == 500
    assert "a bug in a page" not in responses["500"].get_data(as_text=True)
    assert responses["static"].status_code == 200 and responses["download"].status_code == 200
    for response in responses.values():
        response.close()


def _a_stylesheet(app: Flask) -> str:
    folder = Path(app.static_folder or "") / "css"
    return sorted(p.name for p in folder.glob("*.css"))[0]


# --- the audit history: no update or delete path ---


def _history_row(sessions: Callable[[], Session]) -> int:
    from tests.procurement.flag_world import add_flag

    with sessions() as session, session.begin():
        flag = add_flag(session)
        entry = FlagHistory(flag_id=flag, actor="engine", event="opened", to_status="open")
        session.add(entry)
        session.flush()
        return entry.id


def test_the_database_refuses_to_update_or_delete_history(db_url: str) -> None:
    sessions = session_factory(db_url)
    entry = _history_row(sessions)
    attempts = {
        "orm update": lambda s: setattr(s.get_one(FlagHistory, entry), "comment", "rewritten"),
        "update": lambda s: s.execute(update(FlagHistory).values(comment="rewritten")),
        "delete": lambda s: s.execute(delete(FlagHistory).where(FlagHistory.id == entry)),
        "orm delete": lambda s: s.delete(s.get_one(FlagHistory, entry)),
        "delete its flag": lambda s: s.execute(delete(Flag)),
        "raw sql": lambda s: s.execute(text("DELETE FROM flag_history")),
    }
    if make_engine(db_url).dialect.name == "postgresql":
        attempts["truncate"] = lambda s: s.execute(text("TRUNCATE flag_history"))
    allowed = []
    for name, attempt in attempts.items():
        with sessions() as session:
            try:
                attempt(session)
                session.flush()
            except DatabaseError as error:
                assert re.search(r"append-only|foreign key", str(error), re.IGNORECASE), error
            else:
                allowed.append(name)
            session.rollback()
    assert allowed == []
    with sessions() as session:
        row = session.get_one(FlagHistory, entry)
        assert row.comment is None
        assert session.scalar(select(func.count()).select_from(FlagHistory)) == 1


def test_appending_to_the_history_still_works(db_url: str) -> None:
    sessions = session_factory(db_url)
    _history_row(sessions)
    _history_row(sessions)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(FlagHistory)) == 2


_SOURCES = ("procurement", "rules", "web", "importers")
_WRITES = re.compile(
    r"(update|delete)\(\s*FlagHistory\b"  # update(FlagHistory) / delete(FlagHistory)
    r"|\b(UPDATE|DELETE\s+FROM|TRUNCATE)\s+(TABLE\s+)?\"?flag_history\b"  # SQL text
    r"|session\.delete\(\s*(history|entry|event)\b"
    r"|FlagHistory\)\.(update|delete)\("  # legacy Query.update / Query.delete
    r"|\b(history|entry)\.(comment|actor|event|at|to_status|from_status)\s*=[^=]",
    re.IGNORECASE,
)


def test_no_code_updates_or_deletes_history() -> None:
    root = Path(__file__).resolve().parents[2]
    found = []
    for package in _SOURCES:
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # the migration that installs the triggers names the statements
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _WRITES.search(line):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []


def test_the_scan_would_catch_a_write() -> None:
    for line in (
        "session.execute(delete(FlagHistory).where(FlagHistory.flag_id == 1))",
        "session.execute(update(FlagHistory).values(comment=''))",
        'connection.exec_driver_sql("DELETE FROM flag_history")',
        "session.query(FlagHistory).delete()",
    ):
        assert _WRITES.search(line), line
