"""DQ-01: an award line missing a key field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rules.engine.data import AWARD_COLUMNS, RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import line_evidence, line_keys

KNOWN = frozenset(column.name for column in AWARD_COLUMNS)
LABELS = {
    "buyer": ("buyer", "chủ đầu tư"),
    "supplier": ("supplier", "nhà thầu trúng thầu"),
    "unit_price": ("unit price", "đơn giá trúng thầu"),
    "quantity": ("quantity", "số lượng"),
    "registration_number": ("registration number", "số đăng ký (SĐK/GPNK)"),
    "country": ("country of manufacture", "nước sản xuất"),
}
# The columns line_evidence shows, and the ids a finding carries.
SHOWN = (
    "buyer", "product_name", "registration_number", "supplier", "unit_price", "decision_date",
    "source_file", "source_sheet", "source_row", "line_id", "buyer_id", "year",
)  # fmt: skip
DEFAULT_FIELDS = ("buyer", "supplier", "unit_price", "quantity", "registration_number", "country")


@dataclass(frozen=True)
class MissingFieldsParams:
    """Parameters of DQ-01."""

    fields: tuple[str, ...] = field(
        default=DEFAULT_FIELDS,
        metadata={
            "doc": "award-line columns that must hold a value (blank text counts as missing)"
        },
    )

    def __post_init__(self) -> None:
        unknown = [name for name in self.fields if name not in KNOWN]
        if unknown:
            raise ValueError(f"DQ-01: unknown award-line field(s): {', '.join(unknown)}")
        object.__setattr__(self, "fields", tuple(self.fields))  # YAML gives a list


@rule(
    code="DQ-01",
    version=1,
    params=MissingFieldsParams,
    subject="award_line",
    severity="low",
    title_en="Key fields missing",
    title_vi="Thiếu thông tin bắt buộc",
)
def missing_fields(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line missing any of buyer, supplier, unit price, quantity, registration or country.

    Why: a line without its supplier, registration number or country cannot be attributed,
    identified or told domestic from imported, so the price and origin rules skip it in
    silence; missing data is itself a transparency red flag. Buyer, unit price and quantity
    are required by the importer and so never missing in stored lines; they stay in the
    default list because checking them costs nothing and guards other loaders.
    Evidence: the missing fields, in order, and where the line came from.
    Not applicable: none; every line is checked.
    """
    params: MissingFieldsParams = ctx.params
    lines = data.awards
    outcome = RuleOutcome(evaluated=len(lines))
    missing = pd.DataFrame({name: _blank(lines[name]) for name in params.fields}, index=lines.index)
    hit = missing.any(axis=1)
    if not hit.any():
        return outcome
    keys = line_keys(lines)[hit]
    # Plain lists of the shown columns only, far cheaper than iterrows or to_dict: this rule
    # can fire on a large share of the lines.
    shown = lines.loc[hit, list(SHOWN)]
    columns = [shown[name].tolist() for name in SHOWN]
    rows = (dict(zip(SHOWN, values, strict=True)) for values in zip(*columns, strict=True))
    for row, key, absent in zip(rows, keys, missing[hit].to_numpy(), strict=True):
        names = [name for name, gone in zip(params.fields, absent, strict=True) if gone]
        outcome.findings.append(_finding(row, key, names))
    return outcome


def _blank(column: pd.Series) -> pd.Series:
    """Return True where a value is missing or blank text."""
    if pd.api.types.is_numeric_dtype(column):
        return column.isna()
    text = column.astype("string").str.strip()
    return (text.isna() | text.eq("")).astype(bool)


def _finding(row: dict[str, Any], key: str, names: list[str]) -> Finding:
    english = ", ".join(LABELS.get(name, (name, name))[0] for name in names)
    vietnamese = ", ".join(LABELS.get(name, (name, name))[1] for name in names)
    where = f"{row['source_row']} of {row['source_file']}"
    where_vi = f"{row['source_row']} tệp {row['source_file']}"
    return Finding(
        subject_type="award_line",
        subject_key=key,
        observed=float(len(names)),
        benchmark=0.0,
        test="key field missing",
        evidence={**line_evidence(row), "missing_fields": names},
        message_en=f"Row {where} ({row['product_name']}) is missing: {english}.",
        message_vi=f"Dòng {where_vi} ({row['product_name']}) thiếu: {vietnamese}.",
        line_id=int(row["line_id"]),
        buyer_id=int(row["buyer_id"]),
        year=None if pd.isna(row["year"]) else int(row["year"]),
    )
