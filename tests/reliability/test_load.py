"""Load: 10 officers uploading and 50 readers for a minute against `procurement serve`.

The server is the production one (gunicorn, with the workers and threads `procurement serve`
gives a deployer) on loopback, over a market of generated award lines already checked by the
full pack. Ten officers each sign in and upload generated award files one after another (each
file unique, some with unreadable rows), following each job's progress until it is in, and
reading its result; fifty readers (ten of them auditors with the review queue and a flag page)
ask the public pages, the search, a medicine page, the API and the queue at random.

Afterwards: no request got a 5xx or no answer; every upload's job ended, imported; the database
holds exactly the lines each import page reported accepted, each file once; and a full check
finds nothing the imports' own checks left out. The figures (p95 and throughput per kind of
request) are printed and written to artifacts/load-<database>.json; no latency is asserted,
machines are shared. PROCUREMENT_LOAD_SECONDS shortens the minute for a local run.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import AwardLine, ImportJob, SourceFile
from procurement.services.permissions import CLI
from procurement.services.users import user_add
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.reliability.load_client import (
    Client,
    LoadFailure,
    Log,
    Server,
    Upload,
    read_forever,
    run_threads,
    upload_once,
    write_award_file,
)

SECONDS = float(os.environ.get("PROCUREMENT_LOAD_SECONDS", "60"))
UPLOADERS, READERS, AUDITORS = 10, 50, 10  # AUDITORS of the READERS are signed in
MARKET_LINES = 3000  # already in the database, checked, before the load starts
FILE_LINES = 300  # per uploaded file
JOB_WAIT = 180  # seconds an upload in flight at the end may take to finish
PASSWORD = "load test password"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
READER_KINDS = frozenset(
    {"/", "/medicines?q=", "medicine page", "/domestic", "/stock", "/api/v1/awards", "/review",
     "flag page"}
)  # fmt: skip
# every request; "upload end to end" spans several of them and is not counted again
REQUESTS = READER_KINDS | {"sign-in", "upload form", "upload (POST)", "job progress", "import page"}
_MEDICINE = re.compile(r'href="(/medicines/[^"?#]+)"')
_FLAG = re.compile(r'href="(/flags/\d+)"')

pytestmark = pytest.mark.skipif(
    not shutil.which("gunicorn", path=str(Path(sys.executable).parent)), reason="needs gunicorn"
)


def _market(sessions: sessionmaker[Session]) -> None:
    """Store the market, check it with the full pack, and add the officers and auditors."""
    with sessions() as session, session.begin():
        store_lines(session, "market.xlsx", award_lines(seed=11, n=MARKET_LINES))
    with sessions() as session, session.begin():
        run_rules(session, load_pack())
        for n in range(UPLOADERS):
            user_add(session, CLI, f"officer{n}", f"Officer {n}", "officer", PASSWORD)
        for n in range(AUDITORS):
            user_add(session, CLI, f"auditor{n}", f"Auditor {n}", "auditor", PASSWORD)


def _pages(base: str, log: Log) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the (kind, path) pairs the public readers and the auditors ask."""
    auditor = Client(base, log)
    auditor.sign_in("auditor0", PASSWORD)
    medicine = _MEDICINE.search(auditor.get("/medicines", "/medicines").text)
    flag = _FLAG.search(auditor.get("/review", "/review").text)
    assert medicine and flag, "no medicine on /medicines or no flag in the queue"
    public = [
        ("/", "/"),
        ("/medicines?q=", "/medicines?q=paracetamol"),
        ("/medicines?q=", "/medicines?q=amoxicillin"),
        ("/medicines?q=", "/medicines?q=vac"),
        ("medicine page", medicine.group(1)),
        ("/domestic", "/domestic"),
        ("/stock", "/stock"),
        ("/api/v1/awards", "/api/v1/awards"),
        ("/api/v1/awards", "/api/v1/awards?page=3&per_page=50"),
    ]
    review = [("/review", "/review"), ("/review", "/review?page=2"), ("flag page", flag.group(1))]
    return public, public + review * 3


def _uploader(base: str, log: Log, n: int, until: float, folder: Path, out: list[Upload]):  # type: ignore[no-untyped-def]
    """Return an officer's loop: sign in, then upload files one after another until `until`."""

    def run() -> None:
        client = Client(base, log)
        try:
            client.sign_in(f"officer{n}", PASSWORD)
        except LoadFailure:
            return
        number = n
        while time.monotonic() < until:
            path, bad = write_award_file(folder, number, FILE_LINES)
            with contextlib.suppress(LoadFailure):  # logged; the officer tries the next file
                out.append(upload_once(client, path, bad, FILE_LINES, JOB_WAIT))
            number += UPLOADERS

    return run


def _reader(base: str, log: Log, n: int, until: float, pages: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """Return a reader's loop; the first AUDITORS readers sign in as auditors."""

    def run() -> None:
        client = Client(base, log)
        try:
            if n < AUDITORS:
                client.sign_in(f"auditor{n}", PASSWORD)
        except LoadFailure:
            return
        read_forever(client, pages, until, seed=n)

    return run


def _load(base: str, folder: Path) -> tuple[Log, list[Upload], float]:
    """Run the uploaders and readers for SECONDS; return the log, the uploads and the load's
    start (time.monotonic)."""
    log = Log()
    public, audited = _pages(base, log)
    log.times.clear()
    uploads: list[Upload] = []
    files = folder / "files"
    files.mkdir()
    started = time.monotonic()
    until = started + SECONDS
    run_threads(
        [_uploader(base, log, n, until, files, uploads) for n in range(UPLOADERS)]
        + [_reader(base, log, n, until, audited if n < AUDITORS else public)
           for n in range(READERS)]
    )  # fmt: skip
    return log, uploads, started


def _report(database: str, log: Log, uploads: list[Upload], started: float) -> dict:
    """Print the figures and write them for the README; "reader pages" is every reader kind."""
    seconds = time.monotonic() - started
    lines = sum(u.accepted or 0 for u in uploads)
    readers = [t for kind, times in log.times.items() if kind in READER_KINDS for t in times]
    log.times["reader pages (all)"] = readers
    figures = {
        "database": database,
        "load_seconds": SECONDS,
        "seconds": round(seconds, 1),
        "uploaders": UPLOADERS,
        "readers": READERS,
        "uploads_completed": sum(u.import_id is not None for u in uploads),
        "lines_imported": lines,
        "lines_per_second": round(lines / seconds, 1),
        "requests": sum(len(times) for kind, times in log.times.items() if kind in REQUESTS),
        "failures": len(log.failures),
        "sent_again_after_idle_close": dict(log.resends),
        "by_kind": log.figures(started),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"load-{database}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nload on {database}: {UPLOADERS} uploaders, {READERS} readers, {seconds:.0f} s; "
          f"{figures['requests']} requests, {figures['failures']} failures; "
          f"{figures['uploads_completed']} uploads, {lines} lines imported; sent again after "
          f"the server closed an idle connection: {sum(log.resends.values())}")  # fmt: skip
    for kind, row in figures["by_kind"].items():
        print(f"  {kind:<20} {row['requests']:>6} requests  p50 {row['p50_ms']:>8.1f} ms  "
              f"p95 {row['p95_ms']:>8.1f} ms  {row['per_second']:>7.2f}/s")  # fmt: skip
    return figures


def _stored(sessions: sessionmaker[Session]) -> tuple[dict[int, int], list[ImportJob], int]:
    """Return award lines per uploaded source file, the upload jobs, and the total lines."""
    with sessions() as session:
        per_file = dict(
            session.execute(
                select(SourceFile.id, func.count(AwardLine.id))
                .outerjoin(AwardLine, AwardLine.source_file_id == SourceFile.id)
                .where(SourceFile.name != "market.xlsx")
                .group_by(SourceFile.id)
            ).all()
        )
        jobs = list(session.scalars(select(ImportJob)))
        total = session.scalar(select(func.count()).select_from(AwardLine)) or 0
    return per_file, jobs, total


def test_ten_uploaders_and_fifty_readers_get_no_error_and_lose_no_line(
    db_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _market(sessions)
    server = Server(db_url, tmp_path)
    try:
        log, uploads, started = _load(server.base, tmp_path)
    finally:
        server.stop()
    _report(sessions.kw["bind"].dialect.name, log, uploads, started)

    assert not log.failures, (
        "\n".join(map(str, log.failures[:20])) + "\n" + "\n".join(server.errors()[:40])
    )
    assert server.errors() == []
    assert len(uploads) >= UPLOADERS and all(u.import_id is not None for u in uploads), [
        u for u in uploads if u.import_id is None
    ]
    for upload in uploads:  # as the officer saw it
        assert (upload.accepted, upload.rejected) == (upload.lines - upload.bad, upload.bad)

    per_file, jobs, total = _stored(sessions)
    assert len(jobs) == len(uploads)
    assert all((job.status, job.outcome) == ("done", "imported") for job in jobs)
    checked = [job.message_en or "" for job in jobs]
    assert [note for note in checked if not note.startswith("Rules checked")] == []
    assert sorted(per_file) == sorted(u.import_id for u in uploads)  # each file once
    assert per_file == {u.import_id: u.accepted for u in uploads}
    assert total == MARKET_LINES + sum(per_file.values())

    with sessions() as session, session.begin():
        full = run_rules(session, load_pack())
    # A stock rule (STK-*) is judged by the stock job and a full check, not by an award
    # upload's check, even when it reads award lines: leave those out.
    changed = [(r.code, r.new, r.updated, r.closed) for r in full
               if (r.new or r.updated or r.closed) and not r.code.startswith("STK-")]  # fmt: skip
    assert changed == []
