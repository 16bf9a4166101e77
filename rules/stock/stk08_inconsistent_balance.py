"""STK-08: a stock report whose balance does not add up, or is negative."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.stock.findings import amount, day, month_en, month_vi, number, product, records
from rules.stock.series import month_numbers, no_stock

NO_BALANCES = "no opening or closing balance"
OLDER = "older than the periods checked"


@dataclass(frozen=True)
class InconsistentParams:
    """Parameters of STK-08."""

    months: int = field(
        default=12, metadata={"doc": "check the reports of a facility's latest this many months"}
    )
    tolerance_share: float = field(
        default=0.001,
        metadata={"doc": "difference allowed as a share of opening + received (rounding)"},
    )
    tolerance_min: float = field(
        default=1.0, metadata={"doc": "difference always allowed, in units (rounding)"}
    )


@rule(
    code="STK-08",
    version=1,
    params=InconsistentParams,
    subject="stock_report",
    severity="low",
    title_en="Stock data inconsistent",
    title_vi="Số liệu tồn kho không khớp",
    reads=frozenset({"stock"}),
)
def inconsistent_balance(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a stock report row where opening + received - issued - losses + adjustments is
    not the closing balance, or where a balance is negative.

    Each row is checked as reported (lot rows apart); a missing received, issued, losses or
    adjustments counts as 0. The difference allowed is the larger of `tolerance_min` and
    `tolerance_share` of opening + received, for rounding.
    Why: a balance that does not add up means stock unaccounted for (lost, diverted or not
    recorded) or a report nobody checked; every other stock rule trusts these numbers.
    Evidence: the row's opening, received, issued, losses, adjustments and closing balance, the
    computed closing balance and the difference, and the source file, sheet and row.
    Not applicable: no opening or no closing balance; a report older than the last `months`
    months of its facility's reports.
    """
    params: InconsistentParams = ctx.params
    outcome = RuleOutcome()
    stock = data.stock if len(data.stock.columns) else no_stock()
    if not stock.empty and (stock["period"] > pd.Timestamp(data.as_of)).any():
        stock = stock[stock["period"] <= pd.Timestamp(data.as_of)]
    month = month_numbers(stock["period"])
    latest = pd.Series(month).groupby(stock["buyer_id"].to_numpy()).transform("max").to_numpy()
    recent = month > latest - params.months
    outcome.not_applicable[OLDER] = int((~recent).sum())
    value = {name: stock[name].to_numpy(dtype=float) for name in _FLOWS}
    known = recent & ~np.isnan(value["opening"]) & ~np.isnan(value["closing"])
    outcome.not_applicable[NO_BALANCES] = int((recent & ~known).sum())
    outcome.evaluated = int(known.sum())
    flow = {name: np.nan_to_num(v) for name, v in value.items()}
    computed = (
        flow["opening"] + flow["received"] - flow["issued"] - flow["losses"] + flow["adjustments"]
    )
    difference = value["closing"] - computed
    allowed = np.maximum(
        params.tolerance_min,
        params.tolerance_share * (np.abs(flow["opening"]) + np.abs(flow["received"])),
    )
    negative = (flow["opening"] < 0) | (flow["closing"] < 0)
    fired = np.flatnonzero(known & ((np.abs(difference) > allowed) | negative))
    rows = stock.iloc[fired][list(_SHOWN)].assign(
        computed=computed[fired],
        difference=difference[fired],
        mismatch=np.abs(difference[fired]) > allowed[fired],
    )
    keys = _keys(stock, month, fired)
    for row, key in zip(records(rows), keys, strict=True):
        outcome.findings.append(_finding(row, key))
    return outcome


_FLOWS = ("opening", "received", "issued", "losses", "adjustments", "closing")
_SHOWN = (
    "buyer_id", "facility", "product_code", "product_name", "item_key", "unit", "period",
    "lot_number", *_FLOWS, "source_file", "source_sheet", "source_row",
)  # fmt: skip


def _keys(stock: pd.DataFrame, month: np.ndarray, fired: np.ndarray) -> list[str]:
    """Return the fired rows' keys; a second row of one facility, item, period and lot (two
    brands of one identity) gets #2 in source order, so each keeps its own flag."""
    code = (
        stock["buyer_id"].to_numpy(dtype=np.int64) * (1 << 40)
        + stock["stock_item_id"].to_numpy(dtype=np.int64) * (1 << 14)
        + (month - (month.min() if len(month) else 0))
    )
    sharing = np.isin(code, code[fired])
    peers = stock[sharing]
    ordered = peers.assign(
        _lot=peers["lot_number"].astype(object).fillna(""),
        _code=code[sharing],
        _sheet=peers["source_sheet"].astype(object).fillna(""),
    ).sort_values(["source_file_id", "_sheet", "source_row"], kind="stable")
    repeat = ordered.groupby(["_code", "_lot"], sort=False).cumcount().reindex(peers.index)
    chosen = stock.iloc[fired]
    keys = (
        chosen["buyer_id"].astype(np.int64).astype(str)
        + ":"
        + chosen["item_key"].astype(str)
        + ":"
        + chosen["period"].dt.strftime("%Y-%m-%d")
        + ":"
        + chosen["lot_number"].astype(object).fillna("").astype(str)
    )
    count = repeat.loc[chosen.index]
    return keys.where(count == 0, keys + "#" + (count + 1).astype(str)).tolist()


def _finding(row: dict[str, Any], key: str) -> Finding:
    unit = row["unit"]
    lot = row["lot_number"] or None
    where_en = f"{product(row)}" + (f" lot {lot}" if lot else "")
    where_vi = f"{product(row)}" + (f" lô {lot}" if lot else "")
    if not row["mismatch"]:
        said_en = f"a negative balance (opening {amount(row['opening'], unit)}, closing "
        said_en += f"{amount(row['closing'], unit)})"
        said_vi = f"số dư âm (tồn đầu {amount(row['opening'], unit, 'vi')}, tồn cuối "
        said_vi += f"{amount(row['closing'], unit, 'vi')})"
    else:
        said_en = (
            f"a closing balance of {amount(row['closing'], unit)} where opening + received - "
            f"issued - losses + adjustments gives {amount(row['computed'], unit)}"
        )
        said_vi = (
            f"tồn cuối kỳ {amount(row['closing'], unit, 'vi')} trong khi tồn đầu + nhập - xuất "
            f"- hư hao + điều chỉnh cho {amount(row['computed'], unit, 'vi')}"
        )
    return Finding(
        subject_type="stock_report",
        subject_key=key,
        observed=number(row["closing"]),
        benchmark=number(row["computed"]),
        test="balance does not add up" if row["mismatch"] else "negative balance",
        evidence={
            "facility": row["facility"],
            "product_code": row["product_code"],
            "product_name": row["product_name"],
            "item_key": row["item_key"],
            "period": day(row["period"]),
            "lot_number": lot,
            **{name: number(row[name]) for name in _FLOWS},
            "computed_closing": number(row["computed"]),
            "difference": number(row["difference"]),
            "source_file": row["source_file"],
            "source_sheet": row["source_sheet"],
            "source_row": int(row["source_row"]),
        },
        message_en=(
            f"{row['facility']} reported for {where_en} in {month_en(row['period'])} {said_en}."
        ),
        message_vi=(f"{row['facility']} báo cáo {where_vi} {month_vi(row['period'])} {said_vi}."),
        buyer_id=int(row["buyer_id"]),
        year=int(str(row["period"])[:4]),
    )
