"""Date windows over award lines, shared by the price rules (PRC-02, PRC-03, PRC-05, PLN-01)
and DOM-02.

Lines are sorted once by a group (identity and unit, registration number, ...) and decision
day; a line's window is then a slice [lo, hi) of that order, found for every line of every
group at once by one searchsorted on a combined integer key (group * span + day). Reductions
over the slices are exact: a sparse table for idempotent ones (min, max, cheapest other buyer,
cheapest domestic award); PRC-02's quantiles are in rules/price/peer_stats.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

State = tuple[np.ndarray, ...]


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

    def judged(self, wanted: np.ndarray) -> np.ndarray:
        """Return the sorted positions of the lines a run judges (`wanted`, in frame order)."""
        return np.flatnonzero(wanted[self.order])

    def bound(
        self, day: np.ndarray, side: Literal["left", "right"], at: np.ndarray | None = None
    ) -> np.ndarray:
        """Return where each sorted line's `day` falls among its own group's days.

        With `at` (sorted positions), only those lines' bounds are found, `day` being theirs.
        """
        codes = self.codes if at is None else self.codes[at]
        offset = np.clip(day - self.base, 0, self.span - 1)
        return np.searchsorted(self.key, codes * self.span + offset, side=side)

    def months_before(self, frame: pd.DataFrame, months: int, at: np.ndarray) -> np.ndarray:
        """Return the decision dates of the lines at sorted positions `at`, moved back by
        calendar months, as days."""
        dates = frame["decision_date"].iloc[self.order[at]]
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
