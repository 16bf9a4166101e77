"""STK-05: more months of stock than the maximum, or lots that expire before they are used."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.rules.stock_rows import AMOXICILLIN, PARACETAMOL, flags, run, series, store

LOTS = [
    {**AMOXICILLIN, "issued": 150, "closing": 600, "lot_number": "A1",
     "expiry_date": date(2027, 1, 23)},
    {**AMOXICILLIN, "issued": 150, "closing": 900, "lot_number": "A2",
     "expiry_date": date(2027, 2, 22)},
]  # fmt: skip


@pytest.mark.parametrize(
    ("closing", "fires"),
    [pytest.param(2401, True, id="above-6-months-fires"), pytest.param(2400, False, id="six")],
)
def test_overstock_above_the_maximum(closing: float, fires: bool) -> None:
    findings = run("STK-05", series([400], [closing])).findings
    assert [(f.subject_key, f.test) for f in findings] == (
        [(f"1:{PARACETAMOL}", "overstock")] if fires else []
    )


def test_a_lot_that_waits_behind_an_earlier_one_expires_in_part() -> None:
    outcome = run("STK-05", LOTS)
    [finding] = outcome.findings
    assert (finding.subject_type, finding.subject_key) == ("stock_lot", "1:code:AMOX500:A2")
    assert (finding.evidence["wasted"], finding.evidence["expiring_before"]) == (600, 600)
    assert (finding.evidence["months_to_expiry"], finding.evidence["expiry_date"]) == (
        3,
        "2027-02-22",
    )
    assert outcome.evaluated == 3  # the item's months of stock, and its two lots


def test_lots_used_in_time_do_not_fire() -> None:
    lots = [{**LOTS[0], "issued": 300}, {**LOTS[1], "issued": 300, "closing": 300}]
    assert run("STK-05", lots).findings == []


def test_an_expired_lot_is_wasted_whole_even_without_consumption() -> None:
    lot = {**LOTS[0], "issued": 0, "expiry_date": date(2026, 11, 1)}
    [finding] = run("STK-05", [lot]).findings
    assert finding.evidence["wasted"] == 600
    unexpired = run("STK-05", [{**lot, "expiry_date": date(2027, 11, 1)}])
    assert unexpired.not_applicable["no consumption to measure expiry risk"] == 1


def test_the_overstock_flag_closes_when_stock_falls(sessions: sessionmaker[Session]) -> None:
    store(sessions, "xnt-10.xlsx", series([400], [4000]))
    with sessions() as session, session.begin():
        run_rules(session, load_pack(), {"STK-05"}, as_of=date(2026, 11, 5))
    assert [status for _, status, _ in flags(sessions, "STK-05")] == ["open"]
    store(sessions, "xnt-11.xlsx", [{"period": date(2026, 11, 1), "issued": 400, "closing": 1600}])
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-05"}, as_of=date(2026, 12, 5))
    assert report.closed == 1
