"""STK-03: below the category's minimum, above the emergency order point."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rules.engine.pack import load_pack
from rules.engine.runner import run_rules
from tests.rules.stock_rows import VACCINE, flags, run, series, store


def test_below_two_months_fires() -> None:
    [finding] = run("STK-03", series([400, 400, 400], [1200, 900, 600])).findings
    assert (finding.observed, finding.benchmark, finding.evidence["min_months"]) == (1.5, 2, 2)


@pytest.mark.parametrize(
    ("closing", "fires"),
    [
        pytest.param(800, False, id="exactly-the-minimum-passes"),
        pytest.param(799, True, id="just-below-the-minimum-fires"),
        pytest.param(199, False, id="below-the-emergency-point-is-stk02s"),
        pytest.param(0, False, id="stocked-out-is-stk01s"),
    ],
)
def test_the_bands_do_not_overlap(closing: float, fires: bool) -> None:
    rows = series([400, 400, 400], [1200, 900, closing])
    assert bool(run("STK-03", rows).findings) is fires


def test_each_stock_band_has_exactly_one_rule() -> None:
    """Stocked out, below the emergency point and below the minimum: one rule fires on each."""
    closings = {"out": 0, "emergency": 100, "minimum": 500, "enough": 1000}
    rows = [
        row
        for n, closing in enumerate(closings.values(), 1)
        for row in series([400, 400], [800, closing], stock_item_id=n, item_key=f"code:{n}")
    ]
    fired = {
        code: {f.subject_key for f in run(code, rows).findings}
        for code in ("STK-01", "STK-02", "STK-03")
    }
    assert fired == {"STK-01": {"1:code:1"}, "STK-02": {"1:code:2"}, "STK-03": {"1:code:3"}}


def test_a_vaccine_is_held_to_the_six_month_reserve_of_the_pack(
    sessions: sessionmaker[Session],
) -> None:
    """5 months of a vaccine is below its minimum of 6 (Decree 13/2024); of a medicine, not."""
    store(sessions, "xnt-10.xlsx", [
        *series([100, 100], [600, 500]),
        *series([100, 100], [600, 500], **VACCINE),
    ])  # fmt: skip
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-03"}, as_of=date(2026, 11, 5))
    assert (report.evaluated, report.new) == (2, 1)
    [(key, status, _)] = flags(sessions, "STK-03")
    assert key.endswith(":identity:dpt-vgb-hib") and status == "open"
    store(sessions, "xnt-11.xlsx", [
        {**VACCINE, "period": date(2026, 11, 1), "issued": 100, "closing": 1000},
        {"period": date(2026, 11, 1), "issued": 100, "closing": 500},
    ])  # fmt: skip
    with sessions() as session, session.begin():
        [report] = run_rules(session, load_pack(), {"STK-03"}, as_of=date(2026, 12, 5))
    assert report.closed == 1
    assert [status for _, status, _ in flags(sessions, "STK-03")] == ["closed"]


def test_the_pack_keeps_the_emergency_point_of_stk02_and_stk03_equal() -> None:
    pack = load_pack()
    for category in (None, "medicine", "vaccine"):
        assert (
            pack.rules["STK-03"].params_for(category).eop_months
            == pack.rules["STK-02"].params_for(category).eop_months
        )
