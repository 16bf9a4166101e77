"""A product as registered and its normalized drug identity, origin and the reason for it."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from procurement.models.base import Base


class Product(Base):
    """A medicine or vaccine product. identity_key groups the peers that price rules compare."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_key: Mapped[str] = mapped_column(String(64), unique=True)
    registration_number: Mapped[str | None] = mapped_column(String(100), index=True)
    name: Mapped[str | None] = mapped_column(String(500))
    active_ingredients: Mapped[str | None] = mapped_column(String(1000))
    ingredients_key: Mapped[str | None] = mapped_column(String(1000))
    strength_text: Mapped[str | None] = mapped_column(String(300))
    strength_value: Mapped[float | None]
    strength_unit: Mapped[str | None] = mapped_column(String(40))
    strength_key: Mapped[str | None] = mapped_column(String(200))
    dosage_form_text: Mapped[str | None] = mapped_column(String(300))
    dosage_form: Mapped[str | None] = mapped_column(String(60))
    route_text: Mapped[str | None] = mapped_column(String(200))
    route: Mapped[str | None] = mapped_column(String(40))
    packaging: Mapped[str | None] = mapped_column(String(500))
    units_per_pack: Mapped[int | None] = mapped_column(Integer)
    drug_group: Mapped[str | None] = mapped_column(String(40))
    manufacturer_id: Mapped[int | None] = mapped_column(ForeignKey("manufacturer.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20), default="unknown", index=True)
    origin_reason: Mapped[str] = mapped_column(String(60))
    origin_conflict: Mapped[str | None] = mapped_column(String(60))
    identity_key: Mapped[str] = mapped_column(String(1200), index=True)
