"""STK-08: balances that do not add up, or go negative."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from procurement.models import SourceFile
from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.rules.stock_rows import PARACETAMOL, flags, run, store

ROW = {"opening": 200, "received": 500, "issued": 400, "losses": 10, "adjustments": -5}


@pytest.mark.parametrize(
    ("closing", "fires"),
    [
        pytest.param(285, False, id="adds-up"),
        pytest.param(286, False, id="off-by-one-is-rounding"),
        pytest.param(287, True, id="off-by-two-fires"),
    ],
)
def test_opening_plus_movements_must_give_the_closing(closing: float, fires: bool) -> None:
    findings = run("STK-08", [{**ROW, "closing": closing}]).findings
    assert bool(findings) is fires
    if fires:
        assert findings[0].subject_key == f"1:{PARACETAMOL}:2026-10-01:"
        assert (findings[0].evidence["computed_closing"], findings[0].evidence["difference"]) == (
            285,
            2,
        )


def test_a_negative_balance_fires_even_when_it_adds_up() -> None:
    [finding] = run("STK-08", [{"opening": 10, "issued": 30, "closing": -20}]).findings
    assert (finding.test, finding.observed) == ("negative balance", -20)


def test_missing_movements_count_as_zero_but_balances_are_needed() -> None:
    assert run("STK-08", [{"opening": 100, "closing": 100}]).findings == []
    outcome = run("STK-08", [{"issued": 100, "closing": 100}])
    assert outcome.not_applicable["no opening or closing balance"] == 1


def test_two_rows_of_one_item_and_month_keep_their_own_flags() -> None:
    rows = [{**ROW, "closing": 0}, {**ROW, "closing": 1}]
    keys = [f.subject_key for f in run("STK-08", rows).findings]
    assert keys == [f"1:{PARACETAMOL}:2026-10-01:", f"1:{PARACETAMOL}:2026-10-01:#2"]


def test_only_the_last_months_are_checked() -> None:
    old = {**ROW, "closing": 0, "period": date(2025, 10, 1)}
    outcome = run("STK-08", [old, {**ROW, "closing": 285}])
    assert outcome.findings == [] and outcome.not_applicable["older than the periods checked"] == 1


def test_the_flag_closes_when_the_file_is_corrected(sessions: sessionmaker[Session]) -> None:
    store(sessions, "xnt-10.xlsx", [{**ROW, "closing": 300}])
    with sessions() as session, session.begin():
        run_rules(session, load_pack(), {"STK-08"}, as_of=date(2026, 11, 5))
    assert [status for _, status, _ in flags(sessions, "STK-08")] == ["open"]
    store(sessions, "xnt-11.xlsx", [{**ROW, "period": date(2026, 11, 1), "closing": 285}])
    with sessions() as session, session.begin():
        run_rules(session, load_pack(), {"STK-08"}, as_of=date(2026, 12, 5))
    # The October row still does not add up: a later month does not correct it.
    assert [status for _, status, _ in flags(sessions, "STK-08")] == ["open"]
    with sessions() as session, session.begin():  # the officer withdraws it for a corrected one
        session.execute(
            update(SourceFile).where(SourceFile.name == "xnt-10.xlsx").values(status="withdrawn")
        )
    store(sessions, "xnt-10-sua.xlsx", [{**ROW, "closing": 285}])
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-08"}, as_of=date(2026, 12, 5))
    assert (report.evaluated, report.closed) == (2, 1)
    assert [status for _, status, _ in flags(sessions, "STK-08")] == ["closed"]
