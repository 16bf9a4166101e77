"""CEN-01: a facility bought an item of the centralized list while a framework agreement for it
was valid, from another supplier or above the agreement price."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from procurement.groups import group_codes
from procurement.procedures import CENTRALIZED
from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_finding, line_keys, percent, vnd

CENTRALIZED_LIST = "centralized"
MAX_AGREEMENT_MONTHS = 36  # a framework agreement runs at most 36 months (DOMAIN.md)
_AGREEMENT_COLUMNS = (
    "agreement_number", "holder_id", "holder", "supplier_id", "supplier", "valid_from",
    "valid_to", "identity_key", "drug_group", "unit", "price", "standard_unit_price",
    "standard_unit", "facility_id", "allocated_quantity", "source_file_id", "source_file",
    "source_row",
)  # fmt: skip
# What makes two item rows the same terms: a row per facility repeats them.
_TERMS = (
    "agreement_number", "holder_id", "supplier_id", "valid_from", "valid_to", "identity_key",
    "drug_group", "unit", "price", "standard_unit_price", "standard_unit",
)  # fmt: skip
_LINE_COLUMNS = (
    "line_id", "buyer_id", "buyer", "year", "procedure", "identity_key", "drug_group",
    "product_name", "active_ingredients", "registration_number", "supplier_id", "supplier",
    "unit_price", "standard_unit_price", "standard_unit", "decision_date", "source_file",
    "source_sheet", "source_row", "list_date",
)  # fmt: skip
ANOTHER_SUPPLIER = "another supplier while an agreement is valid"
ABOVE_AGREEMENT = "agreement supplier above the agreement price"


@dataclass(frozen=True)
class OutsideFrameworkParams:
    """Parameters of CEN-01."""

    price_tolerance: float = field(
        default=0.0,
        metadata={
            "doc": "share above the agreement price an order from the agreement's supplier may "
            "have and still count as an order under the agreement (0.0 = none)"
        },
    )
    match_group: bool = field(
        default=True,
        metadata={
            "doc": "when a list or agreement item names a technical group (N1..N5), the line's "
            "group must be one of its groups"
        },
    )


@rule(
    code="CEN-01",
    version=1,
    params=OutsideFrameworkParams,
    subject="award_line",
    severity="high",
    title_en="Bought outside a framework agreement",
    title_vi="Mua ngoài thỏa thuận khung đang có hiệu lực",
)
def outside_framework(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a facility's award for an item of the centralized list while an agreement is valid.

    Why: drugs of the national centralized list (Circular 04/2024/TT-BYT) are bought through
    framework agreements of the centralized purchasing unit; while one is valid a contract with
    another supplier for that item is not paid (art. 89), and a facility may buy the item itself
    only when no agreement exists. A facility-level award for such an item while an agreement is
    valid is money spent outside the agreement.
    What fires: a line not bought by the agreement's holder nor by a centralized procedure, whose
    identity_key is an item of the centralized list version in force at its decision date (all
    lists of that type with the latest effective date on or before it), while an agreement item
    with the same identity_key is valid (valid_from <= decision date <= valid_to; a missing
    valid_to is read as valid_from + 36 months). With match_group, a list or agreement item
    naming a technical group matches only lines of one of its groups.
    Not fired: an order under the agreement, i.e. the line's supplier is the agreement's
    supplier and its price is at most the agreement price (per standard unit when both have
    one, else per unit as written) times 1 + price_tolerance; an item of the list bought while
    no agreement is valid (the facility may then buy it itself: evaluated, passed). The 12-month
    cap on such own purchases is not checked: award lines carry no contract period.
    Evidence: the agreement's number, supplier, price, unit, validity, holder and source row,
    the quantity it allocates to this facility, how many agreements were valid, and the line's
    supplier and price; observed/benchmark are the compared line and agreement prices.
    Not applicable: no decision date, a centralized procedure, no centralized list in force,
    an item not on the centralized list, a list item with a group matched by a line stating
    none, or a line bought by the agreement's holder.
    Example: hospital X buys Meropenem 1g from company B in 03/2025 while agreement
    12/TTK-TTMS with company A (valid 01/2024-12/2025) covers it: fires.
    """
    params: OutsideFrameworkParams = ctx.params
    lines = data.awards
    outcome = RuleOutcome()
    dated = lines["decision_date"].notna()
    centralized = lines["procedure"].eq(CENTRALIZED)
    outcome.not_applicable["no decision date"] = int((~dated).sum())
    outcome.not_applicable["centralized purchase"] = int((dated & centralized).sum())
    candidates = lines[dated & ~centralized]
    items = _list_items(data.reference_items)
    in_force = _version_in_force(items, candidates["decision_date"])
    outcome.not_applicable["no centralized list in force"] = int(in_force.isna().sum())
    on_list, undecided = _on_list(candidates[in_force.notna()], in_force, items, params)
    outcome.not_applicable["item not on the centralized list"] = int(
        in_force.notna().sum() - len(on_list) - undecided
    )
    outcome.not_applicable["no drug group on the line"] = undecided
    agreements = _agreements(data.frameworks)
    pairs = _valid_agreements(on_list, agreements.drop_duplicates(list(_TERMS)), params)
    holder = set(pairs.loc[pairs["buyer_id"].eq(pairs["holder_id_agr"]), "index"])
    outcome.not_applicable["bought by the agreement's holder"] = len(holder)
    outcome.evaluated = len(on_list) - len(holder)
    pairs = pairs[~pairs["index"].isin(holder)]
    ordered = set(pairs.loc[pairs["same_supplier"] & pairs["within_price"], "index"])
    fired = pairs[~pairs["index"].isin(ordered)]
    if fired.empty:
        return outcome
    allocated = _allocated(agreements)
    counts = fired.groupby("index")["agreement_number_agr"].nunique()
    primary = (
        fired.assign(other=~fired["same_supplier"])
        .sort_values(["other", "agreement_price_compared", "agreement_number_agr"], kind="stable")
        .drop_duplicates("index")
        .set_index("index")
        .sort_index()
    )
    keys = line_keys(lines, primary.index)
    for index, row in primary.iterrows():
        quantity = allocated.get(
            (row["agreement_number_agr"], row["identity_key"], int(row["buyer_id"]))
        )
        outcome.findings.append(
            _finding(row, keys.loc[index], int(counts.loc[index]), _value(quantity))
        )
    return outcome


def _list_items(items: pd.DataFrame) -> pd.DataFrame:
    """Return the centralized list's items with their version date as datetime64."""
    if items.empty or "list_type" not in items:
        return pd.DataFrame(
            {"identity_key": pd.Series(dtype=object), "drug_group": pd.Series(dtype=object),
             "effective_date": pd.Series(dtype="datetime64[ns]")}
        )  # fmt: skip
    chosen = items[items["list_type"].eq(CENTRALIZED_LIST)]
    dates = pd.to_datetime(chosen["effective_date"]).astype("datetime64[ns]")
    return chosen[["identity_key", "drug_group"]].assign(effective_date=dates)


def _version_in_force(items: pd.DataFrame, decided: pd.Series) -> pd.Series:
    """Return, per line, the effective date of the list version in force (NaT for none)."""
    versions = np.sort(items["effective_date"].dropna().unique())
    in_force = pd.Series(pd.NaT, index=decided.index, dtype="datetime64[ns]")
    if len(versions) and len(decided):
        at = np.searchsorted(versions, decided.to_numpy("datetime64[ns]"), "right")
        found = at > 0
        in_force[found] = versions[at[found] - 1]
    return in_force


def _on_list(
    lines: pd.DataFrame, in_force: pd.Series, items: pd.DataFrame, params: OutsideFrameworkParams
) -> tuple[pd.DataFrame, int]:
    """Return the lines whose identity is on the version in force, and how many are undecided
    because the item names a group and the line states none."""
    matched = (
        lines.assign(list_date=in_force.loc[lines.index])
        .reset_index()
        .merge(
            items.rename(columns={"drug_group": "list_group", "effective_date": "list_date"}),
            on=["identity_key", "list_date"],
        )
    )
    if matched.empty:
        return lines.iloc[:0].assign(list_date=pd.Series(dtype="datetime64[ns]")), 0
    need = matched["list_group"].map(group_codes)
    have = matched["drug_group"].map(group_codes)
    if params.match_group:
        fits = [not n or bool(n & h) for n, h in zip(need, have, strict=True)]
        unknown = [bool(n) and not h for n, h in zip(need, have, strict=True)]
    else:
        fits, unknown = [True] * len(matched), [False] * len(matched)
    hits = matched[fits].drop_duplicates("index").set_index("index")
    undecided = set(matched.loc[unknown, "index"]) - set(hits.index)
    on_list = lines.loc[hits.index.sort_values()].assign(list_date=hits["list_date"])
    return on_list, len(undecided)


def _agreements(frameworks: pd.DataFrame) -> pd.DataFrame:
    """Return agreement items with their validity as datetime64, empty with columns if none."""
    if frameworks.empty or "agreement_number" not in frameworks:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in _AGREEMENT_COLUMNS})
    chosen = frameworks[list(_AGREEMENT_COLUMNS)].copy()
    for column in ("valid_from", "valid_to"):
        chosen[column] = pd.to_datetime(chosen[column]).astype("datetime64[ns]")
    implied = chosen["valid_from"] + pd.DateOffset(months=MAX_AGREEMENT_MONTHS)
    chosen["valid_to"] = chosen["valid_to"].fillna(implied)
    return chosen


def _valid_agreements(
    lines: pd.DataFrame, agreements: pd.DataFrame, params: OutsideFrameworkParams
) -> pd.DataFrame:
    """Pair each line with the agreement items for its identity valid on its decision date."""
    pairs = (
        lines[list(_LINE_COLUMNS)]
        .reset_index()
        .merge(
            agreements.add_suffix("_agr").rename(columns={"identity_key_agr": "identity_key"}),
            on="identity_key",
        )
    )
    decided = pairs["decision_date"]
    start, end = pairs["valid_from_agr"], pairs["valid_to_agr"]
    valid = (start.isna() | (start <= decided)) & (end.isna() | (decided <= end))
    if params.match_group:
        line_groups = pairs["drug_group"].map(group_codes)
        item_groups = pairs["drug_group_agr"].map(group_codes)
        fits = [
            not i or not g or bool(i & g) for i, g in zip(item_groups, line_groups, strict=True)
        ]
        valid &= np.array(fits, dtype=bool)
    pairs = pairs[valid.to_numpy(dtype=bool)].copy()
    supplier = pd.to_numeric(pairs["supplier_id"], errors="coerce")
    pairs["same_supplier"] = supplier.notna() & supplier.eq(
        pd.to_numeric(pairs["supplier_id_agr"], errors="coerce")
    )
    standard = (
        pairs["standard_unit_price"].notna()
        & pairs["standard_unit_price_agr"].notna()
        & pairs["standard_unit"].notna()
        & pairs["standard_unit"].eq(pairs["standard_unit_agr"])
    )
    pairs["price_basis"] = np.where(standard, "standard unit", "unit as written")
    pairs["line_price_compared"] = (
        pairs["standard_unit_price"].where(standard, pairs["unit_price"]).astype(float)
    )
    pairs["agreement_price_compared"] = (
        pairs["standard_unit_price_agr"].where(standard, pairs["price_agr"]).astype(float)
    )
    limit = pairs["agreement_price_compared"] * (1 + params.price_tolerance)
    pairs["within_price"] = pairs["line_price_compared"] <= limit + 1e-9
    return pairs


def _allocated(agreements: pd.DataFrame) -> dict[tuple[str, str, int], float]:
    """Return the quantity each agreement allocates per identity and facility, as the latest
    file giving that allocation states it (a re-sent list replaces, it does not add)."""
    given = agreements[agreements["facility_id"].notna()].assign(
        facility_id=lambda f: f["facility_id"].astype(int)
    )
    if given.empty:
        return {}
    keys = ["agreement_number", "identity_key", "facility_id"]
    latest = given.groupby(keys)["source_file_id"].transform("max")
    sums = given[given["source_file_id"].eq(latest)].groupby(keys)["allocated_quantity"]
    return {key: quantity for key, quantity in sums.sum(min_count=1).items()}


def _value(value: object) -> object:
    """Return None for a missing value (NaN, NaT, None), the value otherwise."""
    return None if value is None or bool(pd.isna(value)) else value


def _day(value: object) -> str:
    return "?" if _value(value) is None else f"{value:%d/%m/%Y}"


def _finding(row: pd.Series, key: str, valid_count: int, allocated: object) -> Finding:
    same = bool(row["same_supplier"])
    line_price, agreement_price = row["line_price_compared"], row["agreement_price_compared"]
    number, agreement_supplier = row["agreement_number_agr"], _value(row["supplier_agr"])
    period_en = f"{_day(row['valid_from_agr'])}-{_day(row['valid_to_agr'])}"
    supplier = _value(row["supplier"]) or "an unnamed supplier"
    product = _value(row["product_name"]) or row["active_ingredients"]
    decided = f"{row['decision_date']:%d/%m/%Y}"
    evidence = {
        "procedure": _value(row["procedure"]),
        "identity_key": row["identity_key"],
        "list_effective_date": row["list_date"],
        "agreement_number": number,
        "agreement_supplier": agreement_supplier,
        "agreement_price": row["price_agr"],
        "agreement_unit": _value(row["unit_agr"]),
        "agreement_valid_from": _value(row["valid_from_agr"]),
        "agreement_valid_to": _value(row["valid_to_agr"]),
        "agreement_holder": _value(row["holder_agr"]),
        "agreement_source_file": row["source_file_agr"],
        "agreement_source_row": row["source_row_agr"],
        "facility_allocated_quantity": allocated,
        "valid_agreements": valid_count,
        "same_supplier": same,
        "price_basis": row["price_basis"],
        "line_price_compared": line_price,
        "agreement_price_compared": agreement_price,
    }
    if same:
        share = line_price / agreement_price - 1 if agreement_price else float("nan")
        message_en = (
            f"{product} was bought on {decided} from {supplier}, the supplier of framework "
            f"agreement {number}, at {vnd(line_price)}, {share:.1%} above the agreement price of "
            f"{vnd(agreement_price)} (valid {period_en}); an order under the agreement may not "
            "exceed its price."
        )
        message_vi = (
            f"Mua {product} ngày {decided} của {supplier}, nhà thầu của thỏa thuận khung "
            f"{number}, giá {vnd(line_price)}, cao hơn giá thỏa thuận {vnd(agreement_price)} "
            f"{percent(share)} (hiệu lực {period_en}); mua theo thỏa thuận khung không được "
            "vượt giá thỏa thuận."
        )
    else:
        other = agreement_supplier or "its supplier"
        message_en = (
            f"{product} was bought on {decided} from {supplier} at {vnd(line_price)} while "
            f"framework agreement {number} with {other} at {vnd(agreement_price)} was valid "
            f"({period_en}); while an agreement is valid, a contract with another supplier for "
            "the item is not paid."
        )
        message_vi = (
            f"Mua {product} ngày {decided} của {supplier} giá {vnd(line_price)} trong khi thỏa "
            f"thuận khung {number} với {agreement_supplier or 'nhà thầu của thỏa thuận'} giá "
            f"{vnd(agreement_price)} đang có hiệu lực ({period_en}); khi thỏa thuận khung còn "
            "hiệu lực, hợp đồng với nhà thầu khác cho mặt hàng này không được thanh toán."
        )
    return line_finding(
        row,
        key,
        observed=float(line_price),
        benchmark=float(agreement_price),
        test=ABOVE_AGREEMENT if same else ANOTHER_SUPPLIER,
        evidence=evidence,
        message_en=message_en,
        message_vi=message_vi,
    )
