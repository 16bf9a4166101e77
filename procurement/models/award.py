"""Tenders and the awarded lines that every price, competition and domestic-share rule reads."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Double, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from procurement.models.base import Base


class Tender(Base):
    """A package (gói thầu) and its award decision; key = buyer + code or decision number."""

    __tablename__ = "tender"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_key: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str | None] = mapped_column(String(100), index=True)
    name: Mapped[str | None] = mapped_column(String(1000))
    procedure: Mapped[str | None] = mapped_column(String(40), index=True)
    procedure_text: Mapped[str | None] = mapped_column(String(200))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer.id"), index=True)
    decision_number: Mapped[str | None] = mapped_column(String(200))
    decision_date: Mapped[date | None] = mapped_column(Date, index=True)
    bidder_count: Mapped[int | None] = mapped_column(Integer)


class AwardLine(Base):
    """One awarded item. Buyer, date and identity are repeated here so rules scan one table.

    Indexed for what rules and public pages ask (identity, buyer, supplier, product, decision
    date) and no more: every index costs each imported line, while tender or source-file
    lookups (an export, a withdrawal) are rare enough to scan.
    """

    __tablename__ = "award_line"
    __table_args__ = (
        Index("ix_award_line_identity_date", "identity_key", "decision_date"),
        Index("ix_award_line_buyer_date", "buyer_id", "decision_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_file.id", ondelete="CASCADE"))
    source_sheet: Mapped[str | None] = mapped_column(String(200))
    source_row: Mapped[int] = mapped_column(Integer)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    decision_date: Mapped[date | None] = mapped_column(Date, index=True)
    identity_key: Mapped[str] = mapped_column(String(1200))
    bidder_count: Mapped[int | None] = mapped_column(Integer)  # per lot: portals list it per item
    unit: Mapped[str | None] = mapped_column(String(60))
    quantity: Mapped[float] = mapped_column(Double)
    planned_unit_price: Mapped[float | None] = mapped_column(Double)
    unit_price: Mapped[float] = mapped_column(Double)
    amount: Mapped[float | None] = mapped_column(Double)
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    standard_unit_price: Mapped[float | None] = mapped_column(Double)
    standard_unit: Mapped[str | None] = mapped_column(String(40))
    price_basis: Mapped[str | None] = mapped_column(String(20))
