"""The shared shape and wording of stock findings: who, what, when, and the numbers.

Every stock finding names its facility and product (code and name) and the period judged, so
`procurement flags`, the alert digest and the pages can show them without another query; its
buyer is the facility and its year the period's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.result import Finding, RuleOutcome

NOT_JUDGED = "no report for the latest period"
NO_CONSUMPTION = "no consumption to measure months of stock"
STOCKED_OUT = "stocked out (STK-01)"
BELOW_EMERGENCY = "below the emergency order point (STK-02)"


def missing(value: Any) -> bool:
    """Tell whether a plain value (from `records`) is missing: None or NaN."""
    return value is None or value != value


def quantity(value: Any, lang: str = "en") -> str:
    """Format a quantity: 1,234.5 in English, 1.234,5 in Vietnamese; '-' when unknown."""
    if missing(value):
        return "-"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def amount(value: Any, unit: Any, lang: str = "en") -> str:
    """Format a quantity with its unit when the report gives one: 1,200 Viên."""
    text = quantity(value, lang)
    return f"{text} {unit}" if isinstance(unit, str) and unit.strip() else text


def product(row: Mapping[str, Any]) -> str:
    """Name a product as stock reports do: its name and, when given, its code in brackets."""
    name, code = row.get("product_name"), row.get("product_code")
    name = name if isinstance(name, str) and name else None
    code = code if isinstance(code, str) and code else None
    if name and code:
        return f"{name} ({code})"
    return name or code or str(row.get("item_key"))


def months(value: Any, lang: str = "en") -> str:
    """Format months of stock to one decimal: 1.5 (en), 1,5 (vi)."""
    if missing(value):
        return "-"
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "vi" else text


def day(value: Any) -> str | None:
    """Return a period or date as an ISO day (2026-10-01), None when missing."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


@lru_cache(maxsize=4096)
def _stamp(value: str) -> pd.Timestamp:
    return pd.Timestamp(value)


def month_vi(value: Any) -> str:
    """Return a period as Vietnamese readers write a month: tháng 10/2026."""
    stamp = _stamp(day(value) or "")
    return f"tháng {stamp.month}/{stamp.year}"


def month_en(value: Any) -> str:
    """Return a period as October 2026."""
    return f"{_MONTHS[_stamp(day(value) or '').month - 1]} {_stamp(day(value) or '').year}"


def date_en(value: Any) -> str:
    """Return a date as 22 February 2027."""
    stamp = _stamp(day(value) or "")
    return f"{stamp.day} {_MONTHS[stamp.month - 1]} {stamp.year}"


def date_vi(value: Any) -> str:
    """Return a date as Vietnamese readers write it: 22/02/2027."""
    stamp = _stamp(day(value) or "")
    return f"{stamp.day:02d}/{stamp.month:02d}/{stamp.year}"


_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def number(value: Any) -> float | None:
    """Return a plain float for evidence (None for missing), not a numpy scalar."""
    return None if missing(value) else float(value)


def position_evidence(row: Mapping[str, Any]) -> dict[str, Any]:
    """Return what every stock-item finding shows: the series, its period and balance."""
    return {
        "facility": row["facility"],
        "product_code": row["product_code"],
        "product_name": row["product_name"],
        "item_key": row["item_key"],
        "period": day(row["period"]),
        "category": row["category"],
        "unit": row["unit"],
        "closing": number(row["closing"]),
        "stockout_days": number(row["stockout_days"]),
        "amc": number(row["amc"]),
        "amc_source": row["amc_source"],
        "months_of_stock": number(row["months_of_stock"]),
    }


def item_key(row: Mapping[str, Any]) -> str:
    """Return a series' subject key: facility id and item key."""
    return f"{int(row['buyer_id'])}:{row['item_key']}"


def stock_finding(
    row: Mapping[str, Any],
    *,
    subject_type: str = "stock_item",
    key: str | None = None,
    observed: float | None,
    benchmark: float | None,
    test: str,
    evidence: Mapping[str, Any],
    message_en: str,
    message_vi: str,
) -> Finding:
    """Return a finding about a facility's item: its buyer the facility, its year the period's."""
    return Finding(
        subject_type=subject_type,
        subject_key=key or item_key(row),
        observed=number(observed),
        benchmark=number(benchmark),
        test=test,
        evidence={**position_evidence(row), **evidence},
        message_en=message_en,
        message_vi=message_vi,
        buyer_id=int(row["buyer_id"]),
        year=_stamp(day(row["period"]) or "").year,
    )


def months_of_stock_finding(
    row: Mapping[str, Any],
    threshold: float,
    *,
    parameter: str,
    test: str,
    verdict_en: str,
    verdict_vi: str,
) -> Finding:
    """Return a finding on an item's months of stock against one of its category's levels
    (STK-02's emergency order point, STK-03's minimum, STK-05's maximum): one sentence shape,
    the level's name and side in `verdict_*` ("below the minimum of", "dưới mức tồn tối thiểu")."""
    mos = row["months_of_stock"]
    return stock_finding(
        row,
        observed=mos,
        benchmark=threshold,
        test=test,
        evidence={parameter: threshold},
        message_en=(
            f"{row['facility']} held {amount(row['closing'], row['unit'])} of {product(row)} "
            f"at the end of {month_en(row['period'])}, {months(mos)} months of stock at "
            f"{amount(row['amc'], row['unit'])} a month: {verdict_en} {months(threshold)} months."
        ),
        message_vi=(
            f"{row['facility']} còn {amount(row['closing'], row['unit'], 'vi')} "
            f"{product(row)} cuối {month_vi(row['period'])}, đủ dùng {months(mos, 'vi')} tháng "
            f"với mức tiêu thụ {amount(row['amc'], row['unit'], 'vi')}/tháng: {verdict_vi} "
            f"{months(threshold, 'vi')} tháng."
        ),
    )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a frame's rows as dicts of plain values, dates as ISO days, missing as None/NaN.

    Built column by column (DataFrame.to_dict boxes every cell), because a stock check over
    a large dataset may fire on tens of thousands of series.
    """
    columns: dict[str, list[Any]] = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            text = column.dt.strftime("%Y-%m-%d")
            columns[name] = text.astype(object).where(column.notna(), None).tolist()
        elif pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            columns[name] = column.to_numpy(dtype=float).tolist()
        else:
            values = column.astype(object)
            columns[name] = values.where(values.notna(), None).tolist()
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def judged_positions(positions: pd.DataFrame, outcome: RuleOutcome) -> pd.DataFrame:
    """Return the series judged at the latest period; count the others not applicable."""
    judged = positions["judged"].to_numpy(dtype=bool)
    outcome.not_applicable[NOT_JUDGED] += int((~judged).sum())
    return positions[judged]


def measured(positions: pd.DataFrame, outcome: RuleOutcome) -> pd.DataFrame:
    """Return the series whose months of stock is defined; count the others not applicable."""
    defined = positions["months_of_stock"].notna().to_numpy()
    outcome.not_applicable[NO_CONSUMPTION] += int((~defined).sum())
    return positions[defined]


def measured_in_stock(positions: pd.DataFrame, outcome: RuleOutcome) -> pd.DataFrame:
    """Return the series not stocked out whose months of stock is defined, counting the
    others not applicable: a stocked-out item is STK-01's, whatever its months of stock."""
    out = stocked_out(positions)
    outcome.not_applicable[STOCKED_OUT] += int(out.sum())
    return measured(positions[~out], outcome)


def stocked_out(positions: pd.DataFrame) -> np.ndarray:
    """Return STK-01's test per series: closing balance 0 or less, or stock-out days reported."""
    return (positions["closing"].to_numpy(dtype=float) <= 0) | (
        positions["stockout_days"].to_numpy(dtype=float) > 0
    )


def level(positions: pd.DataFrame, ctx: Any, name: str) -> np.ndarray:
    """Return a parameter per series from its category's parameters (the pack's categories)."""
    category = positions["category"].astype(object).fillna("").to_numpy()
    values = np.empty(len(positions), dtype=float)
    for value in pd.unique(category):
        values[category == value] = float(getattr(ctx.params_for(value or None), name))
    return values
