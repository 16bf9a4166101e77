"""STK-07: an essential item or vaccine supplied by one manufacturer or from one country."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import vnd
from rules.stock.stk06_framework_under_delivery import subject_key

ONE_MANUFACTURER = "one manufacturer"
ONE_COUNTRY = "one country"
BOTH = "one manufacturer and one country"
_COLUMNS = (
    "identity_key", "decision_date", "product_name", "category", "manufacturer_id",
    "manufacturer", "country", "buyer_id", "amount", "currency",
)  # fmt: skip


@dataclass(frozen=True)
class SingleSourceParams:
    """Parameters of STK-07."""

    window_days: int = field(
        default=365,
        metadata={
            "doc": "award lines of these days up to the latest decision date in the data "
            "(that day included) show where an item currently comes from"
        },
    )
    categories: tuple[str, ...] = field(
        default=("vaccine",),
        metadata={
            "doc": "product categories (vaccine, medicine) whose every identity counts as "
            "essential: an EPI vaccine has no substitute when its one source fails"
        },
    )
    lists: tuple[str, ...] = field(
        default=(),
        metadata={
            "doc": "reference list types (as imported, e.g. centralized) whose items count as "
            "essential too; none by default, because no national essential-medicines list is "
            "imported yet and the lists that are (centralized, domestic-only, ...) are "
            "purchasing lists, not a judgement of essentialness; a pack may add them"
        },
    )
    min_lines: int = field(
        default=3,
        metadata={"doc": "award lines an item needs in the window before one source means much"},
    )
    min_buyers: int = field(
        default=1,
        metadata={"doc": "distinct buyers an item needs in the window"},
    )

    def __post_init__(self) -> None:
        if self.window_days < 1 or self.min_lines < 1 or self.min_buyers < 1:
            raise ValueError("STK-07: window_days, min_lines and min_buyers must be at least 1")
        object.__setattr__(self, "categories", tuple(self.categories))  # YAML gives a list
        object.__setattr__(self, "lists", tuple(self.lists))


@rule(
    code="STK-07",
    version=1,
    params=SingleSourceParams,
    subject="product",
    severity="medium",
    title_en="Single-source dependence",
    title_vi="Phụ thuộc vào một nguồn cung duy nhất",
    reads=frozenset({"awards", "reference_items"}),
)
def single_source(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag an essential item whose every recent award came from one manufacturer or country.

    The window is the window_days up to the latest decision date among all award lines, so a
    re-run on the same data gives the same answer whatever day it runs. An item is an
    identity (active ingredient, strength, dosage form); it is essential when one of its
    lines in the window is of a category in categories (vaccines by default) or the identity
    is on a reference list of a type in lists, in a version effective by the window's end.
    Why: when every award for a vaccine or an essential medicine goes to one manufacturer, or
    to manufacturers of one country, a single plant shutdown, recall, export ban or shipping
    disruption stops supply everywhere at once; the WHO and the EPI ask for more than one
    prequalified source for exactly this reason.
    What fires: at least min_lines lines from at least min_buyers buyers in the window, and
    every line's product made by one manufacturer ("one manufacturer"), or every line's
    manufacturer in one country ("one country"); when both hold, one finding names both.
    Not fired: two or more manufacturers and two or more countries among the lines.
    Evidence: the identity, the product names seen, the manufacturers and countries, the
    number of lines and buyers, the value of the VND lines, and the window's start and end.
    Not applicable: an item with no line in the window, one not essential, one with fewer
    than min_lines lines or min_buyers buyers, or one whose known lines all share one
    manufacturer and one country while other lines state neither (the unstated ones may be
    a second source). Lines with no identity or no decision date belong to no item.
    Example: three district hospitals buy BCG vaccine in 2025, every line from one
    manufacturer in India: fires "one manufacturer and one country".
    """
    params: SingleSourceParams = ctx.params
    outcome = RuleOutcome()
    reasons = (
        "no line in the window", "not an essential item", "too few lines or buyers",
        "manufacturer and country not stated on every line",
    )  # fmt: skip
    for reason in reasons:
        outcome.not_applicable[reason] = 0
    lines = _lines(data.awards)
    if lines.empty:
        return outcome
    end = lines["decision_date"].max()
    start = end - pd.Timedelta(days=params.window_days - 1)
    inside = lines["decision_date"].ge(start)
    window = lines[inside]
    outcome.not_applicable["no line in the window"] = len(
        set(lines["identity_key"]) - set(window["identity_key"])
    )
    listed = _listed(data.reference_items, params.lists, end)
    essential = window.groupby("identity_key")["category"].agg(
        lambda c: bool(c.isin(params.categories).any())
    )
    essential |= essential.index.isin(listed)
    outcome.not_applicable["not an essential item"] = int((~essential).sum())
    window = window[window["identity_key"].isin(essential.index[essential])]
    for identity, group in window.groupby("identity_key", sort=True):
        if len(group) < params.min_lines or group["buyer_id"].nunique() < params.min_buyers:
            outcome.not_applicable["too few lines or buyers"] += 1
            continue
        one_maker = _one(group["manufacturer_id"])
        one_country = _one(group["country"])
        if one_maker is None and one_country is None:
            outcome.not_applicable["manufacturer and country not stated on every line"] += 1
            continue
        outcome.evaluated += 1
        if one_maker or one_country:
            outcome.findings.append(
                _finding(str(identity), group, bool(one_maker), bool(one_country), start, end)
            )
    return outcome


def _lines(awards: pd.DataFrame) -> pd.DataFrame:
    """Return the dated lines with an identity, with the columns this rule reads."""
    if awards.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in _COLUMNS})
    chosen = awards.reindex(columns=list(_COLUMNS))
    chosen["decision_date"] = pd.to_datetime(chosen["decision_date"]).astype("datetime64[ns]")
    identity = chosen["identity_key"].fillna("").astype(str).str.strip()
    return chosen[chosen["decision_date"].notna() & identity.ne("")]


def _listed(items: pd.DataFrame, list_types: tuple[str, ...], end: pd.Timestamp) -> set[str]:
    """Return the identities on a list of these types in a version effective by `end`."""
    if not list_types or items.empty or "list_type" not in items:
        return set()
    effective = pd.to_datetime(items["effective_date"]).astype("datetime64[ns]")
    chosen = items["list_type"].isin(list_types) & (effective.isna() | effective.le(end))
    return set(items.loc[chosen, "identity_key"].dropna())


def _one(values: pd.Series) -> bool | None:
    """Tell whether the lines name one source (True), several (False), or cannot tell (None:
    the lines that state one all state the same, and some state none)."""
    known = values.dropna()
    count = known.nunique()
    if count > 1:
        return False
    if count == 1 and len(known) == len(values):
        return True
    return None


def _names(values: pd.Series) -> list[str]:
    return sorted({str(v) for v in values.dropna()})


def _representative(names: pd.Series) -> str | None:
    """Return the product name most lines give (alphabetically first on a tie)."""
    counts = names.dropna().value_counts()
    if counts.empty:
        return None
    return str(min(counts.index[counts.eq(counts.max())]))


def _finding(
    identity: str,
    group: pd.DataFrame,
    one_maker: bool,
    one_country: bool,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> Finding:
    makers, countries = _names(group["manufacturer"]), _names(group["country"])
    lines, buyers = len(group), int(group["buyer_id"].nunique())
    vnd_lines = group["currency"].fillna("VND").eq("VND")
    value = float(pd.to_numeric(group.loc[vnd_lines, "amount"], errors="coerce").sum())
    name = _representative(group["product_name"])
    product = name or identity
    test = BOTH if one_maker and one_country else ONE_MANUFACTURER if one_maker else ONE_COUNTRY
    evidence = {
        "identity_key": identity,
        "product_names": _names(group["product_name"]),
        "manufacturers": makers,
        "countries": countries,
        "lines": lines,
        "buyers": buyers,
        "value": value,
        "window_start": start,
        "window_end": end,
        "one_manufacturer": one_maker,
        "one_country": one_country,
        "facility": None,
        "product_code": None,
        "product_name": name,
        "item_key": identity,
        "period": end.date().isoformat(),
    }
    span = f"{start:%d/%m/%Y}-{end:%d/%m/%Y}"
    maker = makers[0] if makers else "?"
    country = countries[0] if countries else None
    if one_maker:
        source_en = f"of one manufacturer, {maker}" + (f" ({country})" if country else "")
        source_vi = f"của một nhà sản xuất là {maker}" + (f" ({country})" if country else "")
    else:
        source_en = f"made in one country, {country} ({len(makers)} manufacturers)"
        source_vi = f"sản xuất tại một nước là {country} ({len(makers)} nhà sản xuất)"
    message_en = (
        f"All {lines} award lines for {product} ({identity}) from {buyers} "
        f"buyer{'s' if buyers != 1 else ''} in {span}, worth {vnd(value)}, are for products "
        f"{source_en}: supply of the item depends on a single source."
    )
    message_vi = (
        f"Cả {lines} dòng trúng thầu {product} ({identity}) của {buyers} đơn vị mua trong "
        f"giai đoạn {span}, trị giá {vnd(value)}, đều là sản phẩm {source_vi}: nguồn cung mặt hàng "
        "này phụ thuộc vào một nguồn duy nhất."
    )
    return Finding(
        subject_type="product",
        subject_key=subject_key(identity),
        observed=1.0,
        benchmark=2.0,
        test=test,
        evidence=evidence,
        message_en=message_en,
        message_vi=message_vi,
        buyer_id=None,
        year=int(end.year),
    )
