"""The peer prices behind a price flag: what other lines paid for the same item in its window.

Peers are the other award lines of the same identity (active ingredients, strength, form) in
the same standard unit, decided in the rule's window: the window the evidence states (PRC-02,
PLN-01), else `window_days` or `months` from the flag's parameters, else a year. The rule's own
statistics are shown when its evidence has them (PRC-02); otherwise they are computed here
with the same quantile method (linear, Hyndman-Fan type 7).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Flag
from procurement.services.flag_evidence import as_date
from procurement.services.permissions import Actor, authorize

DEFAULT_WINDOW_DAYS = 365
IQR_K = 1.5
MAX_PEERS = 20_000  # enough for any identity's year; the chart thins what it draws


@dataclass(frozen=True)
class PeerPrices:
    """A flagged price among its peers' standardized unit prices."""

    flag_id: int
    price: float
    unit: str
    prices: list[float]  # sorted
    window_from: date
    window_to: date
    median: float | None
    q1: float | None
    q3: float | None
    fence: float | None
    iqr_k: float
    benchmark: float | None
    from_rule: bool  # the statistics are the rule's own (evidence), not recomputed
    capped: bool  # more peers than MAX_PEERS: the first MAX_PEERS were read


def flag_peer_prices(session: Session, actor: Actor, flag_id: int) -> PeerPrices | None:
    """Return the peer prices of a flag about a price, or None for other flags.

    Most price rules compare standardized prices and say so in their evidence (standard_unit);
    PRC-01 compares the price as written with the planned price, so its line's own ratio
    brings both to the standard unit.
    """
    authorize("flag.view", actor)
    flag = session.get(Flag, flag_id)
    if flag is None or flag.line_id is None or flag.observed is None:
        return None
    line = session.get(AwardLine, flag.line_id)
    if line is None or line.decision_date is None:
        return None
    evidence: dict[str, Any] = flag.evidence or {}
    params: dict[str, Any] = flag.params or {}
    price, benchmark = float(flag.observed), flag.benchmark
    if not evidence.get("standard_unit"):
        if flag.family not in ("PRC", "PLN") or not line.standard_unit:
            return None
        if not line.standard_unit_price or not line.unit_price:
            return None
        ratio = line.standard_unit_price / line.unit_price
        price = float(line.standard_unit_price)
        benchmark = None if benchmark is None else benchmark * ratio
        evidence, params = {"standard_unit": line.standard_unit}, {}
    start, end = peer_window(evidence, params, line.decision_date)
    prices = sorted(_peer_prices(session, line, start, end))
    capped = len(prices) > MAX_PEERS
    prices = prices[:MAX_PEERS]
    stats = _rule_stats(evidence, params) or _stats(prices)
    return PeerPrices(
        flag_id=flag.id,
        price=price,
        unit=str(evidence["standard_unit"]),
        prices=prices,
        window_from=start,
        window_to=end,
        median=stats["median"],
        q1=stats["q1"],
        q3=stats["q3"],
        fence=stats["fence"],
        iqr_k=stats["iqr_k"],
        benchmark=benchmark,
        from_rule=stats["from_rule"],
        capped=capped,
    )


def peer_window(evidence: dict[str, Any], params: dict[str, Any], day: date) -> tuple[date, date]:
    """Return the first and last decision day of a flag's peers."""
    start, end = as_date(evidence.get("window_from")), as_date(evidence.get("window_to"))
    if start is not None and end is not None:
        return start, end
    if isinstance(params.get("window_days"), int):
        return day - timedelta(days=params["window_days"]), day
    if isinstance(params.get("months"), int):
        return months_before(day, params["months"]), day
    return day - timedelta(days=DEFAULT_WINDOW_DAYS), day


def months_before(day: date, months: int) -> date:
    """Return the same day `months` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _peer_prices(session: Session, line: AwardLine, start: date, end: date) -> list[float]:
    query = (
        select(AwardLine.standard_unit_price)
        .where(
            AwardLine.identity_key == line.identity_key,
            AwardLine.decision_date >= start,
            AwardLine.decision_date <= end,
            AwardLine.standard_unit == line.standard_unit,
            AwardLine.standard_unit_price.is_not(None),
            AwardLine.id != line.id,
        )
        .limit(MAX_PEERS + 1)
    )
    return [float(p) for p in session.scalars(query) if p is not None and math.isfinite(p)]


def _rule_stats(evidence: dict[str, Any], params: dict[str, Any]) -> dict[str, Any] | None:
    names = ("median", "q1", "q3", "fence")
    if not all(isinstance(evidence.get(n), int | float) for n in names):
        return None
    k = params.get("iqr_k", IQR_K)
    return {**{n: float(evidence[n]) for n in names}, "iqr_k": float(k), "from_rule": True}


def _stats(prices: list[float]) -> dict[str, Any]:
    if not prices:
        return dict.fromkeys(("median", "q1", "q3", "fence"), None) | {
            "iqr_k": IQR_K,
            "from_rule": False,
        }
    q1, median, q3 = (quantile(prices, q) for q in (0.25, 0.5, 0.75))
    return {
        "median": median,
        "q1": q1,
        "q3": q3,
        "fence": q3 + IQR_K * (q3 - q1),
        "iqr_k": IQR_K,
        "from_rule": False,
    }


def quantile(ordered: list[float], q: float) -> float:
    """Return the q-quantile of sorted values, numpy's default "linear" method (type 7)."""
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])
