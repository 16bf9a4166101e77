"""A real server and a real Chromium for the browser tests.

The app runs in a thread under werkzeug's server on a free port, on its own SQLite (or the
PostgreSQL test) database; Playwright drives the system's Chromium (/usr/bin/chromium), never a
downloaded one. Screenshots of every page land in artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium")


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the app on 127.0.0.1 at a free port; return its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Launch the system's Chromium once for the session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a fresh browser page that accepts downloads."""
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1366, "height": 900}, locale="vi-VN"
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot as a test artifact and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
