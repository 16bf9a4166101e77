"""The public stock-security summary: how many reporting facilities ran out, month by month.

Per product category (vaccines first) and month of the last 12 (ending at the latest period
reported), out of the facilities that reported any item of the category that month:

- stocked out: the share with at least one item at a closing balance of 0 or less, or with
  stock-out days reported (STK-01's test);
- below the minimum: the share with at least one item whose months of stock (closing over the
  average monthly consumption of the last three months with consumption, stock-out days
  corrected; DESIGN.md) is below the category's minimum, stock-outs included, so the second
  share is never below the first.

Only these counts leave the service: no facility, item or flag. Read-only, actor-free and
cached with the imports' data version (a stock import or a withdrawal recomputes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from procurement.services.public_cache import cached
from procurement.services.stock_levels import category_rank
from procurement.services.stock_risk import stock_frame
from rules.engine.pack import load_pack
from rules.stock.formulas import rolling_amc, stock_levels
from rules.stock.series import series_table

MONTHS = 12


@dataclass(frozen=True)
class StockMonth:
    """One category's month: facilities reporting, stocked out and below the minimum."""

    month: date
    reporting: int
    stocked_out: int
    below_minimum: int

    @property
    def stocked_out_share(self) -> float | None:
        """Return the share of reporting facilities with an item stocked out (None: none report)."""
        return self.stocked_out / self.reporting if self.reporting else None

    @property
    def below_minimum_share(self) -> float | None:
        """Return the share of reporting facilities with an item below the minimum."""
        return self.below_minimum / self.reporting if self.reporting else None


@dataclass(frozen=True)
class CategorySummary:
    """A category's last 12 months and the minimum it is judged against."""

    category: str
    min_months: float
    months: list[StockMonth]

    @property
    def latest(self) -> StockMonth | None:
        """Return the latest month any facility reported for this category."""
        reported = [m for m in self.months if m.reporting]
        return reported[-1] if reported else None


@dataclass(frozen=True)
class StockSummary:
    """Every category's months, vaccines first; empty when no stock report is imported."""

    months: list[date]
    categories: list[CategorySummary]


def stock_security(session: Session, pack_path: str | None = None) -> StockSummary:
    """Return the summary, computed once per data version."""
    return cached(session, ("stock-security", pack_path), lambda: _compute(session, pack_path))


def _compute(session: Session, pack_path: str | None) -> StockSummary:
    stock = stock_frame(session)
    if stock.empty:
        return StockSummary([], [])
    levels = stock_levels(load_pack(pack_path))
    table = series_table(stock)
    rows = table.rows
    described = table.describe(np.arange(len(rows)))
    category = described["category"].fillna("medicine").to_numpy(dtype=object)
    amc, _ = rolling_amc(table)
    closing = rows["closing"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mos = np.where(amc > 0, closing / amc, np.nan)
    minimum = np.array([levels(c).min_months for c in category], dtype=float)
    days = np.nan_to_num(rows["stockout_days"].to_numpy(dtype=float))
    stocked = (closing <= 0) | (days > 0)
    with np.errstate(invalid="ignore"):
        below = stocked | (mos < minimum)
    month = pd.to_datetime(rows["period"]).dt.to_period("M")
    last = month.max()
    months = pd.period_range(last - (MONTHS - 1), last, freq="M")
    facts = pd.DataFrame(
        {
            "category": category,
            "month": month,
            "buyer_id": described["buyer_id"].to_numpy(),
            "stocked": stocked,
            "below": below,
        }
    )
    facts = facts[facts["month"] >= months[0]]
    per_facility = facts.groupby(["category", "month", "buyer_id"])[["stocked", "below"]].any()
    counts = per_facility.groupby(level=["category", "month"]).agg(["size", "sum"])
    summaries = []
    for name in sorted(pd.unique(category).tolist(), key=lambda c: (category_rank(c), c)):
        entries = []
        for period in months:
            key = (name, period)
            found = key in counts.index
            entries.append(
                StockMonth(
                    period.to_timestamp().date(),
                    int(counts.loc[key, ("stocked", "size")]) if found else 0,
                    int(counts.loc[key, ("stocked", "sum")]) if found else 0,
                    int(counts.loc[key, ("below", "sum")]) if found else 0,
                )
            )
        if any(e.reporting for e in entries):
            summaries.append(CategorySummary(name, levels(name).min_months, entries))
    return StockSummary([p.to_timestamp().date() for p in months], summaries)
