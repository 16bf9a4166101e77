"""The auditors' stock-risk table: every facility x item series at its latest report, banded.

One row per series (rules.stock.formulas.positions): closing balance, average monthly
consumption (AMC), months of stock (MOS), the last 12 closings for a sparkline, the month the
balance is projected to reach zero within three months, and the series' standing stock flags.
Each row falls in one risk band, in this order, the first that holds:

1. stocked out: closing balance 0 or less, or stock-out days reported in the period (STK-01);
2. below the emergency order point: MOS < eop_months (STK-02);
3. below the minimum: MOS < min_months (STK-03);
4. projected stock-out: the balance, less the AMC each month, plus the quantity on order in the
   first month and the facility's remaining framework-agreement allocation spread over the
   agreement's months, reaches 0 within three months (STK-04's projection and deliveries);
5. overstock: MOS > max_months (STK-05);
6. no consumption data: no period with consumption and no reported AMC, so MOS is undefined;
7. OK.

The table is computed once per data version (public_cache: a stock import or a withdrawal
changes it) and filtered, sorted and cut into pages in pandas: the search text is a value
compared with `str.contains(regex=False)`, never SQL. Flags are read per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from procurement.models import Flag
from procurement.models.flag import CONFIRMED, ESCALATED, OPEN
from procurement.services.permissions import Actor, authorize
from procurement.services.public_cache import cached
from procurement.services.stock_levels import category_rank
from procurement.textkey import fold_key
from rules.engine.data import load_frameworks, load_stock
from rules.engine.pack import load_pack
from rules.stock.formulas import (
    expected_deliveries,
    first_stockout_months,
    positions,
    project_many,
    stock_levels,
)

BANDS = (
    "stocked-out",
    "below-emergency",
    "below-minimum",
    "projected-stockout",
    "overstock",
    "no-consumption",
    "ok",
)
PROJECTED_MONTHS = 3
STANDING = (OPEN, ESCALATED, CONFIRMED)  # flags still standing: not closed, not dismissed
SORTS = ("risk", "facility", "product", "mos", "period")
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class StockFilters:
    """Which series the table shows; None filters nothing."""

    buyer_id: int | None = None
    province: str | None = None
    category: str | None = None
    band: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class StockFlag:
    """A standing stock flag of a series, as the table links it."""

    id: int
    rule: str
    severity: str
    status: str


@dataclass(frozen=True)
class StockRiskRow:
    """One facility x item series at its latest report."""

    buyer_id: int
    facility: str
    province: str | None
    item_key: str
    product_code: str | None
    product_name: str | None
    category: str
    unit: str | None
    period: date
    judged: bool
    closing: float
    amc: float | None
    amc_source: str | None
    months_of_stock: float | None
    min_months: float
    band: str
    projected: tuple[float, ...]
    stockout_month: date | None  # the first projected month whose balance is 0 or less
    history: tuple[tuple[str, float], ...]
    flags: tuple[StockFlag, ...] = ()


@dataclass(frozen=True)
class StockRiskPage:
    """A page of the table, the filter's total and its count per band."""

    rows: list[StockRiskRow]
    total: int
    page: int
    page_size: int
    sort: str
    by_band: dict[str, int] = field(default_factory=dict)
    latest_period: date | None = None

    @property
    def pages(self) -> int:
        """Return how many pages the filter spans (at least one)."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class StockOptions:
    """What the filter form offers: facilities, provinces and categories with stock reports."""

    facilities: list[tuple[int, str]]
    provinces: list[tuple[str, str]]
    categories: list[str]


def stock_risk(
    session: Session,
    actor: Actor,
    filters: StockFilters,
    sort: str | None = None,
    page: int = 1,
    page_size: int = 50,
    pack_path: str | None = None,
) -> StockRiskPage:
    """Return one page of series matching the filter, riskiest first, with counts per band."""
    authorize("flag.view", actor)
    table = risk_table(session, pack_path)
    sort = sort if sort in SORTS else "risk"
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    chosen = _filtered(table, filters, skip_band=True)
    counts = chosen["band"].value_counts()
    by_band = {band: int(counts.get(band, 0)) for band in BANDS}
    if filters.band:
        chosen = chosen[chosen["band"] == filters.band]
    total = len(chosen)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    ordered = chosen.sort_values(list(_ORDER[sort]), kind="stable", na_position="last")
    cut = ordered.iloc[(page - 1) * page_size : page * page_size]
    rows = [_row(record) for record in cut.to_dict("records")]
    rows = _with_flags(session, rows)
    latest = table["period"].max() if len(table) else None
    return StockRiskPage(
        rows, total, page, page_size, sort, by_band, latest.date() if latest is not None else None
    )


def stock_options(session: Session, actor: Actor, pack_path: str | None = None) -> StockOptions:
    """Return the facilities, provinces and categories the filter form offers."""
    authorize("flag.view", actor)
    table = risk_table(session, pack_path)
    facilities = (
        table[["buyer_id", "facility"]].drop_duplicates().sort_values(["facility", "buyer_id"])
    )
    provinces = (
        table[["province_code", "province"]]
        .dropna(subset=["province_code"])
        .drop_duplicates("province_code")
        .sort_values("province")
    )
    categories = sorted(table["category"].dropna().unique().tolist(), key=_category_key)
    return StockOptions(
        [(int(i), str(n)) for i, n in facilities.itertuples(index=False)],
        [(str(c), str(p or c)) for c, p in provinces.itertuples(index=False)],
        categories,
    )


def risk_table(session: Session, pack_path: str | None = None) -> pd.DataFrame:
    """Return every series banded, computed once per data version (no permission check)."""
    return cached(session, ("stock-risk", pack_path), lambda: _compute(session, pack_path))


def _category_key(category: str) -> tuple[int, str]:
    return category_rank(category), category


_ORDER: dict[str, Sequence[str]] = {
    "risk": ("band_rank", "months_of_stock", "category_rank", "facility", "product_name"),
    "facility": ("facility", "category_rank", "product_name"),
    "product": ("product_name", "facility"),
    "mos": ("months_of_stock", "band_rank", "facility"),
    "period": ("period", "band_rank", "facility"),
}


def stock_frame(session: Session) -> pd.DataFrame:
    """Return every stock report row, read once per data version for the auditors' table and
    the public summary alike (the series each derives are then summed once too: see
    rules.stock.series.cached). Callers must not modify it."""
    return cached(session, ("stock-frame",), lambda: load_stock(session))


def _compute(session: Session, pack_path: str | None) -> pd.DataFrame:
    stock = stock_frame(session)
    if stock.empty:
        return pd.DataFrame(columns=[*_TABLE_COLUMNS])
    frame = positions(stock, stock_levels(load_pack(pack_path)), history=True)
    return banded(frame, load_frameworks(session))


_TABLE_COLUMNS = (
    "buyer_id", "facility", "province", "province_code", "item_key", "product_code",
    "product_name", "category", "unit", "period", "months", "judged", "closing", "stockout_days",
    "on_order", "amc", "amc_source", "months_of_stock", "eop_months", "min_months", "max_months",
    "history", "band", "band_rank", "category_rank", "projected", "stockout_month", "search",
)  # fmt: skip


def banded(frame: pd.DataFrame, frameworks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add each position's projection, stock-out month and band to `positions`' frame."""
    closing = frame["closing"].to_numpy(dtype=float)
    amc = frame["amc"].to_numpy(dtype=float)
    mos = frame["months_of_stock"].to_numpy(dtype=float)
    on_order, framework = expected_deliveries(frame, frameworks, PROJECTED_MONTHS)
    deliveries = on_order + framework
    balances = project_many(closing, np.nan_to_num(amc, nan=0.0), deliveries)
    known = ~np.isnan(amc) & (amc > 0)
    first = np.where(known, first_stockout_months(balances), 0)
    stocked = (closing <= 0) | (np.nan_to_num(frame["stockout_days"].to_numpy(dtype=float)) > 0)
    with np.errstate(invalid="ignore"):
        conditions = [
            stocked,
            mos < frame["eop_months"].to_numpy(dtype=float),
            mos < frame["min_months"].to_numpy(dtype=float),
            first > 0,
            mos > frame["max_months"].to_numpy(dtype=float),
            np.isnan(mos),
        ]
    rank = np.select(conditions, list(range(len(conditions))), len(conditions))
    periods = frame["period"].dt.to_period("M")
    ends = periods + (frame["months"].astype(int) - 1)
    months = [
        None if k == 0 else (end + int(k)).to_timestamp().date()
        for end, k in zip(ends, first, strict=True)
    ]
    text = (frame["product_code"].fillna("") + " " + frame["product_name"].fillna("")).map(fold_key)
    out = frame.assign(
        band_rank=rank,
        band=np.asarray(BANDS, dtype=object)[rank],
        category_rank=frame["category"].map(category_rank),
        projected=[tuple(row) for row in np.where(known[:, None], balances, np.nan).tolist()],
        stockout_month=months,
        search=text,
    )
    return out[list(_TABLE_COLUMNS)].reset_index(drop=True)


def _filtered(table: pd.DataFrame, filters: StockFilters, *, skip_band: bool) -> pd.DataFrame:
    keep = pd.Series(True, index=table.index)
    if filters.buyer_id is not None:
        keep &= table["buyer_id"] == filters.buyer_id
    if filters.province:
        keep &= table["province_code"] == filters.province
    if filters.category:
        keep &= table["category"] == filters.category
    if filters.band and not skip_band:
        keep &= table["band"] == filters.band
    if filters.text:
        needle = fold_key(filters.text)
        if needle:
            keep &= table["search"].str.contains(needle, regex=False)
    return table[keep]


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _row(record: dict[str, object]) -> StockRiskRow:
    period = pd.Timestamp(record["period"]).date()  # type: ignore[arg-type]
    history = tuple((str(d), float(c)) for d, c in record["history"])  # type: ignore[attr-defined]
    return StockRiskRow(
        buyer_id=int(record["buyer_id"]),  # type: ignore[call-overload]
        facility=str(record["facility"]),
        province=record["province"] if isinstance(record["province"], str) else None,
        item_key=str(record["item_key"]),
        product_code=record["product_code"] if isinstance(record["product_code"], str) else None,
        product_name=record["product_name"] if isinstance(record["product_name"], str) else None,
        category=str(record["category"]),
        unit=record["unit"] if isinstance(record["unit"], str) else None,
        period=period,
        judged=bool(record["judged"]),
        closing=float(record["closing"]),  # type: ignore[arg-type]
        amc=_number(record["amc"]),
        amc_source=record["amc_source"] if isinstance(record["amc_source"], str) else None,
        months_of_stock=_number(record["months_of_stock"]),
        min_months=float(record["min_months"]),  # type: ignore[arg-type]
        band=str(record["band"]),
        projected=tuple(float(v) for v in record["projected"]),  # type: ignore[attr-defined]
        stockout_month=record["stockout_month"],  # type: ignore[arg-type]
        history=history,
    )


def _with_flags(session: Session, rows: list[StockRiskRow]) -> list[StockRiskRow]:
    """Attach each row's standing stock flags, matched by facility and item key."""
    if not rows:
        return rows
    buyers = {row.buyer_id for row in rows}
    query = (
        select(Flag.id, Flag.rule, Flag.severity, Flag.status, Flag.buyer_id, Flag.subject_key,
               Flag.evidence)
        .where(Flag.family == "STK", Flag.status.in_(STANDING), Flag.buyer_id.in_(buyers))
        .order_by(Flag.rule, Flag.id)
    )  # fmt: skip
    found: dict[tuple[int, str], list[StockFlag]] = {}
    keys_of: dict[int, list[str]] = {}
    for row in rows:
        keys_of.setdefault(row.buyer_id, []).append(row.item_key)
    for flag_id, rule, severity, status, buyer_id, subject_key, evidence in session.execute(query):
        item_key = _item_key(buyer_id, subject_key, evidence or {}, keys_of.get(buyer_id, []))
        if item_key is not None:
            found.setdefault((buyer_id, item_key), []).append(
                StockFlag(flag_id, rule, severity, status)
            )
    return [_replace_flags(row, found.get((row.buyer_id, row.item_key), [])) for row in rows]


def _item_key(
    buyer_id: int, subject_key: str, evidence: dict[str, object], keys: list[str]
) -> str | None:
    """Return which of the facility's item keys a flag is about, or None."""
    named = evidence.get("item_key")
    if isinstance(named, str):
        return named if named in keys else None
    prefix = f"{buyer_id}:"
    if not subject_key.startswith(prefix):
        return None
    rest = subject_key[len(prefix) :]
    # item keys hold colons ("identity:..."): the longest key the subject starts with wins
    matching = [k for k in keys if rest == k or rest.startswith(f"{k}:")]
    return max(matching, key=len) if matching else None


def _replace_flags(row: StockRiskRow, flags: list[StockFlag]) -> StockRiskRow:
    return replace(row, flags=tuple(flags)) if flags else row
