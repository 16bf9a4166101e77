"""Date windows over award lines, shared by the price rules (PRC-02, PRC-03, PRC-05, PLN-01).

Lines are sorted once by a group (identity and unit, registration number, ...) and decision
day; a line's window is then a slice [lo, hi) of that order, found for every line of every
group at once by one searchsorted on a combined integer key (group * span + day). Reductions
over the slices are exact: a sparse table for idempotent ones (min, max, cheapest other buyer),
and a sorted sliding window for the peer quantiles, which no vectorized form gives in O(log n).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from math import inf, nan
from typing import Literal

import numpy as np
import pandas as pd

State = tuple[np.ndarray, ...]
QUANTILES = (0.25, 0.5, 0.75)


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Return each date as whole days since 1970-01-01 (int64); dates must not be missing."""
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


@dataclass(frozen=True)
class SortedLines:
    """Lines sorted by group, then day, then frame order; `order[i]` is the i-th line's iloc."""

    order: np.ndarray
    codes: np.ndarray
    days: np.ndarray
    key: np.ndarray
    base: int
    span: int

    @classmethod
    def build(cls, frame: pd.DataFrame, columns: list[str]) -> SortedLines:
        """Sort the frame's lines by the columns (missing is a value too) and decision day."""
        codes = frame.groupby(columns, sort=False, dropna=False).ngroup().to_numpy(np.int64)
        days = day_numbers(frame["decision_date"])
        base = int(days.min()) - 1 if len(days) else 0
        span = int(days.max()) - base + 2 if len(days) else 2  # an empty day at each end
        key = codes * span + (days - base)
        order = np.argsort(key, kind="stable")
        return cls(order, codes[order], days[order], key[order], base, span)

    def bound(self, day: np.ndarray, side: Literal["left", "right"]) -> np.ndarray:
        """Return where each sorted line's `day` falls among its own group's days."""
        offset = np.clip(day - self.base, 0, self.span - 1)
        return np.searchsorted(self.key, self.codes * self.span + offset, side=side)

    def months_before(self, frame: pd.DataFrame, months: int) -> np.ndarray:
        """Return each sorted line's decision date moved back by calendar months, as a day."""
        dates = frame["decision_date"].iloc[self.order]
        return day_numbers(dates - pd.DateOffset(months=months))


def range_query(
    state: State, merge: Callable[[State, State], State], lo: np.ndarray, hi: np.ndarray
) -> State:
    """Reduce `state` over every non-empty slice [lo, hi) with an idempotent `merge`.

    A sparse table built one level at a time: the queries whose length needs level k are
    answered while level k is at hand, so memory stays a few arrays as long as the lines.
    """
    length = hi - lo
    level = np.floor(np.log2(np.maximum(length, 1))).astype(np.int64)
    level -= (np.left_shift(1, level) > length).astype(np.int64)  # exact floor(log2)
    level += (np.left_shift(1, level + 1) <= length).astype(np.int64)
    out = tuple(np.empty(len(lo), dtype=part.dtype) for part in state)
    current = state
    for k in range(int(level.max()) + 1 if len(lo) else 0):
        if k:
            half = 1 << (k - 1)
            current = merge(tuple(p[:-half] for p in current), tuple(p[half:] for p in current))
        at = level == k
        if at.any():
            left = tuple(p[lo[at]] for p in current)
            right = tuple(p[hi[at] - (1 << k)] for p in current)
            for target, part in zip(out, merge(left, right), strict=True):
                target[at] = part
    return out


def extreme_index(values: np.ndarray, lowest: bool) -> Callable[[State, State], State]:
    """Return a merge keeping the index of the lowest (or highest) value, the earlier on ties."""

    def merge(a: State, b: State) -> State:
        first = values[a[0]] <= values[b[0]] if lowest else values[a[0]] >= values[b[0]]
        return (np.where(first, a[0], b[0]),)

    return merge


def peer_stats(
    lo: np.ndarray, hi: np.ndarray, prices: np.ndarray, logs: np.ndarray, min_peers: int
) -> dict[str, np.ndarray]:
    """Return Q1, median, Q3 of prices and the median and MAD of logs over each line's peers.

    Sorted lines' windows [lo, hi) hold the line itself, which is left out of its peers.
    The order statistics each quantile interpolates are read from a sliding sorted window;
    numpy's "linear" interpolation (its virtual index and _lerp) is then applied to all lines
    at once, so results are bit-identical to np.quantile's. Too few peers: NaN.
    """
    count = hi - lo - 1
    ranks = []  # per quantile, the two 0-based peer ranks it interpolates between
    for q in QUANTILES:
        below = np.floor((count - 1) * q).astype(np.int64)
        ranks += [below.tolist(), np.minimum(below + 1, count - 1).tolist()]
    picked, log_median, mad = _scan(lo, hi, prices, logs, max(min_peers, 1), ranks)
    stats = {"log_median": np.array(log_median), "mad": np.array(mad)}
    for position, name in enumerate(("q1", "median", "q3")):
        a, b = np.array(picked[2 * position]), np.array(picked[2 * position + 1])
        h = (count - 1) * QUANTILES[position]
        t = h - np.floor(h)
        stats[name] = np.where(t >= 0.5, b - (b - a) * (1 - t), a + (b - a) * t)
    return stats


def _scan(
    lo: np.ndarray,
    hi: np.ndarray,
    prices: np.ndarray,
    logs: np.ndarray,
    min_peers: int,
    ranks: list[list[int]],
) -> tuple[list[list[float]], list[float], list[float]]:
    """Slide a sorted window over the lines; read each line's ranked peers, median and MAD."""
    price, log = prices.tolist(), logs.tolist()
    picked = [[nan] * len(lo) for _ in ranks]
    medians, mads = [nan] * len(lo), [nan] * len(lo)
    window: list[float] = []
    window_logs: list[float] = []
    first = last = 0
    for i, (start, end) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
        n = end - start - 1
        if n < min_peers:
            continue
        if start >= last:
            window, window_logs = [], []
            first = last = start
        for k in range(last, end):
            at = bisect_right(window, price[k])
            window.insert(at, price[k])
            window_logs.insert(at, log[k])
        for k in range(first, start):
            at = bisect_left(window, price[k])
            del window[at], window_logs[at]
        first, last = start, end
        own = bisect_left(window, price[i])  # peer k is window[k + (k >= own)]
        for values, rank in zip(picked, ranks, strict=True):
            values[i] = window[rank[i] + (rank[i] >= own)]
        medians[i], mads[i] = _median_and_mad(window_logs, own, n)
    return picked, medians, mads


def _median_and_mad(logs: list[float], own: int, n: int) -> tuple[float, float]:
    """Return np.median of the peers' logs and of their absolute deviations from it.

    Peer k is logs[k + (k >= own)]: the window with the line itself skipped. Deviations
    below the median, read downwards, and above it, read upwards, are two ascending runs;
    the binary search finds how many of the t + 1 smallest deviations come from below.
    """
    half = n // 2
    k = half - 1
    high = logs[half + (half >= own)]
    median = high if n % 2 else (logs[k + (k >= own)] + high) / 2
    split = bisect_left(logs, median)
    below = split - (own < split)
    above = n - below
    t = half if n % 2 else half - 1
    low, high_i = max(0, t + 1 - above), min(t + 1, below)
    while low < high_i:
        mid = (low + high_i) // 2
        a, b = below - 1 - mid, below + t - mid
        if median - logs[a + (a >= own)] < logs[b + (b >= own)] - median:
            low = mid + 1
        else:
            high_i = mid
    a, b = below - low, below + t - low
    left = median - logs[a + (a >= own)] if low > 0 else -inf
    right = logs[b + (b >= own)] - median if t >= low else -inf
    deviation = max(left, right)
    if n % 2:
        return median, deviation
    a, b = a - 1, b + 1
    left = median - logs[a + (a >= own)] if low < below else inf
    right = logs[b + (b >= own)] - median if t + 1 - low < above else inf
    return median, (deviation + min(left, right)) / 2
