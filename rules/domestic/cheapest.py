"""The cheapest peer award in a date window, for every line at once (DOM-02).

Pool lines are sorted by group (identity, standard unit, currency) and decision day, so a line's
window is a contiguous slice of that order found by one binary search on a combined integer key
(group * span + day); a sparse table then answers the minimum of every slice exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUP = ["identity_key", "standard_unit", "currency"]


def cheapest_before(lines: pd.DataFrame, pool: pd.DataFrame, days: int) -> np.ndarray:
    """Return each line's position in `pool` of its cheapest peer in the window, or -1.

    Peers share the line's GROUP and are dated from `days` before its decision date to that
    date, both ends included; among equal prices the earliest wins.
    """
    result = np.full(len(lines), -1, dtype=np.int64)
    if lines.empty or pool.empty:
        return result
    both = pd.concat([pool[GROUP], lines[GROUP]], ignore_index=True)
    codes = both.groupby(GROUP, dropna=False, sort=False).ngroup().to_numpy(np.int64)
    span = np.int64(1 << 40)  # far above any day number, so each group owns its own range
    pool_at = codes[: len(pool)] * span + _days(pool)
    order = np.lexsort((pool["standard_unit_price"].to_numpy(float), pool_at))
    pool_at, prices = pool_at[order], pool["standard_unit_price"].to_numpy(float)[order]
    line_at = codes[len(pool) :] * span + _days(lines)
    low = np.searchsorted(pool_at, line_at - days, side="left")
    high = np.searchsorted(pool_at, line_at, side="right")
    found = high > low
    result[found] = order[_range_argmin(prices, low[found], high[found])]
    return result


def _days(frame: pd.DataFrame) -> np.ndarray:
    return frame["decision_date"].to_numpy("datetime64[D]").astype(np.int64)


def _range_argmin(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Return the position of the smallest value in each half-open slice [low, high)."""
    table = [np.arange(len(values))]
    while (1 << len(table)) <= len(values):
        prev, step = table[-1], 1 << (len(table) - 1)
        left, right = prev[:-step], prev[step:]
        table.append(np.where(values[right] < values[left], right, left))
    if not len(low):
        return low
    level = np.frexp((high - low).astype(float))[1] - 1  # floor(log2(length)), exactly
    best = np.empty(len(low), dtype=np.int64)
    for k in np.unique(level):
        rows = level == k
        left = table[k][low[rows]]
        right = table[k][high[rows] - (1 << k)]
        best[rows] = np.where(values[right] < values[left], right, left)
    return best
