"""Stock reports: what each facility held, received and used of each item, per period.

A stock report row is one facility, one item and one period (a month, or M months), optionally
one lot. Items are matched to drug identities (by registration number, else by ingredient,
strength and form) so that two files naming one medicine differently feed one stock series; an
item that matches no identity is kept under the file's own product code or name, reported as
unmatched, and still checked by every stock rule.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Double, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from procurement.models.base import Base

MATCHED_BY_REGISTRATION, MATCHED_BY_IDENTITY = "registration", "identity"


class StockItem(Base):
    """An item as stock reports name it; `item_key` is its identity when matched, else its code.

    Keyed by identity, two brands of one medicine are one series at a facility: substitutable
    stock is what decides whether patients go without.
    """

    __tablename__ = "stock_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(String(1300), unique=True)
    product_code: Mapped[str | None] = mapped_column(String(200))
    product_name: Mapped[str | None] = mapped_column(String(1000))
    registration_number: Mapped[str | None] = mapped_column(String(100))
    identity_key: Mapped[str | None] = mapped_column(String(1200), index=True)  # None: unmatched
    matched_by: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20))  # vaccine | medicine: the pack's categories
    unit: Mapped[str | None] = mapped_column(String(60))


class StockReport(Base):
    """One facility's balance of one item for one period (and lot, when the report lists lots)."""

    __tablename__ = "stock_report"
    __table_args__ = (Index("ix_stock_report_series", "buyer_id", "stock_item_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(
        ForeignKey("source_file.id", ondelete="CASCADE"), index=True
    )
    source_sheet: Mapped[str | None] = mapped_column(String(200))
    source_row: Mapped[int] = mapped_column(Integer)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer.id"))  # the facility
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_item.id"), index=True)
    period: Mapped[date] = mapped_column(Date, index=True)  # the first day of the period
    months: Mapped[int] = mapped_column(Integer, default=1)  # M in DESIGN.md's formulas
    opening: Mapped[float | None] = mapped_column(Double)
    received: Mapped[float | None] = mapped_column(Double)
    issued: Mapped[float | None] = mapped_column(Double)  # issued or consumed: C
    losses: Mapped[float | None] = mapped_column(Double)  # subtracted, as written positive
    adjustments: Mapped[float | None] = mapped_column(Double)  # signed
    closing: Mapped[float] = mapped_column(Double)
    stockout_days: Mapped[float | None] = mapped_column(Double)  # X
    amc_reported: Mapped[float | None] = mapped_column(Double)
    on_order: Mapped[float | None] = mapped_column(Double)
    lot_number: Mapped[str | None] = mapped_column(String(100))
    expiry_date: Mapped[date | None] = mapped_column(Date)
