"""STK-06: a framework agreement's supplier delivered a facility less than its pro-rata share."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import percent

TEST = "delivered < share x pro-rata quantity"
# Flag subject keys are stored in 300 characters; a longer key keeps its start and a digest.
MAX_KEY = 300
_COLUMNS = (
    "agreement_number", "source_file_id", "source_file", "source_row", "supplier",
    "valid_from", "valid_to", "product_name", "identity_key", "unit", "facility_id",
    "facility", "allocated_quantity", "delivered_quantity", "reported_on",
)  # fmt: skip


@dataclass(frozen=True)
class FrameworkUnderDeliveryParams:
    """Parameters of STK-06."""

    share: float = field(
        default=0.8,
        metadata={
            "doc": "fire when the quantity delivered is below this share of the quantity due "
            "pro rata (allocated x elapsed days / validity days)"
        },
    )
    min_elapsed_days: int = field(
        default=30,
        metadata={
            "doc": "days an agreement must have run before it is judged: in its first weeks "
            "the first order is often still on its way, and a few days' shortfall is noise"
        },
    )

    def __post_init__(self) -> None:
        if not 0 < self.share <= 1:
            raise ValueError(f"STK-06: share must be above 0 and at most 1, got {self.share!r}")
        if self.min_elapsed_days < 0:
            raise ValueError(
                f"STK-06: min_elapsed_days must not be negative, got {self.min_elapsed_days!r}"
            )


@rule(
    code="STK-06",
    version=1,
    params=FrameworkUnderDeliveryParams,
    subject="framework_item",
    severity="medium",
    title_en="Framework agreement under-delivered",
    title_vi="Nhà thầu giao hàng chậm so với thỏa thuận khung",
    reads=frozenset({"frameworks"}),
)
def framework_under_delivery(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a facility's allocation under a framework agreement delivered behind schedule.

    An agreement item allocates a quantity to a facility over the agreement's validity; by a
    given day the supplier should have delivered about the same share of it as of the
    validity has passed. The day is the row's "delivered to date" day (reported_on), or the
    day of the check when the file gives none. Days are counted inclusively: an agreement
    valid 01/01/2024-31/12/2024 runs 366 days, and by 01/07/2024 183 of them have passed.
    Why: a facility that relies on a centralized agreement may not buy the item elsewhere
    while it is valid; a supplier that delivers late leaves the facility short with no legal
    way to fill the gap, which is how stock-outs of agreement items begin. Catching the lag
    pro rata warns before the facility runs out.
    What fires: delivered (missing counts as 0) < share x allocated x elapsed / total days,
    elapsed being the days from valid_from to the report day, capped at the validity (an
    agreement that has ended is due in full). One item per agreement number, facility and
    identity: when several files report it the latest file counts (a re-sent report replaces
    the earlier one), and in it the latest reported_on; rows of that report for the same
    item are added.
    Not fired: delivery at or above the share; an agreement in its first min_elapsed_days.
    Evidence: the agreement number, facility, supplier, product and identity, the allocated,
    delivered and due quantities, the share delivered, the validity and the report day.
    Not applicable: an item with no facility allocation (no facility or no positive
    allocated quantity), no validity dates (or an end before the start), an agreement not
    started on the report day, or one that has run fewer than min_elapsed_days.
    Example: 1,200 vials allocated for 2024, 400 delivered by 01/07/2024: 600 were due,
    400 < 480 fires; 500 delivered would pass.
    """
    params: FrameworkUnderDeliveryParams = ctx.params
    outcome = RuleOutcome()
    reasons = (
        "no facility allocation", "no validity dates", "agreement not started",
        "agreement in its first days",
    )  # fmt: skip
    for reason in reasons:
        outcome.not_applicable[reason] = 0
    items = _items(data.frameworks)
    if items.empty:
        return outcome
    allocated = items["facility_id"].notna() & items["allocated_quantity"].gt(0)
    outcome.not_applicable["no facility allocation"] = int((~allocated).sum())
    current = _latest_reports(items[allocated])
    dated = current["valid_from"].notna() & current["valid_to"].ge(current["valid_from"])
    outcome.not_applicable["no validity dates"] = int((~dated).sum())
    current = current[dated].copy()
    as_of = pd.Timestamp(data.as_of)
    current["report_day"] = current["reported_on"].fillna(as_of)
    current["total_days"] = (current["valid_to"] - current["valid_from"]).dt.days + 1
    elapsed = (current["report_day"] - current["valid_from"]).dt.days + 1
    started = elapsed.gt(0)
    outcome.not_applicable["agreement not started"] = int((~started).sum())
    early = started & elapsed.lt(params.min_elapsed_days)
    outcome.not_applicable["agreement in its first days"] = int(early.sum())
    judged = current[started & ~early].copy()
    judged["elapsed_days"] = elapsed[started & ~early].clip(upper=judged["total_days"])
    outcome.evaluated = len(judged)
    judged["delivered"] = judged["delivered_quantity"].fillna(0.0)
    judged["expected"] = (
        judged["allocated_quantity"] * judged["elapsed_days"] / judged["total_days"]
    )
    fired = judged[judged["delivered"] < params.share * judged["expected"]]
    for _, row in fired.iterrows():
        outcome.findings.append(_finding(row, params))
    return outcome


def _items(frameworks: pd.DataFrame) -> pd.DataFrame:
    """Return the agreement items with the columns this rule reads, dates as datetime64."""
    if frameworks.empty or "agreement_number" not in frameworks:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in _COLUMNS})
    items = frameworks[list(_COLUMNS)].copy()
    for column in ("valid_from", "valid_to", "reported_on"):
        items[column] = pd.to_datetime(items[column]).astype("datetime64[ns]")
    for column in ("allocated_quantity", "delivered_quantity"):
        items[column] = pd.to_numeric(items[column], errors="coerce").astype(float)
    items["facility_id"] = pd.to_numeric(items["facility_id"], errors="coerce")
    return items


def _latest_reports(items: pd.DataFrame) -> pd.DataFrame:
    """Return one row per agreement, facility and identity: its latest report, rows added."""
    items = items.assign(
        facility_id=items["facility_id"].astype(int),
        item=items["identity_key"].fillna(items["product_name"]).fillna("").astype(str),
        _day=items["reported_on"].fillna(pd.Timestamp.min),
    )
    keys = ["agreement_number", "facility_id", "item"]
    latest_file = items.groupby(keys)["source_file_id"].transform("max")
    items = items[items["source_file_id"].eq(latest_file)]
    latest_day = items.groupby(keys)["_day"].transform("max")
    items = items[items["_day"].eq(latest_day)].sort_values(["source_row"], kind="stable")
    quantities = ["allocated_quantity", "delivered_quantity"]
    sums = items.groupby(keys)[quantities].sum(min_count=1)
    first = items.drop_duplicates(keys).drop(columns=quantities).merge(sums.reset_index(), on=keys)
    return first.sort_values(keys, kind="stable").reset_index(drop=True)


def subject_key(*parts: object) -> str:
    """Join the parts with ":"; a key longer than a flag stores keeps its start and a digest."""
    key = ":".join(str(part) for part in parts)
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: MAX_KEY - 17]}#{digest}"


def _value(value: object) -> object:
    """Return None for a missing value (NaN, NaT, None), the value otherwise."""
    return None if value is None or bool(pd.isna(value)) else value


def _day(value: pd.Timestamp) -> str:
    return f"{value:%d/%m/%Y}"


def quantity_en(value: float) -> str:
    """Format a quantity as an English reader expects: 1,200 (whole units)."""
    return f"{value:,.0f}"


def quantity_vi(value: float) -> str:
    """Format a quantity as a Vietnamese reader expects: 1.200 (whole units)."""
    return quantity_en(value).replace(",", ".")


def _finding(row: pd.Series, params: FrameworkUnderDeliveryParams) -> Finding:
    delivered, expected, allocated = row["delivered"], row["expected"], row["allocated_quantity"]
    share = delivered / expected
    facility_id = int(row["facility_id"])
    facility = _value(row["facility"]) or f"facility {facility_id}"
    supplier = _value(row["supplier"])
    product = _value(row["product_name"]) or row["item"]
    unit = _value(row["unit"])
    number, day = row["agreement_number"], row["report_day"]
    days = f"{int(row['elapsed_days'])}/{int(row['total_days'])}"
    evidence = {
        "agreement_number": number,
        "facility": facility,
        "supplier": supplier,
        "product_name": _value(row["product_name"]),
        "identity_key": _value(row["identity_key"]),
        "unit": unit,
        "allocated": float(allocated),
        "delivered": float(delivered),
        "delivered_stated": _value(row["delivered_quantity"]) is not None,
        "expected": float(expected),
        "share_delivered": float(share),
        "elapsed_days": int(row["elapsed_days"]),
        "total_days": int(row["total_days"]),
        "valid_from": row["valid_from"],
        "valid_to": row["valid_to"],
        "reported_on": _value(row["reported_on"]),
        "source_file": row["source_file"],
        "source_row": row["source_row"],
        "product_code": None,
        "item_key": row["item"],
        "period": day.date().isoformat(),
    }
    units_en = f" {unit}" if unit else ""
    message_en = (
        f"By {_day(day)} {facility} had received {quantity_en(delivered)} of the "
        f"{quantity_en(allocated)}{units_en} of {product} allocated to it under framework "
        f"agreement {number}"
        + (f" with {supplier}" if supplier else "")
        + f": {share:.1%} of the {quantity_en(expected)} due pro rata ({days} days of the "
        f"agreement), below {params.share:.0%}."
    )
    message_vi = (
        f"Đến ngày {_day(day)}, {facility} mới nhận {quantity_vi(delivered)}/"
        f"{quantity_vi(allocated)}{units_en} {product} được phân bổ theo thỏa thuận khung "
        f"{number}"
        + (f" với {supplier}" if supplier else "")
        + f", bằng {percent(share)} số lượng phải giao theo tiến độ ({quantity_vi(expected)}, "
        f"{days} ngày hiệu lực), dưới mức {percent(params.share)}."
    )
    return Finding(
        subject_type="framework_item",
        subject_key=subject_key(number, facility_id, row["item"]),
        observed=float(share),
        benchmark=float(params.share),
        test=TEST,
        evidence=evidence,
        message_en=message_en,
        message_vi=message_vi,
        buyer_id=facility_id,
        year=int(day.year),
    )
