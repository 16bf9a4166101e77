"""Stock series: a facility's reports of one item, one summed row per period, and which
period each series is judged at.

A series is (buyer_id, stock_item_id). Rows of one series and period (lots, two brands of one
identity) are summed into one balance, since substitutable stock is what keeps patients served;
stock-out days take the smallest reported (the item was out only while every lot or brand was).
A series is judged at its latest period P only when P is also the latest period of its
facility (any item) and of the file the row came from; otherwise the facility reported later
without this item, or a dataset moved on without this facility, and the balance is stale.

Everything is done by one sort of the rows and positional group arithmetic, not by grouping in
Python, because the bench runs 3.6 million rows.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

T = TypeVar("T")
DAYS_PER_MONTH = 30.0  # DESIGN.md's N = C x 30M / (30M - X) counts 30 days a month
SUMMED = ("opening", "received", "issued", "losses", "adjustments", "closing", "on_order",
          "amc_reported")  # fmt: skip
DESCRIBING = (
    "buyer_id", "stock_item_id", "facility", "province", "province_code", "item_key",
    "product_code", "product_name", "registration_number", "identity_key", "matched_by",
    "category", "unit",
)  # fmt: skip


@dataclass(frozen=True)
class SeriesTable:
    """The summed period rows of every series, sorted by series then period.

    `rows` has one row per series and period; `series_of_row` numbers each row's series
    (0..n_series-1); `last_rows` is the row of each series' latest period; `judged` says per
    series whether that period is the one to judge. `raw` are the source rows kept (after
    as_of), `raw_order` their order by series and period, `raw_row` the summed row of each.
    """

    rows: pd.DataFrame
    series_of_row: np.ndarray
    last_rows: np.ndarray
    judged: np.ndarray
    raw: pd.DataFrame
    raw_order: np.ndarray
    raw_row: np.ndarray
    starts: np.ndarray

    @property
    def n_series(self) -> int:
        """Return how many series there are."""
        return len(self.last_rows)

    def rank_from_end(self, rows: np.ndarray) -> np.ndarray:
        """Return, for sorted row positions `rows`, their rank among the chosen rows of their
        series counted from its latest (0 = latest chosen)."""
        series = self.series_of_row[rows]
        if not len(rows):
            return np.zeros(0, dtype=np.int64)
        ends = np.flatnonzero(np.r_[series[1:] != series[:-1], True])
        group = np.repeat(np.arange(len(ends)), np.diff(np.r_[-1, ends]))
        return ends[group] - np.arange(len(rows))

    def describe(self, rows: np.ndarray) -> pd.DataFrame:
        """Return the facility and item columns of summed rows (from their first source row)."""
        return self.raw.iloc[self.raw_order[self.starts[rows]]][list(DESCRIBING)].reset_index(
            drop=True
        )

    def judged_raw(self) -> pd.DataFrame:
        """Return the source rows of each judged series' judged period (its lots), in order."""
        judged_rows = np.zeros(len(self.rows), dtype=bool)
        judged_rows[self.last_rows[self.judged]] = True
        keep = judged_rows[self.raw_row]
        picked = self.raw.iloc[self.raw_order[keep]]
        return picked.assign(_series=self.series_of_row[self.raw_row[keep]])


def no_stock() -> pd.DataFrame:
    """Return an empty stock frame with every column, for a run that loaded no stock."""
    from rules.engine.frames import stock

    return stock([])


def month_numbers(periods: pd.Series) -> np.ndarray:
    """Return each period as a month count (year x 12 + month), for period arithmetic."""
    return periods.to_numpy().astype("datetime64[M]").astype(np.int64)


def cached(stock: pd.DataFrame, key: Hashable, build: Callable[[], T]) -> T:
    """Return build() computed once per stock frame and key: the rules of one run share it.

    The entry goes when the frame does (weakref.finalize), so a run's tables never outlive it.
    """
    entries = _CACHE.get(id(stock))
    if entries is None or entries[0]() is not stock:
        entries = (weakref.ref(stock), {})
        _CACHE[id(stock)] = entries
        weakref.finalize(stock, _CACHE.pop, id(stock), None)
    if key not in entries[1]:
        entries[1][key] = build()
    return cast(T, entries[1][key])


_CACHE: dict[int, tuple[weakref.ref[pd.DataFrame], dict[Hashable, Any]]] = {}


def series_table(stock: pd.DataFrame, as_of: date | None = None) -> SeriesTable:
    """Sum the rows of each series and period and mark the period each series is judged at."""
    return cached(stock, ("series", as_of), lambda: _series_table(stock, as_of))


def _series_table(stock: pd.DataFrame, as_of: date | None) -> SeriesTable:
    raw = stock if len(stock.columns) else no_stock()
    if as_of is not None and (raw["period"] > pd.Timestamp(as_of)).any():
        raw = raw[raw["period"] <= pd.Timestamp(as_of)]  # a check for a past day
    if raw["period"].isna().any():
        raw = raw[raw["period"].notna()]
    month = month_numbers(raw["period"])
    buyer = raw["buyer_id"].to_numpy(dtype=np.int64)
    item = raw["stock_item_id"].to_numpy(dtype=np.int64)
    order = _order(buyer, item, month)
    buyer, item, month = buyer[order], item[order], month[order]
    new_row = np.ones(len(buyer), dtype=bool)
    new_row[1:] = (buyer[1:] != buyer[:-1]) | (item[1:] != item[:-1])
    new_series = new_row.copy()
    new_row[1:] |= month[1:] != month[:-1]
    starts = np.flatnonzero(new_row)
    raw_row = np.cumsum(new_row) - 1
    # A period's rows count as the file's latest when any of them is in its file's latest month.
    file_id = raw["source_file_id"].to_numpy(dtype=np.int64)
    file_latest = pd.Series(month).groupby(file_id[order]).transform("max").to_numpy()
    in_latest_file = month == file_latest
    rows = _summed(raw, order, starts, len(raw))
    rows["period"] = raw["period"].to_numpy()[order[starts]]
    rows["months"] = _reduce(np.maximum, raw["months"].to_numpy(dtype=np.int64)[order], starts)
    rows["file_latest"] = _reduce(np.logical_or, in_latest_file, starts)
    series_of_row = np.cumsum(new_series[starts]) - 1
    last_rows = np.flatnonzero(np.r_[np.diff(series_of_row), 1])[: len(starts)]
    row_month = month[starts]
    facility_latest = pd.Series(row_month).groupby(buyer[starts]).transform("max").to_numpy()
    judged = (row_month[last_rows] == facility_latest[last_rows]) & rows["file_latest"].to_numpy(
        dtype=bool
    )[last_rows]
    return SeriesTable(
        rows, series_of_row.astype(np.int64), last_rows.astype(np.int64), judged, raw, order,
        raw_row, starts,
    )  # fmt: skip


def _order(buyer: np.ndarray, item: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Return the stable order of rows by facility, item and period (one int64 key when it fits)."""
    if not len(buyer):
        return np.zeros(0, dtype=np.int64)
    spans = [int(a.max()) - int(a.min()) + 1 for a in (buyer, item, month)]
    if spans[0] * spans[1] * spans[2] < 2**62:
        key = (buyer - buyer.min()) * spans[1] + (item - item.min())
        key = key * spans[2] + (month - month.min())
        return np.argsort(key, kind="stable")
    return np.lexsort((month, item, buyer))


def _summed(raw: pd.DataFrame, order: np.ndarray, starts: np.ndarray, n: int) -> pd.DataFrame:
    """Return one row per series and period: amounts summed, stock-out days the least."""
    rows = pd.DataFrame(index=pd.RangeIndex(len(starts)))
    if n == len(starts):  # no period has two rows: nothing to sum
        for name in (*SUMMED, "stockout_days"):
            rows[name] = raw[name].to_numpy(dtype=float)[order]
        return rows
    for name in SUMMED:
        rows[name] = _sum_present(raw[name].to_numpy(dtype=float)[order], starts)
    days = raw["stockout_days"].to_numpy(dtype=float)[order]
    rows["stockout_days"] = _reduce(np.fmin, days, starts)
    return rows


def _sum_present(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum each group's values, NaN when none of them is present."""
    present = ~np.isnan(values)
    total = _reduce(np.add, np.where(present, values, 0.0), starts)
    count = _reduce(np.add, present.astype(np.int64), starts)
    return np.where(count > 0, total, np.nan)


def _reduce(ufunc: np.ufunc, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Return ufunc.reduceat over the groups beginning at `starts` (none: an empty array)."""
    return ufunc.reduceat(values, starts) if len(starts) else values[:0]
