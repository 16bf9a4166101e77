"""Reference prices and the versioned reference lists (domestic-only, centralized, negotiation)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Double, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procurement.models.base import Base


class DrugItemColumns:
    """The identity columns shared by every reference row (mixin, not a table)."""

    active_ingredients: Mapped[str | None] = mapped_column(String(1000))
    strength_text: Mapped[str | None] = mapped_column(String(300))
    strength_key: Mapped[str | None] = mapped_column(String(200))
    dosage_form_text: Mapped[str | None] = mapped_column(String(300))
    dosage_form: Mapped[str | None] = mapped_column(String(60))
    identity_key: Mapped[str] = mapped_column(String(1200), index=True)
    unit: Mapped[str | None] = mapped_column(String(60))
    source_row: Mapped[int] = mapped_column(Integer)


class ReferencePrice(DrugItemColumns, Base):
    """A price an award is compared with (national negotiated, centralized, international)."""

    __tablename__ = "reference_price"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(
        ForeignKey("source_file.id", ondelete="CASCADE"), index=True
    )
    registration_number: Mapped[str | None] = mapped_column(String(100), index=True)
    price: Mapped[float] = mapped_column(Double)
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    standard_unit_price: Mapped[float | None] = mapped_column(Double)
    standard_unit: Mapped[str | None] = mapped_column(String(40))
    price_source: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class ReferenceList(Base):
    """One version of a legal list, in force from its effective date."""

    __tablename__ = "reference_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(
        ForeignKey("source_file.id", ondelete="CASCADE"), index=True
    )
    list_type: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str | None] = mapped_column(String(1000))
    legal_basis: Mapped[str | None] = mapped_column(String(500))
    effective_date: Mapped[date] = mapped_column(Date)

    items: Mapped[list[ReferenceListItem]] = relationship(
        back_populates="reference_list", cascade="all, delete-orphan", passive_deletes=True
    )


class ReferenceListItem(DrugItemColumns, Base):
    """An item of a list: active ingredient, strength, form and technical group."""

    __tablename__ = "reference_list_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("reference_list.id", ondelete="CASCADE"), index=True
    )
    route: Mapped[str | None] = mapped_column(String(40))
    drug_group: Mapped[str | None] = mapped_column(String(40))

    reference_list: Mapped[ReferenceList] = relationship(back_populates="items")
