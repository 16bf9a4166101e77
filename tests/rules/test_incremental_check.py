"""The check after an import judges exactly what a full run would, on far fewer lines.

The property: after an incremental check, a full run over the whole database finds nothing to
add, change or close (province- and nation-year shares excepted: they wait for full runs).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import Flag
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from rules.engine.scope import ScopedData, scope_of_import

WAITS_FOR_FULL_RUN = {"province_year", "nation_year"}


def _flags(session: Session) -> dict[str, tuple]:
    rows = session.scalars(select(Flag).where(Flag.subject_type.not_in(WAITS_FOR_FULL_RUN)))
    return {f.fingerprint: (f.active, f.status, f.observed, f.benchmark, f.evidence) for f in rows}


def _later(lines: list[dict], days: int) -> list[dict]:
    return [
        {**line, "decision_date": line["decision_date"] + timedelta(days=days)} for line in lines
    ]


def _new_lines(case: str) -> list[dict]:
    """Return another market's lines, one in 25 four times dearer: its latest, in among the
    old ones' latest, or its first, moved after them all."""
    lines = list(award_lines(seed=22, n=4_000))  # in date order
    lines = _later(lines[:400], 400) if case == "after" else lines[-300:]
    return [
        {**line, "unit_price": 4 * line["unit_price"], "amount": 4 * line["amount"]}
        if i % 25 == 0
        else line
        for i, line in enumerate(lines)
    ]


@pytest.mark.parametrize(
    "case",
    [pytest.param("among", id="new-lines-among-the-latest-old-ones"),
     pytest.param("after", id="new-lines-after-old-ones")],
)  # fmt: skip
def test_a_full_run_after_the_incremental_check_changes_nothing(
    sessions: sessionmaker[Session], case: str
) -> None:
    pack = load_pack()
    with sessions() as session, session.begin():
        store_lines(session, "old.xlsx", award_lines(seed=21, n=4_000))
    with sessions() as session, session.begin():
        run_rules(session, pack)
    with sessions() as session, session.begin():
        source_id = store_lines(session, "new.xlsx", _new_lines(case))
    with sessions() as session, session.begin():
        scope = scope_of_import(session, source_id)
        assert ScopedData.load(session, scope, pack.enabled()) is not None  # no full-run fallback
        scoped = {r.code: r for r in run_rules(session, pack, scope=scope)}
    assert sum(r.new for r in scoped.values()) > 0
    assert scoped["PRC-02"].evaluated >= 100  # the new lines were judged against old peers
    with sessions() as session:
        before = _flags(session)
    with sessions() as session, session.begin():
        full = run_rules(session, pack)
    with sessions() as session:
        after = _flags(session)
    changed = {
        r.code: (r.new, r.updated, r.closed)
        for r in full
        if r.code != "DOM-01" and (r.new, r.updated, r.closed) != (0, 0, 0)
    }
    assert changed == {}
    assert after == before


def test_an_import_spread_over_the_stored_years_is_checked_in_full(
    sessions: sessionmaker[Session],
) -> None:
    pack = load_pack()
    with sessions() as session, session.begin():
        store_lines(session, "old.xlsx", award_lines(seed=21, n=2_000))
        source_id = store_lines(session, "new.xlsx", award_lines(seed=22, n=300))
    with sessions() as session:
        scope = scope_of_import(session, source_id)
        assert ScopedData.load(session, scope, pack.enabled()) is None
        reports = {r.code: r for r in run_rules(session, pack, scope=scope)}
    judged = reports["PRC-01"].evaluated + sum(reports["PRC-01"].not_applicable.values())
    assert judged == 2_300  # every line, as a full run


def test_the_check_reads_only_the_new_lines_and_their_peers(
    sessions: sessionmaker[Session],
) -> None:
    pack = load_pack()
    with sessions() as session, session.begin():
        store_lines(session, "old.xlsx", award_lines(seed=21, n=4_000))
        new = _later(list(award_lines(seed=22, n=100))[:40], 400)
        source_id = store_lines(session, "new.xlsx", new)
    with sessions() as session:
        scope = scope_of_import(session, source_id)
        reports = {r.code: r for r in run_rules(session, pack, scope=scope)}
    on_their_own = ("PRC-01", "CMP-01", "CMP-02", "DQ-01", "PRC-04", "DOM-03")
    for code in on_their_own:
        judged = reports[code].evaluated + sum(reports[code].not_applicable.values())
        assert judged == 40 + (code == "DQ-01"), code  # DQ-01 also judges the file
