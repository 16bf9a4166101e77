"""The full rule pack over 1,000,000 award lines: rule time against the time to load the
lines from the database into pandas, measured in the same run (target: at most 2.0)."""

from __future__ import annotations

import pickle
import shutil
import time
from itertools import islice
from pathlib import Path

import pytest

from bench.conftest import CACHE
from procurement.db import dispose_engines, session_factory
from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.migrate import upgrade
from rules.engine.data import load_rule_data
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from rules.engine.scope import scope_of_import

LINES = 1_000_000
NEW_LINES = 10_000


def _database(lines: int) -> str:
    """Return a SQLite database holding `lines` generated award lines, building it once.

    The generator's market runs NEW_LINES lines further; those, its latest decisions, are kept
    beside the database as the next import (`_latest`).
    """
    path = CACHE / f"market-{lines}.sqlite3"
    url = f"sqlite:///{path}"
    if path.exists():
        upgrade(url)  # a cached database from an older schema
        return url
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = Path(f"{path}.part")
    partial.unlink(missing_ok=True)
    partial_url = f"sqlite:///{partial}"
    upgrade(partial_url)
    market = award_lines(seed=11, n=lines + NEW_LINES)
    with session_factory(partial_url)() as session, session.begin():
        store_lines(session, "bench.xlsx", islice(market, lines))
    with _latest_path(lines).open("wb") as handle:
        pickle.dump(list(market), handle)
    dispose_engines()
    partial.replace(path)
    return url


def _latest_path(lines: int) -> Path:
    return CACHE / f"market-{lines}-latest.pickle"


def _latest(lines: int) -> list[dict]:
    """Return the NEW_LINES lines that follow the database's in the same generated market."""
    with _latest_path(lines).open("rb") as handle:
        return pickle.load(handle)


def test_full_pack_over_a_million_lines_against_loading_them(benchmark) -> None:
    url = _database(LINES)
    sessions = session_factory(url)
    pack = load_pack()
    with sessions() as session:
        started = time.perf_counter()
        data = load_rule_data(session)
        load_seconds = time.perf_counter() - started

        reports = benchmark.pedantic(  # never committed: the session rolls back on close
            run_rules, args=(session, pack), kwargs={"data": data}, rounds=1, iterations=1
        )
    rule_seconds = benchmark.stats.stats.min
    assert len(data.awards) == LINES
    slowest = sorted(reports, key=lambda r: r.seconds, reverse=True)[:5]
    print(
        f"\n{LINES:,} lines: load into pandas {load_seconds:.1f} s, full pack "
        f"{rule_seconds:.1f} s; ratio rules/load = {rule_seconds / load_seconds:.2f} "
        f"(target <= 2.0); slowest: " + ", ".join(f"{r.code} {r.seconds:.1f} s" for r in slowest)
    )


@pytest.mark.parametrize(
    "case",
    [
        pytest.param("latest", id="the-latest-decisions"),
        pytest.param("spread", id="lines-spread-over-every-buyer-and-both-years"),
    ],
)
def test_incremental_check_after_importing_ten_thousand_lines(
    benchmark, tmp_path: Path, case: str
) -> None:
    """Check after an import of 10,000 new lines, as a share of a full run (target <= 0.1).

    The usual import is the latest decisions: the 10,000 lines that follow the stored ones in
    the same generated market. The spread case (10,000 lines of another market, over every
    buyer and both years, in among the stored ones) is the worst an import can do, and is
    printed for comparison.
    """
    _database(LINES)  # build the cached database on a first run
    copy = tmp_path / "rules.sqlite3"
    shutil.copyfile(CACHE / f"market-{LINES}.sqlite3", copy)
    url = f"sqlite:///{copy}"
    upgrade(url)
    sessions = session_factory(url)
    pack = load_pack()
    with sessions() as session:
        started = time.perf_counter()
        run_rules(session, pack)
        full_seconds = time.perf_counter() - started
        session.commit()
    fresh = _latest(LINES) if case == "latest" else list(award_lines(seed=99, n=NEW_LINES))
    with sessions() as session, session.begin():
        source_id = store_lines(session, "new.xlsx", fresh)
    with sessions() as session:
        scope = scope_of_import(session, source_id)
        reports = benchmark.pedantic(
            run_rules, args=(session, pack), kwargs={"scope": scope}, rounds=1, iterations=1
        )
    incremental = benchmark.stats.stats.min
    slowest = sorted(reports, key=lambda r: r.seconds, reverse=True)[:4]
    print(
        f"\n{case}: full check over {LINES:,} lines {full_seconds:.1f} s (load included); "
        f"check after importing {NEW_LINES:,} lines {incremental:.2f} s over "
        f"{len(scope.identities)} identities and {len(scope.buyers)} buyers; ratio = "
        f"{incremental / full_seconds:.3f} (target <= 0.1); new flags "
        f"{sum(r.new for r in reports):,}; slowest: "
        + ", ".join(f"{r.code} {r.seconds:.2f} s" for r in slowest)
    )
