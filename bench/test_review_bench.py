"""The auditor's review queue at 10,000 and at 1,000,000 award lines: the p95 latency of the
queue page over a mix of filters, sorts and pages, both measured in the same run (target: p95 at
1M lines at most 3 x the p95 at 10k lines). The services alone (without the page's template)
are measured too and printed beside it.

Each database holds generated lines checked by the full rule pack, so the flags are as many as
the rules really raise. Both are built once and cached beside the rules benchmark's database.
The two are asked in turn, request by request, so a busy machine slows both alike.
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.conftest import CACHE
from bench.test_rules_bench import LINES, _database
from procurement.db import dispose_engines, session_factory
from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.migrate import upgrade
from procurement.models import Flag, User
from procurement.services.flag_filters import SORTS, FlagFilters
from procurement.services.flag_queue import flag_queue, flag_queue_options
from procurement.services.permissions import CLI, Actor
from procurement.services.users import user_add
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from web import create_app

SMALL = 10_000
REQUESTS = 300
PAGE_SIZE = 50
AUDITOR = Actor("bench", "auditor")
PASSWORD = "bench password, never deployed"
WORDS = ("Bệnh viện", "Paracetamol", "Stella", "vial", "no such words")


def _flagged(lines: int) -> str:
    """Return a SQLite database of `lines` generated lines with the full pack's flags, once."""
    path = CACHE / f"review-{lines}.sqlite3"
    url = f"sqlite:///{path}"
    if path.exists():
        upgrade(url)
        return url
    partial = Path(f"{path}.part")
    partial.unlink(missing_ok=True)
    partial_url = f"sqlite:///{partial}"
    if lines == LINES:  # the rules benchmark's market, copied: its build takes minutes
        _database(LINES)
        shutil.copyfile(CACHE / f"market-{LINES}.sqlite3", partial)
        upgrade(partial_url)
    else:
        CACHE.mkdir(parents=True, exist_ok=True)
        upgrade(partial_url)
        with session_factory(partial_url)() as session, session.begin():
            store_lines(session, "bench.xlsx", award_lines(seed=11, n=lines))
    with session_factory(partial_url)() as session, session.begin():
        run_rules(session, load_pack())
    dispose_engines()
    partial.replace(path)
    return url


def _mix(url: str) -> list[tuple[FlagFilters, str, int]]:
    """Return REQUESTS queue requests: filters, sorts and pages an auditor would ask for."""
    with session_factory(url)() as session:
        options = flag_queue_options(session, AUDITOR)
        rules = sorted(set(session.scalars(select(Flag.rule).distinct())))
    choices = [
        FlagFilters(),
        FlagFilters(status="open"),
        FlagFilters(status="open", severity="medium"),
        FlagFilters(status="escalated"),
        *(FlagFilters(rule=r, status="open") for r in rules),
        FlagFilters(family="PRC"),
        *(FlagFilters(buyer_id=b) for b, _ in options.buyers[:5]),
        *(FlagFilters(province=p) for p, _ in options.provinces[:3]),
        *(FlagFilters(year=y) for y in options.years),
        *(FlagFilters(text=w) for w in WORDS),
        FlagFilters(text="Bệnh viện", status="open", family="PRC"),
    ]
    sorts = [s for name in SORTS for s in (name, f"-{name}")]
    pick = random.Random(5)
    return [
        (pick.choice(choices), pick.choice(sorts), pick.choice((1, 1, 1, 2, 3, 5, 10)))
        for _ in range(REQUESTS)
    ]


class Queue:
    """One database's queue, asked for through its services and through the web page."""

    def __init__(self, url: str, folder: Path) -> None:
        self.sessions = session_factory(url)
        self.requests = _mix(url)
        with self.sessions() as session, session.begin():
            if session.scalar(select(User.id).where(User.username == "bench")) is None:
                user_add(session, CLI, "bench", "Bench auditor", "auditor", PASSWORD)
        app = create_app(
            {"SECRET_KEY": "bench", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
             "SESSION_COOKIE_SECURE": False, "PAGE_SIZE": PAGE_SIZE,
             "UPLOAD_FOLDER": str(folder)}
        )  # fmt: skip
        self.client = app.test_client()
        signed_in = self.client.post("/sign-in", data={"username": "bench", "password": PASSWORD})
        assert signed_in.status_code == 302

    def service(self, n: int) -> float:
        """Ask the services for request n as the page does; return the seconds it took."""
        filters, sort, page = self.requests[n]
        started = time.perf_counter()
        with self.sessions() as session:  # one session per page, as a web request has
            flag_queue_options(session, AUDITOR)
            flag_queue(session, AUDITOR, filters, sort, page, PAGE_SIZE)
        return time.perf_counter() - started

    def page(self, n: int) -> float:
        """Get request n's queue page; return the seconds it took."""
        filters, sort, page = self.requests[n]
        arguments = {
            "rule": filters.rule, "family": filters.family, "severity": filters.severity,
            "status": filters.status or "", "buyer": filters.buyer_id,
            "province": filters.province, "year": filters.year, "q": filters.text,
            "sort": sort, "page": page,
        }  # fmt: skip
        query = {k: v for k, v in arguments.items() if v is not None}
        started = time.perf_counter()
        response = self.client.get("/review", query_string=query)
        seconds = time.perf_counter() - started
        assert response.status_code == 200
        return seconds


def _interleaved(small: Queue, large: Queue, ask: str) -> tuple[list[float], list[float]]:
    """Time each request on both databases in turn, so both meet the same machine load."""
    timings: tuple[list[float], list[float]] = ([], [])
    for measured in (False, True):  # the first pass warms the caches
        for n in range(REQUESTS):
            for queue, found in zip((small, large), timings, strict=True):
                seconds = getattr(queue, ask)(n)
                if measured:
                    found.append(seconds)
    return timings


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _flags(queue: Queue) -> int:
    with queue.sessions() as session:
        return len(session.scalars(select(Flag.id)).all())


def test_queue_p95_at_a_million_lines_against_ten_thousand(
    benchmark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCUREMENT_DATA_DIR", str(tmp_path))  # the app's instance folder
    small = Queue(_flagged(SMALL), tmp_path)
    large = Queue(_flagged(LINES), tmp_path)
    pages = benchmark.pedantic(_interleaved, args=(small, large, "page"), rounds=1, iterations=1)
    services = _interleaved(small, large, "service")
    print(f"\nreview queue, {REQUESTS} requests of mixed filters, sorts and pages (p95):")
    for name, (at_small, at_large) in (("page", pages), ("services", services)):
        print(
            f"  {name:<8}  {SMALL:,} lines ({_flags(small):,} flags) "
            f"{_p95(at_small) * 1000:.1f} ms; {LINES:,} lines ({_flags(large):,} flags) "
            f"{_p95(at_large) * 1000:.1f} ms; ratio = {_p95(at_large) / _p95(at_small):.2f}"
            + ("  (target <= 3)" if name == "page" else "")
        )
