"""STK-05: a facility holding more than it can use: overstock, or lots that will expire."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.stock.findings import (
    amount,
    date_en,
    date_vi,
    day,
    item_key,
    judged_positions,
    level,
    measured,
    months_of_stock_finding,
    number,
    product,
    records,
    stock_finding,
)
from rules.stock.formulas import expiry_waste_many, months_until, positions
from rules.stock.series import series_table

NO_EXPIRY_MEASURE = "no consumption to measure expiry risk"


@dataclass(frozen=True)
class OverstockParams:
    """Parameters of STK-05."""

    max_months: float = field(
        default=6.0, metadata={"doc": "maximum stock in months of consumption: fire above it"}
    )
    min_waste: float = field(
        default=1.0,
        metadata={"doc": "fire on a lot when at least this quantity will expire before use"},
    )


@rule(
    code="STK-05",
    version=1,
    params=OverstockParams,
    subject="stock_item",
    severity="low",
    title_en="Overstock or expiry risk",
    title_vi="Tồn kho vượt mức hoặc nguy cơ hết hạn",
    reads=frozenset({"stock"}),
)
def overstock_expiry(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a facility's item above its maximum months of stock, and each lot that will
    expire before it can be used.

    Lots are used first-expiry-first at the average monthly consumption (AMC), from the day of
    the check: a lot wastes max(0, min(q, before + q - AMC x months to expiry)), before being
    what the lots expiring earlier hold; a lot already expired is wasted whole. Two kinds of
    finding: the item (test "overstock") and the lot (subject stock_lot, test "expiry").
    Why: stock above the maximum ties up a budget other facilities lack, and stock that
    expires is money thrown away; both point to orders not matched to consumption.
    Evidence: months of stock and the maximum; per lot its number, expiry date, quantity,
    months to expiry, the quantity expiring first and the quantity wasted.
    Not applicable: no report for the latest period; no consumption to measure months of
    stock (overstock) or expiry risk (a lot not yet expired).
    """
    outcome = RuleOutcome()
    everything = positions(data.stock, as_of=data.as_of, history=False)
    judged = judged_positions(everything, outcome)
    checked = measured(judged, outcome)
    maximum = level(checked, ctx, "max_months")
    fired = checked["months_of_stock"].to_numpy() > maximum
    outcome.evaluated = len(checked)
    for row, high in zip(records(checked[fired]), maximum[fired], strict=True):
        outcome.findings.append(_overstock(row, float(high)))
    lots = _lots(data.stock, everything, data.as_of, outcome)
    outcome.evaluated += len(lots)
    minimum = level(lots, ctx, "min_waste")
    for row in records(lots[lots["wasted"].to_numpy() >= minimum]):
        outcome.findings.append(_expiry(row))
    return outcome


def _lots(
    stock: pd.DataFrame, everything: pd.DataFrame, as_of: date, outcome: RuleOutcome
) -> pd.DataFrame:
    """Return the judged series' lots with an expiry date and stock, with FEFO waste."""
    raw = series_table(stock, as_of).judged_raw()
    raw = raw[raw["expiry_date"].notna() & (raw["closing"] > 0)]
    lots = (
        raw.assign(lot_number=raw["lot_number"].astype(object).fillna(""))
        .groupby(["_series", "expiry_date", "lot_number"], as_index=False, sort=True)["closing"]
        .sum()
        .rename(columns={"closing": "quantity"})
    )
    series = lots["_series"].to_numpy()
    amc = everything["amc"].to_numpy(dtype=float)[series]
    lots["months_to_expiry"] = months_until(as_of, lots["expiry_date"])
    expired = lots["months_to_expiry"].to_numpy() <= 0
    known = expired | (amc > 0)
    outcome.not_applicable[NO_EXPIRY_MEASURE] += int((~known).sum())
    quantity = lots["quantity"].to_numpy(dtype=float)
    lots["wasted"] = expiry_waste_many(
        series, quantity, lots["months_to_expiry"].to_numpy(), np.nan_to_num(amc)
    )
    lots["expiring_before"] = _before(series, quantity)
    described = everything.iloc[series].reset_index(drop=True)
    lots = pd.concat([described, lots.drop(columns="_series")], axis=1)
    return lots[known]


def _before(series: np.ndarray, quantity: np.ndarray) -> np.ndarray:
    total = np.cumsum(quantity)
    starts = np.r_[True, series[1:] != series[:-1]] if len(series) else np.zeros(0, dtype=bool)
    return total - quantity - np.maximum.accumulate(np.where(starts, total - quantity, 0.0))


def _overstock(row: dict[str, Any], maximum: float) -> Finding:
    return months_of_stock_finding(
        row,
        maximum,
        parameter="max_months",
        test="overstock",
        verdict_en="above the maximum of",
        verdict_vi="vượt mức tồn tối đa",
    )


def _expiry(row: dict[str, Any]) -> Finding:
    lot = row["lot_number"] or day(row["expiry_date"])
    unit = row["unit"]
    wasted, expires = row["wasted"], day(row["expiry_date"])
    return stock_finding(
        row,
        subject_type="stock_lot",
        key=f"{item_key(row)}:{lot}",
        observed=wasted,
        benchmark=row["quantity"],
        test="expiry",
        evidence={
            "lot_number": row["lot_number"] or None,
            "expiry_date": expires,
            "quantity": number(row["quantity"]),
            "months_to_expiry": number(row["months_to_expiry"]),
            "expiring_before": number(row["expiring_before"]),
            "wasted": number(wasted),
        },
        message_en=(
            f"Lot {lot} of {product(row)} at {row['facility']} expires on "
            f"{date_en(row['expiry_date'])}; at "
            f"{amount(row['amc'], unit)} a month, {amount(wasted, unit)} of its "
            f"{amount(row['quantity'], unit)} will expire unused."
        ),
        message_vi=(
            f"Lô {lot} {product(row)} tại {row['facility']} hết hạn ngày "
            f"{date_vi(row['expiry_date'])}; với mức tiêu thụ "
            f"{amount(row['amc'], unit, 'vi')}/tháng, {amount(wasted, unit, 'vi')} trong số "
            f"{amount(row['quantity'], unit, 'vi')} sẽ hết hạn trước khi dùng."
        ),
    )
