"""PRC-02's peer statistics equal numpy's on each line's own peers, bit for bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rules.engine.windows import SortedLines
from rules.price.peer_stats import peer_stats


def _numpy(prices: np.ndarray, lo: int, hi: int, own: int) -> list[float]:
    peers = np.delete(prices[lo:hi], own - lo)
    logs = np.log(peers)
    median = np.median(logs)
    quartiles = np.quantile(peers, [0.25, 0.5, 0.75], method="linear")
    return [*quartiles, median, np.median(np.abs(logs - median))]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("levels", [pytest.param(3, id="many-ties"), pytest.param(1000, id="few")])
def test_every_line_gets_numpys_statistics_of_its_peers(seed: int, levels: int) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    frame = pd.DataFrame({
        "group": rng.integers(0, 3, n),
        "decision_date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 60, n), "D"),
        "price": rng.integers(1, levels + 1, n) * 10.0,
    })  # fmt: skip
    lines = SortedLines.build(frame, ["group"])
    wanted = rng.random(n) < 0.7  # some lines are peers only
    at = lines.judged(wanted)
    lo = lines.bound(lines.days[at] - 20, "left", at)
    hi = lines.bound(lines.days[at], "right", at)
    prices = frame["price"].to_numpy()[lines.order]
    stats = peer_stats(at, lo, hi, prices, np.log(prices), min_peers=1)
    got = np.column_stack([stats[k] for k in ("q1", "median", "q3", "log_median", "mad")])
    for row, (i, start, end) in enumerate(zip(at, lo, hi, strict=True)):
        if end - start - 1 < 1:
            assert np.isnan(got[row]).all()
            continue
        assert got[row].tolist() == _numpy(prices, start, end, i), (row, i, start, end)
