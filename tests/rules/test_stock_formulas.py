"""The stock formulas of DESIGN.md against worked examples, numbers asserted exactly."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from rules.engine import frames
from rules.engine.pack import load_pack
from rules.stock.formulas import (
    adjusted_consumption,
    expected_deliveries,
    expiry_waste,
    expiry_waste_many,
    first_stockout_month,
    first_stockout_months,
    positions,
    project,
    project_many,
    stock_levels,
)
from tests.rules.stock_rows import AMOXICILLIN, VACCINE, series


@pytest.mark.parametrize(
    ("issued", "days", "months", "adjusted"),
    [
        pytest.param(90, 10, 1, 135.0, id="10-of-30-days-out-C90-gives-135"),
        pytest.param(90, 0, 1, 90.0, id="no-days-out-N-is-C"),
        pytest.param(90, None, 1, 90.0, id="days-out-not-reported-N-is-C"),
        pytest.param(90, 30, 1, 90.0, id="whole-month-out-N-is-C"),
        pytest.param(90, 45, 1, 90.0, id="more-days-than-the-period-N-is-C"),
        pytest.param(300, 45, 3, 600.0, id="quarter-45-of-90-days-out-doubles"),
        pytest.param(None, 10, 1, None, id="no-consumption-no-N"),
    ],
)
def test_adjusted_consumption(
    issued: float | None, days: float | None, months: int, adjusted: float | None
) -> None:
    [n] = adjusted_consumption(pd.Series([issued]), pd.Series([days]), pd.Series([months]))
    assert math.isnan(n) if adjusted is None else n == adjusted


def _position(rows: list[dict], **where: object) -> dict:
    table = positions(frames.stock(rows))
    for name, value in where.items():
        table = table[table[name] == value]
    [row] = table.to_dict("records")
    return row


def test_amc_is_the_mean_of_the_last_three_non_zero_months() -> None:
    # June 100, July 200, August 0 (skipped), September 300, October 400 -> (200+300+400)/3.
    row = _position(series([100, 200, 0, 300, 400], [500, 400, 400, 300, 900]))
    assert (row["amc"], row["amc_source"], row["months_of_stock"]) == (300.0, "computed", 3.0)


def test_amc_adjusts_each_month_for_its_stock_out_days() -> None:
    rows = series([200, 300, 300], [100, 50, 240])
    rows[2]["stockout_days"] = 10  # October: 300 x 30 / 20 = 450
    row = _position(rows)
    assert row["amc"] == (200 + 300 + 450) / 3 == pytest.approx(316.6666666666667)
    assert row["months_of_stock"] == 240 / ((200 + 300 + 450) / 3)


def test_a_two_month_period_counts_its_consumption_per_month() -> None:
    rows = [{"period": date(2026, 9, 1), "months": 2, "issued": 600, "closing": 450}]
    assert (_position(rows)["amc"], _position(rows)["months_of_stock"]) == (300.0, 1.5)


def test_months_of_stock_with_zero_consumption_is_undefined_not_infinite() -> None:
    row = _position(series([0, 0, 0], [500, 500, 500]))
    assert math.isnan(row["amc"]) and math.isnan(row["months_of_stock"])
    assert row["amc_source"] is None and not np.isinf(row["months_of_stock"])


def test_the_reported_amc_stands_in_when_nothing_was_consumed() -> None:
    row = _position(series([0, 0], [500, 500], amc_reported=250))
    assert (row["amc"], row["amc_source"], row["months_of_stock"]) == (250.0, "reported", 2.0)


def test_lots_of_one_period_are_summed_into_one_balance() -> None:
    rows = [
        {"issued": 30, "closing": 100, "lot_number": "L1", "stockout_days": 3},
        {"issued": 60, "closing": 50, "lot_number": "L2", "stockout_days": 0},
    ]
    row = _position(rows)
    # The item was out only while both lots were: the fewest days, 0.
    assert (row["closing"], row["issued"], row["stockout_days"], row["amc"]) == (150, 90, 0, 90)


def test_a_series_missing_from_its_facilitys_latest_report_is_not_judged() -> None:
    rows = [*series([100, 100], [300, 200]), {**AMOXICILLIN, "period": date(2026, 9, 1)}]
    stale = _position(rows, stock_item_id=2)
    assert (stale["judged"], stale["not_judged_reason"]) == (
        False,
        "no report for the latest period",
    )
    assert _position(rows, stock_item_id=1)["judged"]


def test_a_facility_that_stopped_reporting_in_a_dataset_that_went_on_is_not_judged() -> None:
    other = {"buyer_id": 2, "facility": "Trạm Y tế xã Nam Anh"}
    rows = [
        {"period": date(2026, 9, 1), "issued": 10, "closing": 0},
        *series([5, 5], [20, 15], **other),
    ]
    assert not _position(rows, buyer_id=1)["judged"]
    assert _position(rows, buyer_id=2)["judged"]


def test_reports_after_the_check_day_are_not_seen() -> None:
    rows = series([100, 100], [300, 0])
    [row] = positions(frames.stock(rows), as_of=date(2026, 9, 30)).to_dict("records")
    assert (row["period"], row["closing"]) == (pd.Timestamp(2026, 9, 1), 300)


def test_history_keeps_the_last_twelve_closings_for_the_sparkline() -> None:
    rows = series(list(range(1, 11)), list(range(10, 110, 10)))
    rows = [*[{**r, "period": r["period"].replace(year=2025)} for r in rows[-4:]], *rows]
    history = _position(rows)["history"]
    assert len(history) == 12
    assert history[0] == ("2025-09-01", 90.0) and history[-1] == ("2026-10-01", 100.0)


def test_positions_carry_each_categorys_levels_from_the_pack() -> None:
    rows = [*series([100], [150]), {**VACCINE, "issued": 100, "closing": 500}]
    table = positions(frames.stock(rows), stock_levels(load_pack())).set_index("category")
    assert table.loc["medicine", ["eop_months", "min_months", "max_months"]].tolist() == [
        0.5,
        2.0,
        6.0,
    ]
    assert table.loc["vaccine", ["min_months", "max_months"]].tolist() == [6.0, 9.0]


def test_projection_with_a_delivery() -> None:
    # 600 at an AMC of 400 with 200 arriving in month 1: 400, then 0, then 400 short.
    balances = project(600, 400, [200])
    assert balances == [400.0, 0.0, -400.0]
    assert first_stockout_month(balances) == 2
    assert first_stockout_month(project(600, 400, [200, 400, 400])) is None


def test_projecting_many_series_gives_the_same_balances() -> None:
    many = project_many(np.array([600.0, 50.0]), np.array([400.0, 100.0]), np.array(
        [[200.0, 0.0, 0.0], [0.0, 300.0, np.nan]]
    ))  # fmt: skip
    assert many.tolist() == [project(600, 400, [200]), project(50, 100, [0, 300])]
    assert first_stockout_months(many).tolist() == [2, 1]


def test_fefo_expiry_waste() -> None:
    # AMC 300. A1: 600 expiring in 2 months is used in time. A2: 900 in 3 months waits for
    # A1, so 600 + 900 - 900 = 600 of it expires. An expired lot is wasted whole.
    assert expiry_waste([(900, 3), (600, 2)], 300) == [600.0, 0.0]
    assert expiry_waste([(50, -0.5)], 300) == [50.0]
    assert expiry_waste([(100, 1)], 300) == [0.0]


def test_fefo_waste_of_many_series_gives_the_same_numbers() -> None:
    waste = expiry_waste_many(
        np.array([0, 0, 1]),
        np.array([600.0, 900.0, 100.0]),
        np.array([2.0, 3.0, 1.0]),
        np.array([300.0, 300.0, 50.0]),
    )
    assert waste.tolist() == [0.0, 600.0, 50.0]


def test_expected_deliveries_spread_a_framework_allocation_over_its_remaining_months() -> None:
    table = positions(frames.stock([{"issued": 400, "closing": 600, "on_order": 200}]))
    agreement = frames.frameworks([
        {"facility_id": 1, "identity_key": "paracetamol|500mg|tablet",
         "allocated_quantity": 4800, "delivered_quantity": 1200,
         "valid_from": date(2026, 1, 1), "valid_to": date(2026, 12, 31)},
    ])  # fmt: skip
    on_order, framework = expected_deliveries(table, agreement)
    # 3,600 left over November and December; the 200 on order arrive in November.
    assert on_order.tolist() == [[200.0, 0.0, 0.0]]
    assert framework.tolist() == [[1800.0, 1800.0, 0.0]]
