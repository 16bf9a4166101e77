"""Import speed against calamine's raw parse, and peak memory at 100k and 1M lines.

Figures are ratios measured in one run, because these machines are shared and noisy: the end-to-end
import of a 200,000-line .xlsx into SQLite over python-calamine parsing the same file alone (target
at most 2.5), and the peak resident memory of a 1,000,000-line import over a 100,000-line one
(target at most 2).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session, sessionmaker

from bench.conftest import award_list
from importers.run import import_file
from procurement.db import dispose_engines, session_factory
from procurement.migrate import upgrade

ROUNDS = 3


def calamine_parse(path: Path) -> int:
    """Parse every sheet to Python lists, as the fast path's floor; return the rows."""
    rows = 0
    with CalamineWorkbook.from_path(str(path)) as book:
        for name in book.sheet_names:
            rows += len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return rows


def _fresh_database(folder: Path, round_number: list[int]) -> sessionmaker[Session]:
    round_number[0] += 1
    url = f"sqlite:///{folder / f'bench-{round_number[0]}.sqlite3'}"
    upgrade(url)
    return session_factory(url)


def test_import_200k_lines_against_calamine_parse(benchmark, list_200k: Path, tmp_path: Path):
    counter = [0]

    def setup():
        dispose_engines()
        return (list_200k, _fresh_database(tmp_path, counter)), {}

    parse_seconds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        calamine_parse(list_200k)
        parse_seconds.append(time.perf_counter() - started)
    outcome = benchmark.pedantic(import_file, setup=setup, rounds=ROUNDS, iterations=1)
    started = time.perf_counter()
    calamine_parse(list_200k)
    parse_seconds.append(time.perf_counter() - started)

    assert outcome.status == "imported"
    assert outcome.tally.accepted + outcome.tally.rejected == 200_000
    best_import = benchmark.stats.stats.min
    ratio = best_import / min(parse_seconds)
    print(
        f"\n200,000-line .xlsx: import {best_import:.2f} s ({200_000 / best_import:,.0f} lines/s), "
        f"calamine parse alone {min(parse_seconds):.2f} s; ratio import/parse = {ratio:.2f} "
        f"(target <= 2.5); readers {sorted({s.reader for s in outcome.sheets})}"
    )


def _measure(path: Path, database: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.measure", str(path), str(database)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def test_peak_memory_grows_less_than_twofold_from_100k_to_1m_lines(tmp_path: Path):
    small = _measure(award_list(100_000), tmp_path / "small.sqlite3")
    large = _measure(award_list(1_000_000), tmp_path / "large.sqlite3")
    assert (small["accepted"] + small["rejected"], large["accepted"] + large["rejected"]) == (
        100_000,
        1_000_000,
    )
    ratio = large["peak_mib"] / small["peak_mib"]
    print(
        f"\npeak memory: 100k lines {small['peak_mib']:.0f} MiB ({small['readers']}, "
        f"{small['seconds']:.0f} s), 1M lines {large['peak_mib']:.0f} MiB ({large['readers']}, "
        f"{large['seconds']:.0f} s); ratio 1M/100k = {ratio:.2f} (target <= 2)"
    )
