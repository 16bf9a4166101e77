"""The full rule pack over 1,000,000 award lines: rule time against the time to load the
lines from the database into pandas, measured in the same run (target: at most 2.0)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.conftest import CACHE
from procurement.db import dispose_engines, session_factory
from procurement.demo.generator import award_lines
from procurement.migrate import upgrade
from procurement.models import SourceFile
from procurement.services.record_store import RecordStore
from rules.engine.data import load_rule_data
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from rules.engine.scope import scope_of_import

LINES = 1_000_000
RENAMED = {"buyer_name": "buyer", "group": "drug_group"}


def _database(lines: int) -> str:
    """Return a SQLite database holding `lines` generated award lines, building it once."""
    path = CACHE / f"rules-{lines}.sqlite3"
    url = f"sqlite:///{path}"
    if path.exists():
        upgrade(url)  # a cached database from an older schema
        return url
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = Path(f"{path}.part")
    partial.unlink(missing_ok=True)
    partial_url = f"sqlite:///{partial}"
    upgrade(partial_url)
    with session_factory(partial_url)() as session, session.begin():
        source = SourceFile(
            sha256="bench",
            name="bench.xlsx",
            kind="awards",
            file_format="xlsx",
            size_bytes=0,
            uploaded_by="bench",
        )
        session.add(source)
        session.flush()
        store = RecordStore(session, source.id)
        chunk: list[dict] = []
        for row, line in enumerate(award_lines(seed=11, n=lines), start=2):
            record = {RENAMED.get(k, k): v for k, v in line.items()}
            chunk.append({**record, "_row": row, "_sheet": "DS"})
            if len(chunk) == 10_000:
                store.awards(chunk)
                chunk = []
        store.awards(chunk)
    dispose_engines()
    partial.replace(path)
    return url


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


def test_incremental_check_after_importing_ten_thousand_lines(benchmark, tmp_path: Path) -> None:
    """Check after an import of 10,000 new lines, as a share of a full run (target <= 0.1)."""
    _database(LINES)  # build the cached database on a first run
    copy = tmp_path / "rules.sqlite3"
    shutil.copyfile(CACHE / f"rules-{LINES}.sqlite3", copy)
    url = f"sqlite:///{copy}"
    upgrade(url)
    sessions = session_factory(url)
    pack = load_pack()
    with sessions() as session:
        started = time.perf_counter()
        run_rules(session, pack)
        full_seconds = time.perf_counter() - started
        session.commit()
    with sessions() as session, session.begin():
        source = SourceFile(
            sha256="bench-new",
            name="new.xlsx",
            kind="awards",
            file_format="xlsx",
            size_bytes=0,
            uploaded_by="bench",
        )
        session.add(source)
        session.flush()
        fresh = [
            {**{RENAMED.get(k, k): v for k, v in line.items()}, "_row": row, "_sheet": "DS"}
            for row, line in enumerate(award_lines(seed=99, n=10_000), start=2)
        ]
        RecordStore(session, source.id).awards(fresh)
        source_id = source.id
    with sessions() as session:
        scope = scope_of_import(session, source_id)
        reports = benchmark.pedantic(
            run_rules, args=(session, pack), kwargs={"scope": scope}, rounds=1, iterations=1
        )
    incremental = benchmark.stats.stats.min
    print(
        f"\nfull check over {LINES:,} lines {full_seconds:.1f} s (load included); check after "
        f"importing 10,000 lines {incremental:.1f} s over {len(scope.identities)} identities "
        f"and {len(scope.buyers)} buyers; ratio = {incremental / full_seconds:.2f} "
        f"(target <= 0.1); new flags {sum(r.new for r in reports):,}"
    )
