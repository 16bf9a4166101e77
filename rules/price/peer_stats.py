"""PRC-02's peer statistics: quartiles of prices, median and MAD of log prices, line left out.

A line's peers are its window [lo, hi) of sorted lines (same group, dates in range) without the
line itself. Lines of one group decided on one day share a window, and there are far fewer
windows than lines (14,779 for the benchmark's million). So the few order statistics of each
distinct window are read once from a sliding sorted list, and leaving a line out becomes a
comparison: peer k is window[k + 1] when the line's price is at most window[k], else
window[k]. Deviations from a median work the same way, for each of the (at most three) medians
a left-out line can give. Arithmetic follows numpy's (np.quantile "linear", np.median) term by
term, so results are bit-identical to computing each line's peers with numpy.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from math import floor, inf, nan

import numpy as np

QUANTILES = (0.25, 0.5, 0.75)
NAMES = ("q1", "median", "q3")


def peer_stats(
    at: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    prices: np.ndarray,
    logs: np.ndarray,
    min_peers: int,
) -> dict[str, np.ndarray]:
    """Return Q1, median, Q3 of prices and the median and MAD of logs over each line's peers.

    The lines are at sorted positions `at`, ascending; their windows [lo, hi) hold the line
    itself. Fewer than `min_peers` peers: NaN.
    """
    stats = {name: np.full(len(at), nan) for name in (*NAMES, "log_median", "mad")}
    judged = np.flatnonzero(hi - lo - 1 >= max(min_peers, 1))
    if not len(judged):
        return stats
    starts, ends = lo[judged], hi[judged]
    first = np.ones(len(judged), dtype=bool)
    first[1:] = (starts[1:] != starts[:-1]) | (ends[1:] != ends[:-1])
    window = np.cumsum(first) - 1  # each line's distinct window
    table = _window_table(starts[first], ends[first], prices, logs)
    n = (ends - starts - 1).astype(np.float64)
    price = prices[at[judged]]
    for q, name, (low, mid, high) in zip(QUANTILES, NAMES, table.quantiles, strict=True):
        h = (n - 1) * q
        below = np.floor(h)
        t = h - below
        a = np.where(price <= low[window], mid[window], low[window])
        upper = np.where(price <= mid[window], high[window], mid[window])
        b = np.where(below + 1 <= n - 1, upper, a)  # the last peer interpolates with itself
        stats[name][judged] = np.where(t >= 0.5, b - (b - a) * (1 - t), a + (b - a) * t)
    case = _median_case(price, table.half[0][window], table.half[1][window], n)
    rows = np.arange(len(judged))
    median = table.medians[window, case]
    deviation = np.abs(logs[at[judged]] - median)
    ranked = table.deviations[window, case]  # the full window's D[t-1], D[t], D[t+1]

    def peer(k: int) -> np.ndarray:  # the k-th of D[t-1], D[t] with the line's deviation out
        return np.where(deviation <= ranked[rows, k], ranked[rows, k + 1], ranked[rows, k])

    odd = n % 2 == 1
    stats["log_median"][judged] = median
    stats["mad"][judged] = np.where(odd, peer(1), (peer(0) + peer(1)) / 2)
    return stats


def _median_case(price: np.ndarray, low: np.ndarray, high: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Return which median a line's peers have: 0, 1 or 2 (see _medians)."""
    odd = n % 2 == 1
    beyond = np.where(odd, price > high, (price > low).astype(int) + (price > high))
    return beyond.astype(np.int64)


class _Table:
    """Per distinct window: the order statistics the left-out arithmetic needs."""

    def __init__(self, windows: int) -> None:
        self.quantiles = [tuple(np.empty(windows) for _ in range(3)) for _ in QUANTILES]
        self.half = (np.empty(windows), np.empty(windows))  # W[half - 1], W[half]
        self.medians = np.full((windows, 3), nan)
        self.deviations = np.full((windows, 3, 3), nan)


def _window_table(
    starts: np.ndarray, ends: np.ndarray, prices: np.ndarray, logs: np.ndarray
) -> _Table:
    """Slide a sorted window of prices over the distinct windows; read each one's statistics.

    Log prices are looked up from the prices (np.log is monotone, so the same order), which
    keeps one list to maintain. Lines entering the window in a batch are sorted in (Timsort
    merges the runs), single ones are inserted, lines leaving are deleted.
    """
    table = _Table(len(starts))
    price = prices.tolist()
    log_of = dict(zip(price, logs.tolist(), strict=True)).__getitem__
    window: list[float] = []
    first = last = 0
    for i, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        if start >= last or (start - first) + (end - last) > end - start:
            window = sorted(price[start:end])
        else:
            if end - last > 8:
                window.extend(price[last:end])
                window.sort()
            else:
                for k in range(last, end):
                    window.insert(bisect_right(window, price[k]), price[k])
            for k in range(first, start):
                del window[bisect_left(window, price[k])]
        first, last = start, end
        _read(table, i, window, log_of)
    return table


def _read(table: _Table, i: int, window: list[float], log_of: Callable[[float], float]) -> None:
    """Store window i's order statistics: W around each quantile, medians and deviations."""
    n = len(window) - 1  # peers
    top = len(window) - 1
    for q, parts in zip(QUANTILES, table.quantiles, strict=True):
        below = floor((n - 1) * q)
        for offset, part in enumerate(parts):
            part[i] = window[min(below + offset, top)]
    half = n // 2
    table.half[0][i], table.half[1][i] = window[max(half - 1, 0)], window[half]
    for case, median in enumerate(_medians(window, log_of, n)):
        table.medians[i, case] = median
        for slot, k in enumerate((half - 1, half, half + 1)):
            if 0 <= k <= top:
                table.deviations[i, case, slot] = _kth_distance(window, log_of, median, k)


def _medians(window: list[float], log_of: Callable[[float], float], n: int) -> list[float]:
    """Return the medians of the peers' logs, by where the left-out line falls.

    n odd: 0 = the line at or below the middle, 1 = above. n even: 0 = at or below the lower
    middle, 1 = between the two middles, 2 = above both.
    """
    half = n // 2
    if n % 2:
        return [log_of(window[half + 1]), log_of(window[half])]
    below, low, high = (log_of(window[k]) for k in (half - 1, half, half + 1))
    return [(low + high) / 2, (below + high) / 2, (below + low) / 2]


def _kth_distance(
    window: list[float], log_of: Callable[[float], float], median: float, k: int
) -> float:
    """Return the k-th smallest (0-based) |log - median| over the sorted window's logs.

    Distances below the median, read downwards, and above it, read upwards, are two
    ascending runs; a binary search finds how many of the k + 1 smallest come from below.
    """
    split = bisect_left(window, median, key=log_of)
    above = len(window) - split

    def logs(index: int) -> float:
        return log_of(window[index])

    low, high = max(0, k + 1 - above), min(k + 1, split)
    while low < high:
        taken = (low + high) // 2
        if median - logs(split - 1 - taken) < logs(split + k - taken) - median:
            low = taken + 1
        else:
            high = taken
    left = median - logs(split - low) if low > 0 else -inf
    right = logs(split + k - low) - median if k + 1 - low > 0 else -inf
    return max(left, right)
