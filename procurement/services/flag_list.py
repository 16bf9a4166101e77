"""Flags as the auditor and the command line list and export them, with their subject's fields.

The auditor's Excel export (`flag_export`) writes the queue's current filter in the queue's
order: a "Flags" sheet, one row per flag, and an "Evidence" sheet, one row per evidence value
per flag, typed so Excel sums money and sorts dates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Select, case, null, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Flag, Product, SourceFile, Supplier
from procurement.services.flag_evidence import evidence_rows
from procurement.services.flag_filters import FlagFilters, apply_filters, sort_order, valid_sort
from procurement.services.permissions import Actor, authorize
from procurement.services.tabular import write_csv, write_json, write_xlsx

VIETNAM = timezone(timedelta(hours=7))  # exported times are the officers' local time

COLUMNS: tuple[tuple[str, Any], ...] = (
    ("flag_id", Flag.id),
    ("rule", Flag.rule),
    ("severity", Flag.severity),
    ("status", Flag.status),
    ("active", Flag.active),
    ("subject_type", Flag.subject_type),
    ("year", Flag.year),
    ("buyer", Buyer.name),
    ("product_code", None),
    ("product", Product.name),
    ("period", None),
    ("registration_number", Product.registration_number),
    ("supplier", Supplier.name),
    ("unit_price", AwardLine.unit_price),
    ("observed", Flag.observed),
    ("benchmark", Flag.benchmark),
    ("test", Flag.test),
    ("source_file", SourceFile.name),
    ("source_row", AwardLine.source_row),
    ("message_vi", Flag.message_vi),
    ("message_en", Flag.message_en),
)
HEADERS = [name for name, _ in COLUMNS]
# A stock flag is about a facility's product in a period, not an award line: its product code,
# name and period come from the evidence the STK rules write (the facility is its buyer).
STOCK_FAMILY = "STK"
_SQL_HEADERS = [name for name, column in COLUMNS if column is not None]
_STOCK_EVIDENCE = case((Flag.family == STOCK_FAMILY, Flag.evidence), else_=null())

# The auditor's export: more context than the command line's table, in reading order.
EXPORT_COLUMNS: tuple[tuple[str, Any, int], ...] = (
    ("flag_id", Flag.id, 9),
    ("rule", Flag.rule, 9),
    ("family", Flag.family, 9),
    ("severity", Flag.severity, 10),
    ("status", Flag.status, 11),
    ("active", Flag.active, 9),
    ("subject_type", Flag.subject_type, 14),
    ("subject_key", Flag.subject_key, 24),
    ("year", Flag.year, 8),
    ("buyer", Buyer.name, 40),
    ("province", Buyer.province, 18),
    ("product", Product.name, 36),
    ("registration_number", Product.registration_number, 20),
    ("supplier", Supplier.name, 36),
    ("decision_date", AwardLine.decision_date, 13),
    ("unit", AwardLine.unit, 10),
    ("quantity", AwardLine.quantity, 13),
    ("unit_price", AwardLine.unit_price, 14),
    ("currency", AwardLine.currency, 9),
    ("observed", Flag.observed, 14),
    ("benchmark", Flag.benchmark, 14),
    ("test", Flag.test, 24),
    ("source_file", SourceFile.name, 30),
    ("source_sheet", AwardLine.source_sheet, 12),
    ("source_row", AwardLine.source_row, 10),
    ("first_seen", Flag.first_seen, 12),
    ("last_seen", Flag.last_seen, 12),
    ("message_vi", Flag.message_vi, 60),
    ("message_en", Flag.message_en, 60),
)
EVIDENCE_HEADERS = ["flag_id", "rule", "key", "value", "kind"]
EVIDENCE_WIDTHS = [9, 9, 26, 30, 10]


def _joined(query: Select[Any]) -> Select[Any]:
    return (
        query.outerjoin(AwardLine, Flag.line_id == AwardLine.id)
        .outerjoin(Product, AwardLine.product_id == Product.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .outerjoin(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .outerjoin(Buyer, Flag.buyer_id == Buyer.id)
    )


def flags_query(
    rule: str | None = None, status: str | None = None, severity: str | None = None
) -> Select[Any]:
    """Select flags with their subject's fields, filtered by rule, status and severity."""
    columns = [column for _, column in COLUMNS if column is not None]
    query = _joined(select(*columns, _STOCK_EVIDENCE.label("stock_evidence")))
    filters = FlagFilters(rule=rule, status=status, severity=severity)
    return apply_filters(query, filters).order_by(Flag.rule, Flag.id)


def flag_rows(session: Session, **filters: str | None) -> Iterator[tuple[Any, ...]]:
    """Yield flag rows in rule order (HEADERS' columns)."""
    for row in session.execute(flags_query(**filters)):
        yield _row(row)


def _row(row: Any) -> tuple[Any, ...]:
    values = dict(zip(_SQL_HEADERS, row[:-1], strict=True))
    evidence = row[-1] or {}
    if evidence:
        values["buyer"] = values["buyer"] or evidence.get("facility")
        values["product"] = values["product"] or evidence.get("product_name")
        values["product_code"] = evidence.get("product_code")
        values["period"] = evidence.get("period")
    return tuple(values.get(name) for name in HEADERS)


def flags_export(session: Session, fmt: str, path: Path, **filters: str | None) -> int:
    """Write the filtered flags to .csv, .xlsx or .json; return how many."""
    rows = flag_rows(session, **filters)
    if fmt == "csv":
        return write_csv(path, HEADERS, rows)
    if fmt == "json":
        return write_json(path, HEADERS, rows)
    return write_xlsx(path, [("Flags", HEADERS, rows)])


def flag_export(
    session: Session,
    actor: Actor,
    filters: FlagFilters,
    path: Path,
    sort: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> int:
    """Write the filter's flags to .xlsx (sheets Flags and Evidence); return how many flags.

    `titles` maps rule codes to their titles (the rule registry's, in the reader's language);
    the services do not import the rules package, so the caller passes them in.
    """
    authorize("flag.export", actor)
    order = sort_order(valid_sort(sort))
    titles = titles or {}
    headers = [name for name, _, _ in EXPORT_COLUMNS]
    headers.insert(2, "rule_title")
    widths = [width for _, _, width in EXPORT_COLUMNS]
    widths.insert(2, 40)
    count = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal count
        for row in _export_rows(session, filters, order, titles):
            count += 1
            yield row

    evidence = _evidence_rows(session, filters, order)
    sheets = [("Flags", headers, counted()), ("Evidence", EVIDENCE_HEADERS, evidence)]
    write_xlsx(path, sheets, widths={"Flags": widths, "Evidence": EVIDENCE_WIDTHS})
    return count


def _filtered(columns: list[Any], filters: FlagFilters, order: list[Any]) -> Select[Any]:
    return apply_filters(_joined(select(*columns)), filters).order_by(*order)


def _export_rows(
    session: Session, filters: FlagFilters, order: list[Any], titles: Mapping[str, str]
) -> Iterator[list[Any]]:
    query = _filtered([column for _, column, _ in EXPORT_COLUMNS], filters, order)
    for row in session.execute(query):
        values = [_local(value) for value in row]
        values.insert(2, titles.get(row.rule, ""))
        yield values


def _evidence_rows(session: Session, filters: FlagFilters, order: list[Any]) -> Iterator[list[Any]]:
    query = _filtered([Flag.id, Flag.rule, Flag.evidence], filters, order)
    for flag_id, rule, evidence in session.execute(query):
        for item in evidence_rows(evidence or {}):
            yield [flag_id, rule, item.key, item.value, item.kind]


def _local(value: Any) -> Any:
    """Excel has no time zones: write times as the officers' local time, without a zone."""
    if isinstance(value, datetime):  # stored in UTC (SQLite hands it back without a zone)
        return value.replace(tzinfo=value.tzinfo or UTC).astimezone(VIETNAM).replace(tzinfo=None)
    return value
