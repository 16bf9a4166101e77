"""Framework agreements of centralized purchasing and their items, allocated per facility.

The national (or a provincial) centralized purchasing unit signs an agreement with a supplier for
items of the centralized list, valid for a period (at most 36 months); facilities then order under
it. An item row is one product at one price, optionally allocated to one facility with the
quantity contracted for it and what was delivered so far (STK-06 reads those).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Double, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procurement.models.base import Base
from procurement.models.reference import DrugItemColumns


class FrameworkAgreement(Base):
    """One agreement: its number, supplier, validity and holder (the purchasing centre)."""

    __tablename__ = "framework_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(
        ForeignKey("source_file.id", ondelete="CASCADE"), index=True
    )
    agreement_number: Mapped[str] = mapped_column(String(200), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id"))  # the holder

    items: Mapped[list[FrameworkItem]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", passive_deletes=True
    )


class FrameworkItem(DrugItemColumns, Base):
    """An item of an agreement: identity, product, price, and a facility's allocation."""

    __tablename__ = "framework_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("framework_agreement.id", ondelete="CASCADE"), index=True
    )
    product_name: Mapped[str | None] = mapped_column(String(1000))
    registration_number: Mapped[str | None] = mapped_column(String(100))
    drug_group: Mapped[str | None] = mapped_column(String(40))
    price: Mapped[float] = mapped_column(Double)
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    standard_unit_price: Mapped[float | None] = mapped_column(Double)
    standard_unit: Mapped[str | None] = mapped_column(String(40))
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id"), index=True)  # facility
    allocated_quantity: Mapped[float | None] = mapped_column(Double)
    delivered_quantity: Mapped[float | None] = mapped_column(Double)
    # the day "delivered to date" was counted; STK-06 judges delivery pro rata up to it
    reported_on: Mapped[date | None] = mapped_column(Date)

    agreement: Mapped[FrameworkAgreement] = relationship(back_populates="items")
