"""The bad-input corpus fed to the upload page, as an officer posts it (CSRF token, background
job): never a 5xx, the refusal in Vietnamese on the job page and nothing written, or the import
with its bad rows; hostile text escaped on every page that shows it; the service still up.

One app and one database serve the whole module, as one server would receive the corpus file
after file: what each file wrote is measured as a difference, and the last test asks the same
app for its home page.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from procurement.config import database_url
from procurement.db import dispose_engines, session_factory
from procurement.migrate import upgrade
from procurement.models import AwardLine, Flag, ImportJob, SourceFile
from procurement.services.permissions import CLI
from procurement.services.users import user_add
from tests.conftest import TEST_DATABASE_URL, _reset_postgres
from tests.reliability.corpus import (
    IMAGE,
    REFUSED,
    SCRIPT,
    assert_rows_outcome,
    by_id,
    case_ids,
    stored_lines,
    written,
)
from tests.web.conftest import PASSWORD, sign_in, token
from web import create_app
from web.upload.forms import EXTENSIONS

WAIT_SECONDS = 120
WRONG_NAME_VI = (
    "Hãy tải lên tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV (.csv); tệp này không phải."
)
HOSTILE = (SCRIPT, IMAGE, "<svg onload", "<b>x</b>")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("upload")


@pytest.fixture(scope="module")
def corpus(folder: Path) -> dict[str, Path]:
    """Write every case once."""
    return {case_id: by_id(case_id).build(folder / "corpus" / case_id) for case_id in case_ids()}


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Flask]:
    """Return one app on one migrated database for the whole corpus, with a user per role."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROCUREMENT_DATA_DIR", str(folder / "data"))
        if TEST_DATABASE_URL:
            _reset_postgres(TEST_DATABASE_URL)
            url = database_url(TEST_DATABASE_URL)
        else:
            url = f"sqlite:///{folder / 'upload.sqlite3'}"
        patch.setenv("PROCUREMENT_DATABASE_URL", url)
        upgrade(url)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "DATABASE_URL": url,
                "SESSION_COOKIE_SECURE": False,
                "UPLOAD_FOLDER": str(folder / "uploads"),
            }
        )
        with session_factory(url)() as session, session.begin():
            for role in ("officer", "auditor"):
                user_add(session, CLI, role, f"Demo {role}", role, PASSWORD)
        yield app
        dispose_engines()


class Browser:
    """A client that checks every answer: never a 5xx, never unescaped hostile markup."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str):  # type: ignore[no-untyped-def]
        return self._checked(self.client.get(url))

    def upload(self, path: Path):  # type: ignore[no-untyped-def]
        fields = {
            "file": FileStorage(io.BytesIO(path.read_bytes()), path.name),
            "kind": "awards",
            "profile": "",
            "csrf_token": token(self.client, "/upload"),
        }
        # encoded in memory: the test client spools a big body to a file it never closes
        boundary, body = encode_multipart(fields)
        kind = f"multipart/form-data; boundary={boundary}"
        return self._checked(self.client.post("/upload", data=body, content_type=kind))

    def finished(self, job_page: str) -> dict:
        """Poll the job's JSON as its page does, until it is finished."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            state = self.get(f"{job_page}.json").get_json()
            if state["finished"]:
                return state
            time.sleep(0.05)
        raise AssertionError(f"{job_page} did not finish in {WAIT_SECONDS} s")

    def _checked(self, response):  # type: ignore[no-untyped-def]
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
        for raw in HOSTILE:
            assert raw not in body, f"unescaped {raw!r} in {response.request.path}"
        return response


def signed_in(app: Flask, role: str) -> Browser:
    client = app.test_client()
    assert sign_in(client, role).status_code == 302
    return Browser(client)


@pytest.fixture(scope="module")
def officer(server: Flask) -> Browser:
    return signed_in(server, "officer")


def upload_case(browser: Browser, path: Path) -> tuple[int, str, int | None]:
    """Upload a file and follow it; return the final status, page text and job id."""
    response = browser.upload(path)
    if response.status_code != 302:
        return response.status_code, response.get_data(as_text=True), None
    job_page = response.headers["Location"]
    browser.finished(job_page)
    page = browser.get(job_page)
    if page.status_code == 302:
        page = browser.get(page.headers["Location"])
    return page.status_code, page.get_data(as_text=True), int(job_page.rsplit("/", 1)[1])


@pytest.mark.parametrize("case_id", case_ids())
def test_upload_refuses_or_reports_row_by_row(
    case_id: str, corpus: dict[str, Path], server: Flask, officer: Browser, folder: Path
) -> None:
    case, path = by_id(case_id), corpus[case_id]
    sessions = session_factory(server.config["DATABASE_URL"])
    before = written(sessions, folder / "data")
    status, page, job_id = upload_case(officer, path)
    found = written(sessions, folder / "data").since(before)
    if not path.name.lower().endswith(EXTENSIONS):
        assert (status, job_id, found.nothing) == (422, None, True)  # refused by the form
        assert str(escape(WRONG_NAME_VI)) in page
    elif case.expect == REFUSED:
        with sessions() as session:
            job = session.get(ImportJob, job_id)
            assert job is not None and job.outcome == "refused"
        assert case.refusal in (job.message_en or "")
        assert status == 200 and str(escape(job.message_vi or "-")) in page  # in Vietnamese
        assert found.nothing, found
    else:
        with sessions() as session:
            job = session.get(ImportJob, job_id)
            assert job is not None and job.source_file_id is not None
            assert session.get(SourceFile, job.source_file_id).status == "imported"
        assert status == 200
        lines = stored_lines(sessions, folder, job.source_file_id)
        assert_rows_outcome(case, written(sessions, folder / "data", job.source_file_id), lines)
    assert list((folder / "uploads").glob("*")) == []  # the upload itself is never left behind


def test_hostile_text_is_escaped_on_every_page_that_shows_it(
    corpus: dict[str, Path], server: Flask, officer: Browser
) -> None:
    status, page, _job = upload_case(officer, corpus["html-and-script"])
    assert status == 200 and str(escape("<b>x</b>")) in page  # the import's error list
    sessions = session_factory(server.config["DATABASE_URL"])
    with sessions() as session:
        line = session.scalars(select(AwardLine).where(AwardLine.unit_price == 420)).first()
        assert line is not None
        flags = session.scalars(select(Flag.id).where(Flag.line_id == line.id)).all()
    assert flags, "the hostile line is priced above its plan: PRC-01 flags it"
    auditor = signed_in(server, "auditor")
    pages = [f"/imports/{line.source_file_id}", "/imports", "/review", "/review?q=script"]
    pages += [f"/flags/{flag}" for flag in flags]
    public = ["/", "/medicines?q=Paracetamol", f"/medicines/{line.identity_key}"]
    public += [f"/buyers/{line.buyer_id}", f"/sources/{line.source_file_id}", "/flags"]
    if line.supplier_id is not None:
        public.append(f"/suppliers/{line.supplier_id}")
    visitor = Browser(server.test_client())
    shown = [url for url in pages if str(escape(SCRIPT)) in auditor.get(url).get_data(True)]
    shown += [url for url in public if str(escape(SCRIPT)) in visitor.get(url).get_data(True)]
    assert len(shown) >= 3, shown  # the text reached pages, escaped (Browser checked the rest)


def test_the_service_is_still_up_after_the_whole_corpus(server: Flask, officer: Browser) -> None:
    assert Browser(server.test_client()).get("/").status_code == 200
    assert officer.get("/upload").status_code == 200
