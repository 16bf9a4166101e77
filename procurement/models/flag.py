"""Flags raised by the rules, and their append-only history.

A flag's fingerprint is the rule and the subject, never a database id of a line, so running the
rules twice changes nothing and re-importing a corrected file updates the same flag. The review
status is the auditor's; whether the rule's condition still holds is the engine's (`active`), so
the engine never overwrites a decision.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from procurement.models.base import Base, utcnow

OPEN, CLOSED = "open", "closed"
CONFIRMED, DISMISSED, ESCALATED = "confirmed", "dismissed", "escalated"
DECIDED = frozenset({CONFIRMED, DISMISSED, ESCALATED})


class Flag(Base):
    """One finding of one rule about one subject (a line, tender, buyer-year, ...)."""

    __tablename__ = "flag"
    __table_args__ = (
        Index("ix_flag_rule_status", "rule", "status"),
        Index("ix_flag_status_first_seen", "status", "first_seen"),
        # the review queue's counts and its default page read only these: an index-only scan
        Index("ix_flag_status_severity", "status", "severity", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    rule: Mapped[str] = mapped_column(String(10))
    rule_version: Mapped[int] = mapped_column(Integer)
    family: Mapped[str] = mapped_column(String(10), index=True)
    severity: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_key: Mapped[str] = mapped_column(String(300), index=True)
    line_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_line.id", ondelete="SET NULL"), index=True
    )
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id"), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    observed: Mapped[float | None]
    benchmark: Mapped[float | None]
    test: Mapped[str | None] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message_en: Mapped[str] = mapped_column(Text)
    message_vi: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FlagHistory(Base):
    """An append-only record of what happened to a flag: who, when, from, to and why."""

    __tablename__ = "flag_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flag.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
