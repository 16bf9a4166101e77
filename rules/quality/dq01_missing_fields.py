"""DQ-01: an award line missing a key field, or a file missing a key field on most lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rules.engine.data import AWARD_COLUMN_NAMES, RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import LINE_COLUMNS, line_finding, line_keys, percent

KNOWN = frozenset(AWARD_COLUMN_NAMES)
LABELS = {
    "buyer": ("buyer", "chủ đầu tư"),
    "supplier": ("supplier", "nhà thầu trúng thầu"),
    "unit_price": ("unit price", "đơn giá trúng thầu"),
    "quantity": ("quantity", "số lượng"),
    "registration_number": ("registration number", "số đăng ký (SĐK/GPNK)"),
    "country": ("country of manufacture", "nước sản xuất"),
}
DEFAULT_FIELDS = ("buyer", "supplier", "unit_price", "quantity", "registration_number", "country")
# How many of a file's rows lacking a field its finding quotes, in source order.
EXAMPLES = 3
# A share exactly at file_share must count whatever the float rounding of the mean.
EPS = 1e-9


@dataclass(frozen=True)
class MissingFieldsParams:
    """Parameters of DQ-01."""

    fields: tuple[str, ...] = field(
        default=DEFAULT_FIELDS,
        metadata={
            "doc": "award-line columns that must hold a value (blank text counts as missing)"
        },
    )
    file_share: float = field(
        default=0.9,
        metadata={
            "doc": "a field missing on at least this share of a file's lines is one finding "
            "about the file, not one per line: the file lacks the column (or left it empty), "
            "which its uploader fixes once; below it, each line lacking the field is flagged"
        },
    )

    def __post_init__(self) -> None:
        unknown = [name for name in self.fields if name not in KNOWN]
        if unknown:
            raise ValueError(f"DQ-01: unknown award-line field(s): {', '.join(unknown)}")
        if not 0 < self.file_share <= 1:
            raise ValueError(
                f"DQ-01: file_share must be above 0 and at most 1, got {self.file_share!r}"
            )
        object.__setattr__(self, "fields", tuple(self.fields))  # YAML gives a list


@rule(
    code="DQ-01",
    version=2,
    params=MissingFieldsParams,
    subject="award_line",
    severity="low",
    title_en="Key fields missing",
    title_vi="Thiếu thông tin bắt buộc",
)
def missing_fields(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a line missing any of the `fields`, or a file missing one on most of its lines.

    Its subject is the award line, but a field missing on at least `file_share` of a file's
    lines is one finding about the file instead (subject source_file, key file:<id>) naming
    every such field, and the file's lines are flagged only for the fields it mostly has: a
    file without a whole column would otherwise put every one of its lines in the queue for
    one cause its uploader fixes once. Blank text counts as missing. Buyer, unit price and
    quantity are required by the importer and so never missing in stored lines; they stay in
    the default `fields` because checking them costs nothing and guards other loaders.
    Why: a line without its supplier, registration number or country cannot be attributed,
    identified or told domestic from imported, so the price and origin rules skip it in
    silence; missing data is itself a transparency red flag.
    Evidence: for a line, the missing fields, in order, and where the line came from; for a
    file, its name, buyer and year (when the file has one), its line count and per field the
    lines lacking it, their share and the first rows lacking it.
    Not applicable: none; every line and every file is evaluated.
    """
    params: MissingFieldsParams = ctx.params
    lines = data.awards
    files = lines["source_file_id"]
    outcome = RuleOutcome(evaluated=len(lines) + int(files.nunique()))
    missing = pd.DataFrame({name: _blank(lines[name]) for name in params.fields}, index=lines.index)
    if not missing.any(axis=None):
        return outcome
    wide = missing.groupby(files).mean().ge(params.file_share - EPS)
    gappy = wide.index[wide.any(axis=1)]
    for file_id, part in lines[files.isin(gappy)].groupby("source_file_id"):
        names = [name for name in params.fields if wide.at[file_id, name]]
        outcome.findings.append(_file_finding(part, missing.loc[part.index], names, params))
    # Each line's fields that its file mostly has; the others are the file finding's.
    own = missing & ~wide.reindex(files).fillna(False).astype(bool).to_numpy()
    hit = own.any(axis=1)
    if not hit.any():
        return outcome
    keys = line_keys(lines)[hit]
    # Plain lists of the shown columns only, far cheaper than iterrows or to_dict: this rule
    # can fire on a large share of the lines.
    shown = lines.loc[hit, list(LINE_COLUMNS)]
    columns = [shown[name].tolist() for name in LINE_COLUMNS]
    rows = (dict(zip(LINE_COLUMNS, values, strict=True)) for values in zip(*columns, strict=True))
    for row, key, absent in zip(rows, keys, own[hit].to_numpy(), strict=True):
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
    return line_finding(
        row,
        key,
        observed=float(len(names)),
        benchmark=0.0,
        test="key field missing",
        evidence={"missing_fields": names},
        message_en=f"Row {where} ({row['product_name']}) is missing: {english}.",
        message_vi=f"Dòng {where_vi} ({row['product_name']}) thiếu: {vietnamese}.",
    )


def _file_finding(
    lines: pd.DataFrame, missing: pd.DataFrame, names: list[str], params: MissingFieldsParams
) -> Finding:
    """Return the one finding about a file that lacks `names` on most of its lines."""
    ordered = lines.sort_values(["source_sheet", "source_row"], na_position="first")
    total = len(lines)
    per_field: dict[str, dict[str, Any]] = {}
    for name in names:
        gone = ordered[missing.loc[ordered.index, name].to_numpy()]
        per_field[name] = {
            "missing_lines": len(gone),
            "share": len(gone) / total,
            "examples": [
                {"source_sheet": sheet, "source_row": int(row), "product": product}
                for sheet, row, product in zip(
                    gone["source_sheet"][:EXAMPLES],
                    gone["source_row"][:EXAMPLES],
                    gone["product_name"][:EXAMPLES],
                    strict=True,
                )
            ],
        }
    file_id = int(lines["source_file_id"].iloc[0])
    name = str(lines["source_file"].iloc[0])
    buyer_id, year = _only(lines["buyer_id"]), _only(lines["year"])
    evidence = {
        "source_file_id": file_id,
        "source_file": name,
        "buyer": None if buyer_id is None else lines["buyer"].iloc[0],
        "year": year,
        "file_lines": total,
        "fields": names,
        "missing": per_field,
        "file_share": params.file_share,
    }
    parts_en = [
        f"the {LABELS.get(n, (n, n))[0]} on {per_field[n]['missing_lines']:,} of {total:,} lines "
        f"({per_field[n]['share']:.1%})"
        for n in names
    ]
    parts_vi = [
        f"{LABELS.get(n, (n, n))[1]} ở {_count_vi(per_field[n]['missing_lines'])}/"
        f"{_count_vi(total)} dòng ({percent(per_field[n]['share'])})"
        for n in names
    ]
    return Finding(
        subject_type="source_file",
        subject_key=f"file:{file_id}",
        observed=min(per_field[n]["share"] for n in names),
        benchmark=params.file_share,
        test="field missing on >= file_share of a file's lines",
        evidence=evidence,
        message_en=(
            f"File {name} lacks {_join(parts_en, 'and')}: it has no such "
            f"{'column' if len(names) == 1 else 'columns'} or leaves "
            f"{'it' if len(names) == 1 else 'them'} nearly empty, so the file is flagged once "
            "instead of line by line."
        ),
        message_vi=(
            f"Tệp {name} thiếu {_join(parts_vi, 'và')}: tệp không có "
            f"{'cột này' if len(names) == 1 else 'các cột này'} hoặc để trống gần hết, nên "
            "cảnh báo một lần cho cả tệp thay vì từng dòng."
        ),
        buyer_id=buyer_id,
        year=year,
    )


def _only(column: pd.Series) -> int | None:
    """Return the one value a file's lines share (its buyer, its year), else None."""
    values = column.dropna().unique()
    return int(values[0]) if len(values) == 1 else None


def _join(parts: list[str], word: str) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def _count_vi(count: int) -> str:
    return f"{count:,}".replace(",", ".")
