"""The stock checks over 500 facilities x 300 products x 24 months (3.6 million stock report
rows): their time against the time to load those rows from the database, in the same run
(target: at most 2.0), on a first run (every flag new) and a second (every flag unchanged).

The database is built once, straight through the driver (no importer: it has its own
benchmark), and cached beside the award market's; each run works on a copy, so the first run
always starts with no flags. The series look like real ones: consumption with a season and
noise, deliveries every one to three months ordered up to a level, supplier delays that run
facilities out, losses, lots with expiry dates on vaccines, reported AMC and quantities on
order in part of the files, and a few rows whose balance does not add up.
"""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from bench.conftest import CACHE
from procurement.db import dispose_engines, session_factory
from procurement.migrate import upgrade
from procurement.models import Buyer, SourceFile, StockItem
from rules.engine.data import load_stock
from rules.engine.pack import load_pack
from rules.engine.registry import REGISTRY
from rules.engine.runner import run_rules

FACILITIES, PRODUCTS, MONTHS = 500, 300, 24
VACCINES = 30  # of the products; the rest are medicines
FILES = 50  # one province's monthly reports per file: ten facilities each
FIRST = date(2024, 11, 1)  # 24 months up to October 2026
AS_OF = date(2026, 11, 24)
CHUNK = 100_000
ROWS = FACILITIES * PRODUCTS * MONTHS
COLUMNS = (
    "source_file_id", "source_sheet", "source_row", "buyer_id", "stock_item_id", "period",
    "months", "opening", "received", "issued", "losses", "adjustments", "closing",
    "stockout_days", "amc_reported", "on_order", "lot_number", "expiry_date",
)  # fmt: skip


def stock_codes() -> set[str]:
    """Return the codes of the rules that read stock reports (the daily stock check)."""
    return {code for code, spec in REGISTRY.items() if "stock" in spec.reads}


def _periods() -> list[str]:
    months = [FIRST.year * 12 + FIRST.month - 1 + i for i in range(MONTHS)]
    return [date(m // 12, m % 12 + 1, 1).isoformat() for m in months]


def _series(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Simulate every (facility, product) series month by month, all series at once.

    Arrays are (series, month) with series = facility * PRODUCTS + product.
    """
    n = FACILITIES * PRODUCTS
    product = np.tile(np.arange(PRODUCTS), FACILITIES)
    vaccine = product < VACCINES
    size = np.repeat(rng.lognormal(0, 0.6, FACILITIES), PRODUCTS)
    base = size * np.where(vaccine, 300, 3000) * rng.lognormal(0, 1.0, n)
    base = np.maximum(base, 5.0)
    # months kept when the next delivery is due: about the minimum (medicines 2, vaccines 6)
    level = np.where(vaccine, rng.uniform(6.3, 7.5, n), rng.uniform(2.1, 3.2, n))
    gap = rng.integers(1, 4, n)  # deliveries every 1-3 months
    phase = rng.integers(0, 3, n)
    season = rng.uniform(0, 2 * np.pi, n)
    shape = (n, MONTHS)
    out = {k: np.zeros(shape) for k in ("opening", "received", "issued", "losses",
                                         "adjustments", "closing", "days", "on_order")}  # fmt: skip
    stock = np.round(base * (level + rng.uniform(0.5, 2.0, n)))
    for month in range(MONTHS):
        demand = base * (1 + 0.15 * np.sin(2 * np.pi * month / 12 + season))
        demand = np.maximum(1, np.round(demand * rng.lognormal(0, 0.2, n)))
        due = (month + phase) % gap == 0
        late = rng.random(n) < 0.04  # the supplier is late: nothing this month
        wanted = np.maximum(0, np.round(base * (gap + level) - stock))
        received = np.where(due & ~late, wanted, 0)
        available = stock + received
        issued = np.minimum(demand, available)
        short = demand - issued
        days = np.where(short > 0, np.minimum(30, np.ceil(30 * short / demand)), 0)
        loss = np.where(rng.random(n) < 0.04, np.floor(0.01 * (available - issued)), 0)
        closing = available - issued - loss
        out["opening"][:, month] = stock
        out["received"][:, month] = received
        out["issued"][:, month] = issued
        out["losses"][:, month] = loss
        out["closing"][:, month] = closing
        out["days"][:, month] = days
        out["on_order"][:, month] = np.where((month + 1 + phase) % gap == 0, wanted, 0)
        stock = closing
    wrong = rng.random(shape) < 0.001  # a row whose closing does not follow (STK-08)
    out["closing"] = np.where(wrong, out["closing"] + rng.integers(5, 500, shape), out["closing"])
    out["vaccine"] = vaccine
    out["base"] = base
    return out


def _rows(rng: np.random.Generator, series: dict[str, np.ndarray]):  # type: ignore[no-untyped-def]
    """Yield the stock_report rows in file, facility, period and product order."""
    periods = _periods()
    n = FACILITIES * PRODUCTS
    product = np.tile(np.arange(PRODUCTS), FACILITIES)
    facility = np.repeat(np.arange(FACILITIES), PRODUCTS)
    reports_amc = np.repeat(rng.random(FACILITIES) < 0.3, PRODUCTS)
    reports_order = np.repeat(rng.random(FACILITIES) < 0.5, PRODUCTS)
    # vaccines carry a lot: months to expiry 1-30, a few already short-dated
    expiry_months = rng.integers(1, 31, (n, MONTHS))
    for file in range(FILES):
        chosen = np.flatnonzero(facility // (FACILITIES // FILES) == file)
        row = 2
        for month in range(MONTHS):
            period = periods[month]
            absolute = FIRST.year * 12 + FIRST.month - 1 + month
            amc = np.where(reports_amc[chosen],
                           np.round(series["issued"][chosen, max(0, month - 2) : month + 1]
                                    .mean(axis=1)), np.nan)  # fmt: skip
            order = np.where(reports_order[chosen], series["on_order"][chosen, month], np.nan)
            columns = [series[k][chosen, month].tolist() for k in
                       ("opening", "received", "issued", "losses", "closing", "days")]  # fmt: skip
            amc_list, order_list = amc.tolist(), order.tolist()
            for i, index in enumerate(chosen.tolist()):
                opening, received, issued, losses, closing, days = (c[i] for c in columns)
                lot = expiry = None
                if series["vaccine"][index]:
                    ahead = absolute + int(expiry_months[index, month])
                    lot = f"L{absolute % 100:02d}{index % 997:03d}"
                    expiry = date(ahead // 12, ahead % 12 + 1, 1).isoformat()
                yield (
                    file + 1, f"T{month + 1:02d}", row, int(facility[index]) + 1,
                    int(product[index]) + 1, period, 1, opening, received, issued, losses,
                    0.0, closing, days,
                    None if amc_list[i] != amc_list[i] else amc_list[i],
                    None if order_list[i] != order_list[i] else order_list[i], lot, expiry,
                )  # fmt: skip
                row += 1


def _database() -> Path:
    """Return the cached SQLite database with the 3.6 million stock rows, building it once."""
    path = CACHE / f"stock-{FACILITIES}x{PRODUCTS}x{MONTHS}.sqlite3"
    if path.exists():
        upgrade(f"sqlite:///{path}")  # a cached database from an older schema
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = Path(f"{path}.part")
    partial.unlink(missing_ok=True)
    url = f"sqlite:///{partial}"
    upgrade(url)
    rng = np.random.default_rng(2026)
    with session_factory(url)() as session, session.begin():
        session.execute(insert(SourceFile), [
            {"sha256": f"generated:stock-{i}", "name": f"bao-cao-xnt-tinh-{i:02d}.xlsx",
             "kind": "stock-reports", "file_format": "xlsx", "size_bytes": 0,
             "uploaded_by": "generator"} for i in range(1, FILES + 1)
        ])  # fmt: skip
        session.execute(insert(Buyer), [
            {"name": f"Trung tâm Y tế huyện {i:03d}", "name_key": f"trung tam y te huyen {i:03d}",
             "province": f"Tỉnh {i // 10:02d}", "province_code": f"P{i // 10:02d}",
             "level": "district"} for i in range(FACILITIES)
        ])  # fmt: skip
        session.execute(insert(StockItem), [
            {"item_key": f"code:{'vx' if i < VACCINES else 'th'}{i:03d}",
             "product_code": f"{'VX' if i < VACCINES else 'TH'}{i:03d}",
             "product_name": f"{'Vắc xin' if i < VACCINES else 'Thuốc'} {i:03d}",
             "category": "vaccine" if i < VACCINES else "medicine",
             "unit": "Liều" if i < VACCINES else "Viên"} for i in range(PRODUCTS)
        ])  # fmt: skip
        cursor = session.connection().connection.cursor()
        sql = (f"INSERT INTO stock_report ({', '.join(COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(COLUMNS))})")  # fmt: skip
        chunk: list[tuple] = []
        for row in _rows(rng, _series(rng)):
            chunk.append(row)
            if len(chunk) == CHUNK:
                cursor.executemany(sql, chunk)
                chunk = []
        cursor.executemany(sql, chunk)
    with session_factory(url)() as session:  # everything into the file before it is renamed
        session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    dispose_engines()
    partial.replace(path)
    for suffix in ("-wal", "-shm"):  # emptied by the last connection's checkpoint
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return path


def test_stock_checks_over_3_6_million_rows_against_loading_them(benchmark, tmp_path) -> None:
    copy = tmp_path / "stock.sqlite3"
    shutil.copyfile(_database(), copy)
    url = f"sqlite:///{copy}"
    sessions = session_factory(url)
    pack = load_pack()
    codes = stock_codes()
    with sessions() as session:
        started = time.perf_counter()
        stock = load_stock(session)
        load_seconds = time.perf_counter() - started
        assert len(stock) == ROWS
        del stock
        first = benchmark.pedantic(
            run_rules, args=(session, pack), kwargs={"codes": codes, "as_of": AS_OF},
            rounds=1, iterations=1,
        )  # fmt: skip
        first_seconds = benchmark.stats.stats.min
        session.commit()
    with sessions() as session:
        started = time.perf_counter()
        second = run_rules(session, pack, codes=codes, as_of=AS_OF)
        second_seconds = time.perf_counter() - started
        session.commit()
    dispose_engines()
    assert sum(r.new for r in first) > 0 and sum(r.new for r in second) == 0
    assert sum(r.unchanged for r in second) == sum(r.new for r in first)
    per_rule = ", ".join(f"{r.code} {r.seconds:.1f} s ({r.new:,} new)" for r in first)
    print(
        f"\n{ROWS:,} stock rows ({FACILITIES} facilities x {PRODUCTS} products x {MONTHS} "
        f"months): load {load_seconds:.1f} s; stock checks {sorted(codes)} first run "
        f"{first_seconds:.1f} s (ratio {first_seconds / load_seconds:.2f}), second run "
        f"{second_seconds:.1f} s (ratio {second_seconds / load_seconds:.2f}; target <= 2.0); "
        f"first run per rule: {per_rule}"
    )
