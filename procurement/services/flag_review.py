"""One flag as the auditor reviews it, and the decisions taken on it.

A decision (confirm, dismiss, escalate) always carries a comment and appends one history row:
who, when, from which status to which, and why. History is never updated or deleted, and the
rules engine never overwrites a decision (it only records that the condition cleared or holds
again), so the trail is the flag's whole story.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procurement.models import (
    AwardLine,
    Flag,
    FlagHistory,
    Manufacturer,
    Product,
    SourceFile,
    Supplier,
    Tender,
)
from procurement.models.base import utcnow
from procurement.models.flag import CONFIRMED, DISMISSED, ESCALATED
from procurement.services.flag_events import Event, append
from procurement.services.flag_evidence import EvidenceRow, evidence_rows
from procurement.services.flag_queue import FlagRow, flag_rows_by_id
from procurement.services.permissions import Actor, authorize

DECISIONS = (CONFIRMED, DISMISSED, ESCALATED)
MAX_COMMENT = 2000
MAX_BULK = 1000
RELATED_LIMIT = 20


class FlagNotFound(LookupError):
    """No flag with that id."""


class DecisionError(ValueError):
    """A decision the service refuses: unknown, without a comment, or on nothing."""


@dataclass(frozen=True)
class HistoryRow:
    """One entry of a flag's append-only history."""

    at: datetime
    actor: str
    event: str
    from_status: str | None
    to_status: str | None
    comment: str | None


@dataclass(frozen=True)
class SourceRef:
    """Where a line came from: the import, its stored copy, the sheet, row and headers."""

    file_id: int
    name: str
    file_format: str
    size_bytes: int
    stored_path: str | None
    status: str
    sheet: str | None
    row: int
    columns: list[tuple[str, str]]  # (column letter, header) of that sheet


@dataclass(frozen=True)
class LineFacts:
    """The award line a flag is about, as stored after normalization."""

    line_id: int
    tender_code: str | None
    tender_name: str | None
    procedure: str | None
    decision_number: str | None
    decision_date: date | None
    product: str | None
    active_ingredients: str | None
    strength: str | None
    dosage_form: str | None
    registration_number: str | None
    manufacturer: str | None
    country: str | None
    origin: str
    supplier: str | None
    unit: str | None
    quantity: float
    planned_unit_price: float | None
    unit_price: float
    amount: float | None
    currency: str
    standard_unit_price: float | None
    standard_unit: str | None


@dataclass(frozen=True)
class RelatedGroup:
    """Other flags about the same line, the same buyer and year, or the same product."""

    kind: str  # "line" | "buyer_year" | "product"
    rows: list[FlagRow]


@dataclass(frozen=True)
class FlagDetail:
    """Everything the flag page shows."""

    flag: FlagRow
    rule_version: int
    test: str | None
    params: list[tuple[str, Any]]
    evidence: list[EvidenceRow]
    first_seen: datetime
    closed_at: datetime | None
    line: LineFacts | None
    source: SourceRef | None
    history: list[HistoryRow]
    related: list[RelatedGroup]

    def message(self, language: str) -> str:
        """Return the sentence saying why, in the language asked for (Vietnamese by default)."""
        return self.flag.message_en if language == "en" else self.flag.message_vi


def flag_detail(session: Session, actor: Actor, flag_id: int) -> FlagDetail:
    """Return a flag with its evidence, line, source row, history and related flags."""
    authorize("flag.view", actor)
    flag = _get(session, flag_id)
    row = flag_rows_by_id(session, [flag.id])[0]
    line = session.get(AwardLine, flag.line_id) if flag.line_id is not None else None
    return FlagDetail(
        flag=row,
        rule_version=flag.rule_version,
        test=flag.test,
        params=sorted((flag.params or {}).items()),
        evidence=evidence_rows(flag.evidence or {}),
        first_seen=flag.first_seen,
        closed_at=flag.closed_at,
        line=_line_facts(session, line) if line is not None else None,
        source=_source(session, line) if line is not None else None,
        history=flag_history(session, flag.id),
        related=_related(session, flag, line),
    )


def flag_decide(session: Session, actor: Actor, flag_id: int, decision: str, comment: str) -> str:
    """Record a decision with its comment; return the status the flag had before."""
    return flag_decide_many(session, actor, [flag_id], decision, comment)[0]


def flag_decide_many(
    session: Session, actor: Actor, flag_ids: Iterable[int], decision: str, comment: str
) -> list[str]:
    """Record one decision on several flags, all or none; return their statuses before.

    Runs in the caller's transaction and checks everything before it changes anything: a
    missing flag or a bad decision raises and nothing is written.
    """
    authorize("flag.decide", actor)
    ids = list(dict.fromkeys(int(i) for i in flag_ids))
    comment = _checked(decision, comment, ids)
    flags = {
        f.id: f for f in session.scalars(select(Flag).where(Flag.id.in_(ids)).with_for_update())
    }
    missing = [i for i in ids if i not in flags]
    if missing:
        raise FlagNotFound(f"no flag #{missing[0]}")
    now = utcnow()
    before = [flags[i].status for i in ids]
    for flag_id in ids:
        flags[flag_id].status = decision
    session.flush()
    events = [
        Event(i, actor.username, "decided", old, decision, comment)
        for i, old in zip(ids, before, strict=True)
    ]
    append(session, events, now)
    return before


def flag_history(session: Session, flag_id: int) -> list[HistoryRow]:
    """Return a flag's history, oldest first (no permission check: callers hold flag.view)."""
    rows = session.execute(
        select(
            FlagHistory.at,
            FlagHistory.actor,
            FlagHistory.event,
            FlagHistory.from_status,
            FlagHistory.to_status,
            FlagHistory.comment,
        )
        .where(FlagHistory.flag_id == flag_id)
        .order_by(FlagHistory.at, FlagHistory.id)
    )
    return [HistoryRow(*row) for row in rows]


def _checked(decision: str, comment: str | None, ids: list[int]) -> str:
    if decision not in DECISIONS:
        raise DecisionError(f"unknown decision {decision!r}: use one of {', '.join(DECISIONS)}")
    text = (comment or "").strip()
    if not text:
        raise DecisionError("a decision needs a comment saying why")
    if len(text) > MAX_COMMENT:
        raise DecisionError(f"a comment holds at most {MAX_COMMENT} characters")
    if not ids:
        raise DecisionError("no flag was selected")
    if len(ids) > MAX_BULK:
        raise DecisionError(f"at most {MAX_BULK} flags can be decided at once")
    return text


def _get(session: Session, flag_id: int) -> Flag:
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise FlagNotFound(f"no flag #{flag_id}")
    return flag


def _line_facts(session: Session, line: AwardLine) -> LineFacts:
    tender = session.get(Tender, line.tender_id)
    product = session.get(Product, line.product_id)
    supplier = session.get(Supplier, line.supplier_id) if line.supplier_id else None
    maker = (
        session.get(Manufacturer, product.manufacturer_id)
        if product and product.manufacturer_id
        else None
    )
    return LineFacts(
        line_id=line.id,
        tender_code=tender.code if tender else None,
        tender_name=tender.name if tender else None,
        procedure=(tender.procedure_text or tender.procedure) if tender else None,
        decision_number=tender.decision_number if tender else None,
        decision_date=line.decision_date,
        product=product.name if product else None,
        active_ingredients=product.active_ingredients if product else None,
        strength=product.strength_text if product else None,
        dosage_form=product.dosage_form_text if product else None,
        registration_number=product.registration_number if product else None,
        manufacturer=maker.name if maker else None,
        country=(maker.country_text or maker.country) if maker else None,
        origin=product.origin if product else "unknown",
        supplier=supplier.name if supplier else None,
        unit=line.unit,
        quantity=line.quantity,
        planned_unit_price=line.planned_unit_price,
        unit_price=line.unit_price,
        amount=line.amount,
        currency=line.currency,
        standard_unit_price=line.standard_unit_price,
        standard_unit=line.standard_unit,
    )


def _source(session: Session, line: AwardLine) -> SourceRef | None:
    source = session.get(SourceFile, line.source_file_id)
    if source is None:
        return None
    sheets = [s for s in source.layout or [] if isinstance(s, dict)]
    layout = next((s for s in sheets if s.get("sheet") == line.source_sheet), None)
    if layout is None and len(sheets) == 1:
        layout = sheets[0]
    columns = [
        (str(c.get("column")), str(c.get("header") or ""))
        for c in (layout or {}).get("columns", [])
        if c.get("column")
    ]
    return SourceRef(
        file_id=source.id,
        name=source.name,
        file_format=source.file_format,
        size_bytes=source.size_bytes,
        stored_path=source.stored_path,
        status=source.status,
        sheet=line.source_sheet,
        row=line.source_row,
        columns=columns,
    )


def _related(session: Session, flag: Flag, line: AwardLine | None) -> list[RelatedGroup]:
    """Other flags on the same line, the same buyer and year, and the same product."""
    groups = []
    others = Flag.id != flag.id
    if flag.line_id is not None:
        same_line = select(Flag.id).where(others, Flag.line_id == flag.line_id)
        groups.append(("line", same_line))
    if flag.buyer_id is not None and flag.year is not None:
        same_buyer = select(Flag.id).where(
            others, Flag.buyer_id == flag.buyer_id, Flag.year == flag.year
        )
        groups.append(("buyer_year", same_buyer))
    if line is not None:
        lines = select(AwardLine.id).where(
            AwardLine.product_id == line.product_id, AwardLine.id != line.id
        )
        same_product = select(Flag.id).where(others, Flag.line_id.in_(lines))
        groups.append(("product", same_product))
    found = []
    for kind, query in groups:
        ids = list(session.scalars(query.order_by(Flag.id.desc()).limit(RELATED_LIMIT)))
        if ids:
            found.append(RelatedGroup(kind, flag_rows_by_id(session, ids)))
    return found
