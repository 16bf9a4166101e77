"""Who buys, who sells and who makes: deduplicated by a folded name key."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procurement.models.base import Base


class Buyer(Base):
    """A procuring entity: hospital, health department, CDC, the national centre."""

    __tablename__ = "buyer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500), unique=True)
    province: Mapped[str | None] = mapped_column(String(200))
    province_code: Mapped[str | None] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(20), default="unknown", index=True)


class Supplier(Base):
    """A winning bidder (distributor or manufacturer)."""

    __tablename__ = "supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500), unique=True)


class Manufacturer(Base):
    """A manufacturing site's owner and the country it makes in."""

    __tablename__ = "manufacturer"
    __table_args__ = (UniqueConstraint("name_key", "country", name="uq_manufacturer_name_country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(100), index=True)
    country_text: Mapped[str | None] = mapped_column(String(500))
