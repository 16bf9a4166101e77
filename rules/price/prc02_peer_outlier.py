"""PRC-02: a standardized unit price far above what other lines paid for the same item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import Peers, rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, vnd
from rules.engine.windows import SortedLines
from rules.price.peer_stats import peer_stats
from rules.price.shared import category_parts, fired_lines, priced_lines


@dataclass(frozen=True)
class PeerOutlierParams:
    """Parameters of PRC-02."""

    window_days: int = field(
        default=365, metadata={"doc": "peers are decided in these days before, up to the day"}
    )
    min_peers: int = field(
        default=5, metadata={"doc": "fewest peers (the line not counted) to judge a price"}
    )
    iqr_k: float = field(
        default=1.5, metadata={"doc": "Tukey fence: fire above Q3 + iqr_k x IQR of the peers"}
    )
    z_limit: float = field(
        default=3.5, metadata={"doc": "fire above this modified z of ln price (when MAD > 0)"}
    )
    same_group: bool = field(
        default=False, metadata={"doc": "peers must also share the technical group (N1..N5)"}
    )


@rule(
    code="PRC-02",
    version=1,
    params=PeerOutlierParams,
    subject="award_line",
    severity="medium",
    title_en="Price far above peers",
    title_vi="Giá cao bất thường so với các đơn vị khác",
    peers=lambda p: Peers("identity", p.window_days),
)
def peer_outlier(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line whose standardized unit price is an outlier above its peers' prices.

    Peers are the other lines of the same identity (active ingredients + strength + form, and
    the technical group when `same_group`) in the same standard unit, decided from
    `window_days` before the line up to its own day. It fires when the price is above the
    Tukey fence Q3 + iqr_k x IQR, or when the modified z-score 0.6745 (ln p - median ln) / MAD
    of the log price exceeds `z_limit`; with MAD = 0 (half the peers at one price) the z test
    is skipped and only the fence applies. Quantiles are numpy's "linear" method (Hyndman-Fan
    type 7), pinned. Every line's own window is exact: no monthly approximation.
    Why: prices for the same item varying 15x across facilities is the overpricing risk
    that the e-procurement price publication exists to expose.
    Evidence: peer count, median, Q1, Q3, IQR, fence, MAD and median of log prices, the
    modified z (None when MAD = 0), the tests that fired and the window's dates.
    Not applicable: no standardized price, no standard unit, no date, or too few peers.
    """
    lines = data.awards
    outcome = RuleOutcome()
    usable = priced_lines(lines, outcome, data.judged_lines())
    outcome.not_applicable["too few peers"] = 0
    found: list[pd.DataFrame] = []
    for params, part, wanted in category_parts(lines, usable, ctx, data.judged_lines()):
        stats = _peer_stats(part, params, wanted)
        judged = stats["peer_count"] >= max(params.min_peers, 1)
        outcome.not_applicable["too few peers"] += int((~judged).sum())
        outcome.evaluated += int(judged.sum())
        price = part["standard_unit_price"].loc[stats.index]
        stats["by_fence"] = judged & (price > stats["fence"])
        stats["by_z"] = judged & (stats["modified_z"] > params.z_limit)
        stats["params"] = [params] * len(stats)
        found.append(stats[stats["by_fence"] | stats["by_z"]])
    for key, row, s in fired_lines(lines, found):
        outcome.findings.append(_finding(row, key, s))
    return outcome


def _peer_stats(part: pd.DataFrame, params: PeerOutlierParams, wanted: np.ndarray) -> pd.DataFrame:
    """Return each judged line's peer count and statistics over its own exact window."""
    columns = ["identity_key", "standard_unit"] + (["drug_group"] if params.same_group else [])
    lines = SortedLines.build(part, columns)
    at = lines.judged(wanted)
    days = lines.days[at]
    lo = lines.bound(days - params.window_days, "left", at)
    hi = lines.bound(days, "right", at)
    prices = part["standard_unit_price"].to_numpy(np.float64)[lines.order]
    logs = np.log(prices)
    frame = pd.DataFrame(
        peer_stats(at, lo, hi, prices, logs, params.min_peers), index=part.index[lines.order[at]]
    )
    frame["peer_count"] = hi - lo - 1
    frame["iqr"] = frame["q3"] - frame["q1"]
    frame["fence"] = frame["q3"] + params.iqr_k * frame["iqr"]
    spread = frame["mad"].where(frame["mad"] > 0)  # MAD = 0: no z-score, the fence alone
    frame["modified_z"] = 0.6745 * (logs[at] - frame["log_median"]) / spread
    frame["z_price"] = np.exp(frame["log_median"] + params.z_limit * spread / 0.6745)
    return frame


def _finding(row: dict[str, Any], key: str, s: dict[str, Any]) -> Finding:
    params: PeerOutlierParams = s["params"]
    price, unit = float(row["standard_unit_price"]), row["standard_unit"]
    peers = int(s["peer_count"])
    z = None if pd.isna(s["modified_z"]) else float(s["modified_z"])
    tests = [
        name for name, hit in (("tukey-fence", s["by_fence"]), ("modified-z", s["by_z"])) if hit
    ]
    shown = ("median", "q1", "q3", "iqr", "fence", "log_median", "mad")
    evidence = {
        "standard_unit_price": price,
        "standard_unit": unit,
        "peer_count": peers,
        **{name: s[name] for name in shown},
        "modified_z": z,
        "tests": tests,
        "z_test": "run" if z is not None else "skipped: MAD of log prices is 0",
        "window_from": row["decision_date"] - pd.Timedelta(days=params.window_days),
        "window_to": row["decision_date"],
    }
    fence = tests[0] == "tukey-fence"
    why_en = f"above the fence Q3 + {params.iqr_k} IQR = {vnd(s['fence'])}"
    why_vi = f"vượt ngưỡng Q3 + {params.iqr_k} IQR = {vnd(s['fence'])}"
    return line_finding(
        row,
        key,
        observed=price,
        benchmark=float(s["fence"] if z is None else min(s["fence"], s["z_price"])),
        test=" and ".join(tests),
        evidence=evidence,
        message_en=(
            f"Paid {vnd(price)} per {unit}, {why_en if fence else f'modified z-score {z:.1f}'}, "
            f"against {peers} lines of the same item in the {params.window_days} days before "
            f"(median {vnd(s['median'])})."
        ),
        message_vi=(
            f"Đơn giá quy đổi {vnd(price)}/{unit} cao bất thường "
            f"({why_vi if fence else f'điểm z hiệu chỉnh {z:.1f}'}) so với {peers} dòng cùng "
            f"hoạt chất, hàm lượng, dạng bào chế trong {params.window_days} ngày trước "
            f"(trung vị {vnd(s['median'])})."
        ),
    )
