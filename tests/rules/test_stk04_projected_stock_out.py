"""STK-04: below minimum now and, with expected deliveries, for the next two months."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.rules.stock_rows import flags, run, series, store

AGREEMENT = {
    "facility_id": 1, "identity_key": "paracetamol|500mg|tablet", "allocated_quantity": 4800,
    "delivered_quantity": 1200, "valid_from": date(2026, 1, 1), "valid_to": date(2026, 12, 31),
}  # fmt: skip


def test_a_delivery_too_small_to_recover_fires_with_the_month_it_runs_out() -> None:
    rows = series([400], [600], on_order=200)
    [finding] = run("STK-04", rows).findings
    assert finding.evidence["projected"] == [400.0, 0.0, -400.0]
    assert finding.evidence["deliveries"] == [200.0, 0.0, 0.0]
    assert finding.evidence["stockout_month"] == "2026-12-01"
    assert "December 2026" in finding.message_en and "tháng 12/2026" in finding.message_vi


def test_the_framework_allocation_still_owed_keeps_the_item_out_of_danger() -> None:
    outcome = run("STK-04", series([400], [600]), frameworks=[AGREEMENT])
    assert (outcome.evaluated, outcome.findings) == (1, [])


def test_an_allocation_of_another_facility_does_not_count() -> None:
    elsewhere = {**AGREEMENT, "facility_id": 2}
    [finding] = run("STK-04", series([400], [600]), frameworks=[elsewhere]).findings
    assert finding.evidence["framework_deliveries"] == [0.0, 0.0, 0.0]


def test_recovering_within_the_next_two_months_does_not_fire() -> None:
    # 600 -> 400 + 700 = 700 (1.75 months) -> 300 + 900 = 1000: December reaches 2.5 months.
    rows = series([400], [600], on_order=200)
    outcome = run("STK-04", rows, frameworks=[{**AGREEMENT, "delivered_quantity": 3400}])
    assert outcome.findings == []


def test_low_but_never_empty_has_no_stockout_month() -> None:
    [finding] = run("STK-04", series([100], [150], on_order=90)).findings
    assert finding.evidence["projected"] == [140.0, 40.0, -60.0]
    assert finding.evidence["stockout_month"] == "2027-01-01"
    # 270 owed until 31/01/2027, 90 a month: 140, 130, 120, low but never empty.
    owed = {**AGREEMENT, "allocated_quantity": 270, "delivered_quantity": 0,
            "valid_to": date(2027, 1, 31)}  # fmt: skip
    [finding] = run("STK-04", series([100], [150]), frameworks=[owed]).findings
    assert finding.evidence["projected"] == [140.0, 130.0, 120.0]
    assert finding.evidence["stockout_month"] is None


def test_the_flag_closes_when_a_delivery_comes_in(sessions: sessionmaker[Session]) -> None:
    store(sessions, "xnt-10.xlsx", series([400, 400], [1000, 600], on_order=200))
    with sessions() as session, session.begin():
        run_rules(session, load_pack(), {"STK-04"}, as_of=date(2026, 11, 5))
    assert [status for _, status, _ in flags(sessions, "STK-04")] == ["open"]
    store(sessions, "xnt-11.xlsx", [{"period": date(2026, 11, 1), "issued": 400, "closing": 2400}])
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-04"}, as_of=date(2026, 12, 5))
    assert report.closed == 1
