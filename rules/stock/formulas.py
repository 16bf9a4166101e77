"""The stock formulas of DESIGN.md ("Formulas to use as written"), vectorized.

- adjusted consumption N = C x 30M / (30M - X), N = C when X = 0 or the whole period was
  stocked out (X >= 30M): consumption seen while the shelf was empty understates demand;
- average monthly consumption (AMC) = mean of the monthly adjusted consumption N / M over the
  last 3 periods with non-zero consumption, up to and including the judged period; when no
  period has consumption, the facility's own reported AMC stands in (if > 0);
- months of stock (MOS) = closing balance / AMC, undefined (NaN, never infinite) when the AMC
  is 0 or undefined: an item nobody uses is neither short nor overstocked by this measure;
- projected balances b_k = b_(k-1) - AMC + d_k from the judged closing balance, not clamped at 0
  (a negative balance is the unmet demand);
- FEFO expiry waste: lots consumed first-expiry-first at the AMC; a lot wastes what is left of it
  when it expires.

The rules and the stock pages read one row per series (facility, item) from `positions`; the
per-series work is done by sorting once and grouping by position, never by a Python loop over
series, because the bench runs 500 facilities x 300 items x 24 months.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from rules.stock.series import (
    DAYS_PER_MONTH,
    SeriesTable,
    cached,
    month_numbers,
    series_table,
)

AMC_PERIODS = 3  # DESIGN.md: the last three non-zero periods
HISTORY_PERIODS = 12  # the sparkline of the stock pages
POSITION_COLUMNS = (
    "buyer_id", "stock_item_id", "facility", "province", "province_code", "item_key",
    "product_code", "product_name", "registration_number", "identity_key", "category", "unit",
    "period", "months", "closing", "issued", "stockout_days", "on_order", "amc_reported", "amc",
    "amc_source", "months_of_stock", "judged", "not_judged_reason",
)  # fmt: skip


def adjusted_consumption(
    issued: pd.Series, stockout_days: pd.Series, months: pd.Series
) -> pd.Series:
    """Return N = C x 30M / (30M - X): consumption corrected for the days nothing was there.

    DESIGN.md: N = C when X is 0 (or not reported) or when X >= 30M, the whole period stocked
    out, where no correction can be made. A missing C gives a missing N.
    """
    c = np.asarray(issued, dtype=float)
    x = np.asarray(stockout_days, dtype=float)
    days = 30.0 * np.asarray(months, dtype=float)
    corrected = (x > 0) & (x < days)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.where(corrected, c * days / (days - np.where(corrected, x, 0.0)), c)
    return pd.Series(n, index=getattr(issued, "index", None), dtype=float)


def months_of_stock(closing: Any, amc: Any) -> Any:
    """Return closing / AMC, NaN (undefined, not infinite) where the AMC is 0 or unknown."""
    closing_values = np.asarray(closing, dtype=float)
    amc_values = np.asarray(amc, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mos = np.where(amc_values > 0, closing_values / amc_values, np.nan)
    if np.ndim(mos) == 0:
        return float(mos)
    return (
        pd.Series(mos, index=getattr(closing, "index", None))
        if isinstance(closing, pd.Series)
        else mos
    )


def project(
    closing: float, amc: float, deliveries: Sequence[float], months: int = 3
) -> list[float]:
    """Return the projected end-of-month balances b_1..b_months, b_k = b_(k-1) - AMC + d_k.

    b_0 is the judged closing balance; d_k the deliveries expected in month k (missing ones are
    0). Balances are not clamped: a negative balance is demand the facility cannot meet.
    """
    balance, balances = float(closing), []
    for k in range(months):
        arriving = float(deliveries[k]) if k < len(deliveries) else 0.0
        balance = balance - float(amc) + (0.0 if np.isnan(arriving) else arriving)
        balances.append(balance)
    return balances


def project_many(closing: np.ndarray, amc: np.ndarray, deliveries: np.ndarray) -> np.ndarray:
    """Return `project` for many series at once: deliveries is (series, months), so is the result.

    One vector operation per projected month, whatever the number of series.
    """
    balance = np.asarray(closing, dtype=float).copy()
    out = np.empty(deliveries.shape, dtype=float)
    for k in range(deliveries.shape[1]):
        balance = balance - amc + np.nan_to_num(deliveries[:, k])
        out[:, k] = balance
    return out


def first_stockout_month(balances: Sequence[float]) -> int | None:
    """Return the first projected month (1-based) whose balance is 0 or less, else None."""
    return next((k for k, b in enumerate(balances, 1) if b <= 0), None)


def first_stockout_months(balances: np.ndarray) -> np.ndarray:
    """Return `first_stockout_month` per row of a (series, months) array; 0 where none."""
    out = balances <= 0
    return np.where(out.any(axis=1), out.argmax(axis=1) + 1, 0)


def expiry_waste(lots: Sequence[tuple[float, float]], amc: float) -> list[float]:
    """Return the quantity of each lot that expires before it is consumed (FEFO).

    Lots are (quantity, months to expiry) and are consumed in order of expiry at the AMC:
    wasted_l = max(0, min(q_l, before_l + q_l - AMC x months_l)), where before_l is what the
    lots expiring earlier hold. A lot already expired (months <= 0) is wasted whole. Returned in
    the order given.
    """
    order = sorted(range(len(lots)), key=lambda i: lots[i][1])
    wasted = [0.0] * len(lots)
    before = 0.0
    for i in order:
        quantity, months = (float(v) for v in lots[i])
        if months <= 0:
            wasted[i] = quantity
        else:
            wasted[i] = max(0.0, min(quantity, before + quantity - amc * months))
        before += quantity
    return wasted


def expiry_waste_many(
    group: np.ndarray, quantity: np.ndarray, months: np.ndarray, amc: np.ndarray
) -> np.ndarray:
    """Return `expiry_waste` for lots of many series: rows sorted by group, then months.

    `amc` is per lot (its series' AMC); before_l is a cumulative sum within the group.
    """
    total = np.cumsum(quantity)
    starts = np.r_[True, group[1:] != group[:-1]]
    offset = np.maximum.accumulate(np.where(starts, total - quantity, 0.0))
    before = total - quantity - offset
    waste = np.clip(np.minimum(quantity, before + quantity - amc * months), 0.0, None)
    return np.where(months <= 0, quantity, waste)


def months_until(day: date, expiry: pd.Series) -> np.ndarray:
    """Return the months from `day` to each expiry date, a month being 30 days as in N's 30M."""
    days = (expiry - pd.Timestamp(day)).dt.days.to_numpy(dtype=float)
    return days / DAYS_PER_MONTH


def positions(
    stock: pd.DataFrame,
    pack_params_for: Callable[[str], Any] | None = None,
    *,
    as_of: date | None = None,
    history: bool = True,
) -> pd.DataFrame:
    """Return one row per series (facility, item) at its latest period, with AMC and MOS.

    Rows of one series and period (lots, two brands of one identity) are summed first; see
    rules.stock.series for how the judged period is chosen and the columns carried. `judged` is
    False, with `not_judged_reason`, when the series did not report for the latest period.
    Reports after `as_of` are ignored. With `pack_params_for` (category -> an object with
    any of eop_months, min_months, max_months, e.g. `stock_levels(pack)`), those columns are
    added per row. `history` adds the last 12 (period ISO, closing) pairs for sparklines.
    """
    frame = cached(
        stock,
        ("positions", as_of, history),
        lambda: _positions(series_table(stock, as_of), history),
    )
    if pack_params_for is not None:
        frame = with_levels(frame, pack_params_for)
    return frame


def with_levels(frame: pd.DataFrame, params_for: Callable[[str], Any]) -> pd.DataFrame:
    """Add each row's eop_months, min_months and max_months for its category."""
    added: dict[str, np.ndarray] = {}
    category = frame["category"].astype(object).fillna("").to_numpy()
    for name in ("eop_months", "min_months", "max_months"):
        values = np.full(len(frame), np.nan)
        for value in pd.unique(category):
            level = getattr(params_for(value), name, None)
            if level is not None:
                values[category == value] = float(level)
        added[name] = values
    return frame.assign(**added)


def rolling_amc(table: SeriesTable) -> tuple[np.ndarray, np.ndarray]:
    """Return every period's AMC, and whether it was computed (else reported, or NaN).

    The AMC of a period is the mean monthly adjusted consumption of its series' last three
    periods with consumption up to it (DESIGN.md), else the period's reported AMC when above 0.
    The rules read it at each series' judged period; the public summary at every month.
    """
    rows = table.rows
    monthly = adjusted_consumption(
        rows["issued"], rows["stockout_days"], rows["months"]
    ).to_numpy() / rows["months"].to_numpy(dtype=float)
    series = table.series_of_row
    used = np.flatnonzero(monthly > 0)
    amc = np.full(len(rows), np.nan)
    if len(used):
        total = np.r_[0.0, np.cumsum(monthly[used])]
        owner = series[used]
        first = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
        start_of = np.repeat(first, np.diff(np.r_[first, len(used)]))
        position = np.arange(len(used))
        start = np.maximum(start_of, position - (AMC_PERIODS - 1))
        amc[used] = (total[position + 1] - total[start]) / (position - start + 1)
        amc = pd.Series(amc).groupby(series).ffill().to_numpy()
    computed = ~np.isnan(amc)
    reported = rows["amc_reported"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(computed, amc, np.where(reported > 0, reported, np.nan)), computed


def _positions(table: SeriesTable, history: bool) -> pd.DataFrame:
    rows = table.rows
    every_amc, computed = rolling_amc(table)
    amc, computed = every_amc[table.last_rows], computed[table.last_rows]
    last = rows.iloc[table.last_rows].reset_index(drop=True)
    source = np.where(computed, "computed", np.where(np.isnan(amc), None, "reported"))
    out = pd.concat([table.describe(table.last_rows), last], axis=1)
    out["amc"] = amc
    out["amc_source"] = pd.array(source, dtype=object)
    out["months_of_stock"] = months_of_stock(out["closing"].to_numpy(), amc)
    out["judged"] = table.judged
    out["not_judged_reason"] = pd.array(
        np.where(table.judged, None, "no report for the latest period"), dtype=object
    )
    if history:
        out["history"] = _history(table, rows)
    return out[[*POSITION_COLUMNS, *(["history"] if history else [])]]


def _history(table: SeriesTable, rows: pd.DataFrame) -> list[list[tuple[str, float]]]:
    """Return each series' last 12 (period ISO, closing) pairs, oldest first."""
    everything = np.arange(len(rows))
    recent = everything[table.rank_from_end(everything) < HISTORY_PERIODS]
    days = rows["period"].to_numpy()[recent].astype("datetime64[D]").astype(str).tolist()
    closing = rows["closing"].to_numpy(dtype=float)[recent].tolist()
    pairs = list(zip(days, closing, strict=True))
    cuts = np.flatnonzero(np.diff(table.series_of_row[recent])) + 1
    if not pairs:
        return []
    bounds = [0, *cuts.tolist(), len(pairs)]
    return [pairs[a:b] for a, b in itertools.pairwise(bounds)]


def expected_deliveries(
    series: pd.DataFrame, frameworks: pd.DataFrame, months: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """Return (on order, framework) deliveries expected per series in each projected month.

    Month 1 is the month after the judged period. What is on order in the judged period
    arrives in month 1. A framework agreement's remaining allocation for the facility and the
    item's identity (allocated - delivered, never below 0) is spread evenly over the months
    from month 1 (or the agreement's start, if later) that begin before the agreement ends.
    Both arrays are (series, months); unmatched items (no identity) get no framework deliveries.
    """
    n = len(series)
    on_order = np.zeros((n, months))
    if n:
        on_order[:, 0] = np.nan_to_num(series["on_order"].to_numpy(dtype=float))
    framework = np.zeros((n, months))
    if not n or frameworks is None or frameworks.empty:
        return on_order, framework
    first = month_numbers(series["period"]) + series["months"].to_numpy(dtype=np.int64)
    wanted = pd.DataFrame({
        "facility_id": series["buyer_id"].to_numpy(dtype=float),
        "identity_key": series["identity_key"].astype(object).to_numpy(),
        "first": first,
        "position": np.arange(n),
    })  # fmt: skip
    items = frameworks[
        frameworks["facility_id"].notna()
        & frameworks["identity_key"].notna()
        & frameworks["valid_to"].notna()
    ]
    items = items.assign(
        facility_id=items["facility_id"].astype(float),
        identity_key=items["identity_key"].astype(object),
    )
    matched = wanted.dropna(subset=["identity_key"]).merge(
        items[["facility_id", "identity_key", "allocated_quantity", "delivered_quantity",
               "valid_from", "valid_to"]],
        on=["facility_id", "identity_key"],
    )  # fmt: skip
    if matched.empty:
        return on_order, framework
    remaining = np.clip(
        matched["allocated_quantity"].to_numpy(dtype=float)
        - np.nan_to_num(matched["delivered_quantity"].to_numpy(dtype=float)),
        0.0,
        None,
    )
    remaining = np.nan_to_num(remaining)
    begins = matched["first"].to_numpy()
    valid_from = matched["valid_from"]
    start = np.where(
        valid_from.notna().to_numpy(),
        np.maximum(begins, month_numbers(valid_from.fillna(pd.Timestamp(0)))),
        begins,
    )
    ends = matched["valid_to"]
    end_month = month_numbers(ends)
    # The agreement's last month counts when it begins before the agreement ends.
    starts_before_end = (ends.dt.day.to_numpy() > 1).astype(np.int64)
    count = end_month + starts_before_end - start
    with np.errstate(divide="ignore", invalid="ignore"):
        monthly = np.where(count > 0, remaining / np.maximum(count, 1), 0.0)
    positions_of = matched["position"].to_numpy()
    for k in range(months):
        month = begins + k
        arriving = np.where((month >= start) & (month < start + count), monthly, 0.0)
        framework[:, k] = np.bincount(positions_of, weights=arriving, minlength=n)
    return on_order, framework


@dataclass(frozen=True)
class StockLevels:
    """A category's stock levels in months of stock, as the pack sets them for the rules."""

    eop_months: float | None
    min_months: float | None
    max_months: float | None


def stock_levels(pack: Any) -> Callable[[str | None], StockLevels]:
    """Return category -> StockLevels from a pack: STK-02's emergency order point, STK-03's
    minimum and STK-05's maximum (None where the rule is not in the pack), for `positions`."""

    def levels(category: str | None) -> StockLevels:
        def get(code: str, name: str) -> float | None:
            settings = pack.rules.get(code)
            return None if settings is None else getattr(settings.params_for(category), name)

        return StockLevels(
            get("STK-02", "eop_months"), get("STK-03", "min_months"), get("STK-05", "max_months")
        )

    return levels
