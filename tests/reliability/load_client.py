"""The load test's clients: the production server, a request log, uploaders and readers.

Each client is a thread with its own `requests.Session` (its own cookies, so its own sign-in and
CSRF token), as many browsers would be. Every response is logged with its kind and time; a 5xx
or a connection error is logged as a failure, never raised in the thread, so the test sees all of
them at the end.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import RemoteDisconnected
from pathlib import Path

import requests
from urllib3.exceptions import ProtocolError

from procurement.demo.exports import write_portal_export
from procurement.demo.generator import award_lines

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_STAT = re.compile(r'<span class="value">([\d.,]+)</span>')  # rows read, accepted, rejected, ...
POLL_SECONDS = 0.2  # how often an uploader asks whether its import is done, as its page does
TIMEOUT = 120  # seconds one request may take before it counts as a connection failure


@dataclass(frozen=True)
class Failure:
    """A response the load must never get: a 5xx, an unexpected status or no answer at all."""

    kind: str
    url: str
    problem: str


@dataclass
class Log:
    """Every request's kind, seconds and end, and every failure; shared by all client threads."""

    times: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    resends: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, seconds: float) -> None:
        """Record one request (or one end-to-end upload) of a kind, as it ends."""
        with self.lock:
            self.times.setdefault(kind, []).append((seconds, time.monotonic()))

    def resent(self, kind: str) -> None:
        """Record a request sent again because the server had closed its idle connection."""
        with self.lock:
            self.resends[kind] = self.resends.get(kind, 0) + 1

    def failed(self, kind: str, url: str, problem: str) -> None:
        """Record a response the load must not get."""
        with self.lock:
            self.failures.append(Failure(kind, url, problem))

    def figures(self, started: float) -> dict[str, dict[str, float]]:
        """Return count, p50, p95 (ms) and throughput of each kind: per second from `started`
        (the load's start) to the kind's last request, as uploads in flight finish late."""
        figures = {}
        for kind, timed in sorted(self.times.items()):
            times = [seconds for seconds, _ in timed]
            span = max(end for _, end in timed) - started
            figures[kind] = {
                "requests": len(times),
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(_p95(times) * 1000, 1),
                "per_second": round(len(times) / span, 2),
            }
        return figures


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]


class Client:
    """One browser: a cookie jar, and requests that log their time and any failure."""

    def __init__(self, base: str, log: Log) -> None:
        self.base, self.log = base, log
        self.http = requests.Session()

    def get(self, kind: str, path: str, expect: tuple[int, ...] = (200,)) -> requests.Response:
        """GET a page without following redirects; log it; raise on a failure."""
        return self._send(kind, "GET", path, expect)

    def post(
        self, kind: str, path: str, expect: tuple[int, ...] = (302,), **options: object
    ) -> requests.Response:
        """POST a form; log it; raise on a failure."""
        return self._send(kind, "POST", path, expect, **options)

    def _send(
        self, kind: str, method: str, path: str, expect: tuple[int, ...], **options: object
    ) -> requests.Response:
        url = self.base + path
        started = time.perf_counter()
        send = functools.partial(
            self.http.request, method, url, allow_redirects=False, timeout=TIMEOUT, **options
        )
        try:
            try:
                response = send()
            except requests.ConnectionError as exc:
                if not _closed_before_answering(exc):
                    raise
                self.log.resent(kind)
                response = send()
        except requests.RequestException as exc:
            self.log.failed(kind, url, f"no answer: {exc!r}")
            raise LoadFailure(url) from exc
        self.log.timed(kind, time.perf_counter() - started)
        if response.status_code not in expect:
            self.log.failed(kind, url, f"{response.status_code}: {response.text[:300]}")
            raise LoadFailure(url)
        return response

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the form, with the CSRF token the form carries."""
        token = csrf_token(self.get("sign-in", "/sign-in").text)
        form = {"username": username, "password": password, "csrf_token": token}
        self.post("sign-in", "/sign-in", data=form)


def _closed_before_answering(error: requests.ConnectionError) -> bool:
    """Tell whether the server closed the connection before any byte of an answer.

    gunicorn closes a kept-alive connection after 2 idle seconds; a request sent at that moment
    meets a socket the server closes unread. Browsers send such a request again on a new
    connection, and so do these clients, once; a request the server read and answered is never
    sent twice (an upload sent twice would show as a job too many).
    """
    reason = error.args[0] if error.args else None
    return isinstance(reason, ProtocolError) and isinstance(
        reason.args[-1], ConnectionResetError | BrokenPipeError | RemoteDisconnected
    )


class LoadFailure(Exception):
    """A client's request failed (already logged); the client starts its next round."""


def csrf_token(page: str) -> str:
    """Return the CSRF token of a page's form, as a browser submits it."""
    found = _TOKEN.search(page)
    assert found, "no CSRF token on the page"
    return found.group(1)


@dataclass(frozen=True)
class Upload:
    """One generated award file and what its import showed the officer."""

    name: str
    lines: int
    bad: int
    job: int
    outcome: str  # the job's final status (done, failed) as its JSON reported it
    import_id: int | None = None
    accepted: int | None = None
    rejected: int | None = None


def write_award_file(folder: Path, number: int, lines: int) -> tuple[Path, int]:
    """Write a unique portal export of generated lines, a few of them unreadable; return the
    path and how many rows are bad (0 to 3)."""
    rows = list(award_lines(seed=1000 + number, n=lines))
    bad = number % 4
    for row in rows[10 : 10 + bad]:
        row["unit_price"] = "x"  # not a number: rejected row by row
    path = folder / f"awards-{number:04d}.xlsx"
    write_portal_export(path, rows)
    return path, bad


def upload_once(client: Client, path: Path, bad: int, lines: int, wait: float) -> Upload:
    """Upload a file through the form, follow its job until it ends, read its import page."""
    started = time.perf_counter()
    token = csrf_token(client.get("upload form", "/upload").text)
    files = {"file": (path.name, path.read_bytes())}  # bytes: a request sent again resends them
    form = {"kind": "awards", "profile": "", "csrf_token": token}
    submitted = client.post("upload (POST)", "/upload", data=form, files=files)
    job_page = _local(submitted.headers["Location"])
    job = int(job_page.rsplit("/", 1)[1])
    deadline = time.monotonic() + wait
    while True:
        state = client.get("job progress", f"{job_page}.json").json()
        if state["finished"]:
            break
        if time.monotonic() > deadline:
            return Upload(path.name, lines, bad, job, "never finished")
        time.sleep(POLL_SECONDS)
    end = client.get("job progress", job_page, expect=(200, 302))
    if end.status_code != 302:  # refused or failed: the job page says why
        return Upload(path.name, lines, bad, job, state["status"])
    result = _local(end.headers["Location"])
    page = client.get("import page", result).text  # in either language: the figures' order is fixed
    _read, accepted, rejected = (int(re.sub(r"\D", "", v)) for v in _STAT.findall(page)[:3])
    client.log.timed("upload end to end", time.perf_counter() - started)
    return Upload(
        path.name, lines, bad, job, state["status"], int(result.rsplit("/", 1)[1]),
        accepted, rejected,
    )  # fmt: skip


def _local(location: str) -> str:
    """Return the path of a redirect's Location (absolute or not)."""
    return "/" + location.split("://", 1)[-1].split("/", 1)[1] if "://" in location else location


def read_forever(client: Client, paths: list[tuple[str, str]], until: float, seed: int) -> int:
    """Ask pages picked at random from `paths` (kind, path) until the deadline; return how
    many were asked."""
    rng = random.Random(seed)
    asked = 0
    while time.monotonic() < until:
        kind, path = rng.choice(paths)
        with contextlib.suppress(LoadFailure):  # logged; a reader goes on reading
            client.get(kind, path)
        asked += 1
    return asked


def run_threads(targets: list[Callable[[], object]]) -> None:
    """Start every target in its own thread at once, and wait for them all."""
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Server:
    """`procurement serve` with the settings a deployer gets, on a free loopback port."""

    def __init__(self, url: str, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = folder / "serve.log"
        env = dict(os.environ, PROCUREMENT_DATABASE_URL=url, PROCUREMENT_DATA_DIR=str(folder))
        procurement = Path(sys.executable).parent / "procurement"
        with self.log_path.open("wb") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [procurement, "serve", "--bind", f"127.0.0.1:{port}", "--insecure-cookies"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.base}/sign-in", timeout=30)
                return
            except requests.RequestException:  # not listening yet, or a worker still booting
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not start: {self.log_path.read_text()}")

    def errors(self) -> list[str]:
        """Return the lines of the server's log that report an exception or a worker killed."""
        marks = ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT")
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if any(mark in line for mark in marks)]

    def stop(self) -> None:
        """Stop gunicorn as a deployer would (SIGTERM) and wait for it."""
        self.process.terminate()
        self.process.wait(timeout=60)
