"""STK-02: below the emergency order point, and not stocked out."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.rules.stock_rows import flags, run, series, store


def test_less_than_half_a_month_fires() -> None:
    [finding] = run("STK-02", series([400, 400, 400], [800, 400, 150])).findings
    assert (finding.observed, finding.benchmark) == (0.375, 0.5)
    assert finding.evidence["amc"] == 400 and finding.evidence["eop_months"] == 0.5
    assert "0,4 tháng" in finding.message_vi and "0.4 months" in finding.message_en


def test_exactly_half_a_month_does_not_fire() -> None:
    outcome = run("STK-02", series([400, 400, 400], [800, 400, 200]))
    assert (outcome.evaluated, outcome.findings) == (1, [])


def test_a_stocked_out_item_is_left_to_stk01() -> None:
    rows = series([400, 400], [400, 100])
    rows[-1]["stockout_days"] = 3
    outcome = run("STK-02", rows)
    assert (outcome.findings, outcome.not_applicable["stocked out (STK-01)"]) == ([], 1)


def test_without_consumption_the_months_of_stock_cannot_be_measured() -> None:
    outcome = run("STK-02", series([0, 0], [10, 10]))
    assert outcome.evaluated == 0
    assert outcome.not_applicable["no consumption to measure months of stock"] == 1


def test_the_flag_closes_when_stock_is_replenished(sessions: sessionmaker[Session]) -> None:
    store(sessions, "xnt-10.xlsx", series([400, 400, 400], [800, 400, 150]))
    with sessions() as session, session.begin():
        run_rules(session, load_pack(), {"STK-02"}, as_of=date(2026, 11, 5))
    assert [status for _, status, _ in flags(sessions, "STK-02")] == ["open"]
    store(sessions, "xnt-11.xlsx", [{"period": date(2026, 11, 1), "issued": 400, "closing": 1200}])
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-02"}, as_of=date(2026, 12, 5))
    assert report.closed == 1
    assert [status for _, status, _ in flags(sessions, "STK-02")] == ["closed"]
