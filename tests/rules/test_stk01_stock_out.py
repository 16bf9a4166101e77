"""STK-01: stocked out in the latest report; the flag closes when stock comes back."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.rules.stock_rows import AMOXICILLIN, PARACETAMOL, flags, run, series, store


def test_a_zero_closing_balance_fires_with_the_facility_and_product() -> None:
    [finding] = run("STK-01", series([300, 300], [200, 0])).findings
    assert (finding.subject_type, finding.subject_key, finding.buyer_id, finding.year) == (
        "stock_item", f"1:{PARACETAMOL}", 1, 2026,
    )  # fmt: skip
    assert finding.evidence["facility"] == "Trung tâm Y tế huyện Nam Đàn"
    assert (finding.evidence["product_code"], finding.evidence["period"]) == (
        "PARA500",
        "2026-10-01",
    )
    assert "Trung tâm Y tế huyện Nam Đàn" in finding.message_vi and "hết hàng" in finding.message_vi


def test_stock_out_days_fire_even_when_stock_came_back_by_the_end() -> None:
    rows = series([300, 300], [200, 400])
    rows[-1]["stockout_days"] = 4
    [finding] = run("STK-01", rows).findings
    assert (finding.observed, finding.evidence["stockout_days"]) == (400, 4)


def test_stock_on_hand_without_stock_out_days_does_not_fire() -> None:
    outcome = run("STK-01", series([300, 300], [0, 1]))
    assert (outcome.evaluated, outcome.findings) == (1, [])


def test_one_empty_lot_beside_a_full_one_is_not_a_stock_out() -> None:
    rows = [{"closing": 0, "lot_number": "L1"}, {"closing": 80, "lot_number": "L2"}]
    assert run("STK-01", rows).findings == []


def test_an_item_the_latest_report_omits_is_not_applicable() -> None:
    rows = [*series([300], [100]), {**AMOXICILLIN, "period": date(2026, 9, 1), "closing": 0}]
    outcome = run("STK-01", rows)
    assert (outcome.evaluated, dict(outcome.not_applicable)) == (
        1,
        {"no report for the latest period": 1},
    )


def test_the_flag_closes_when_a_later_report_shows_stock(sessions: sessionmaker[Session]) -> None:
    store(sessions, "xnt-10.xlsx", series([300, 300], [200, 0]))
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-01"}, as_of=date(2026, 11, 5))
    assert (report.new, report.closed) == (1, 0)
    key = flags(sessions, "STK-01")[0][0]
    assert flags(sessions, "STK-01") == [(key, "open", True)]
    store(sessions, "xnt-11.xlsx", [{"period": date(2026, 11, 1), "issued": 100, "closing": 900}])
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-01"}, as_of=date(2026, 12, 5))
    assert (report.evaluated, report.new, report.closed) == (1, 0, 1)
    assert flags(sessions, "STK-01") == [(key, "closed", False)]
