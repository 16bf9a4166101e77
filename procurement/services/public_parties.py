"""Public profiles of a buyer, a supplier and a province: spend, partners, shares, flags.

Read-only and actor-free; only imported lines count and only confirmed flags are shown. Sums
are grouped in SQL, and each profile is cached per data version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, extract, func, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Product, SourceFile, Supplier
from procurement.services.public_cache import cached
from procurement.services.public_dashboard import IMPORTED, line_value
from procurement.services.public_shares import ShareRow, of_subject, subset_shares

ORIGINS = ("domestic", "imported", "unknown")
TOP = 10


@dataclass(frozen=True)
class Spend:
    """One year's value and lines of one origin."""

    year: int
    origin: str
    lines: int
    value: float


@dataclass(frozen=True)
class Partner:
    """A supplier of a buyer (or a buyer of a supplier) with the lines and value between them."""

    id: int
    name: str
    lines: int
    value: float


@dataclass(frozen=True)
class Profile:
    """What a buyer's, supplier's or province's page shows."""

    kind: str  # buyer, supplier, province
    key: str
    name: str
    province: str | None
    province_code: str | None
    level: str | None
    spend: list[Spend]
    partners: list[Partner]
    shares: list[ShareRow]

    @property
    def years(self) -> list[int]:
        """Return the years with spend, oldest first."""
        return sorted({s.year for s in self.spend})

    def value(self, year: int, origin: str | None = None) -> float:
        """Return a year's value, of one origin or all."""
        return sum(s.value for s in self.spend if s.year == year and origin in (None, s.origin))

    @property
    def total_value(self) -> float:
        """Return the value of every year."""
        return sum(s.value for s in self.spend)

    @property
    def total_lines(self) -> int:
        """Return the lines of every year."""
        return sum(s.lines for s in self.spend)


def buyer_profile(session: Session, buyer_id: int, targets: Mapping[str, Any]) -> Profile | None:
    """Return a buyer's profile, or None when there is no such buyer."""
    buyer = session.get(Buyer, buyer_id)
    if buyer is None:
        return None

    def compute() -> Profile:
        where = AwardLine.buyer_id == buyer_id
        return Profile(
            "buyer",
            str(buyer_id),
            buyer.name,
            buyer.province,
            buyer.province_code,
            buyer.level,
            _spend(session, where),
            _partners(session, where, "supplier"),
            of_subject(session, targets, "buyer", str(buyer_id)),
        )

    return cached(session, ("buyer", buyer_id, _targets_key(targets)), compute)


def supplier_profile(
    session: Session, supplier_id: int, targets: Mapping[str, Any]
) -> Profile | None:
    """Return a supplier's profile, or None when there is no such supplier."""
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        return None

    def compute() -> Profile:
        where = AwardLine.supplier_id == supplier_id
        shares = subset_shares(session, targets, supplier.name, where)
        return Profile(
            "supplier",
            str(supplier_id),
            supplier.name,
            None,
            None,
            None,
            _spend(session, where),
            _partners(session, where, "buyer"),
            shares,
        )

    return cached(session, ("supplier", supplier_id, _targets_key(targets)), compute)


def province_profile(session: Session, code: str, targets: Mapping[str, Any]) -> Profile | None:
    """Return a province's profile, or None when no buyer is in it."""
    name = session.scalar(select(Buyer.province).where(Buyer.province_code == code).limit(1))
    if name is None:
        return None

    def compute() -> Profile:
        where = AwardLine.buyer_id.in_(select(Buyer.id).where(Buyer.province_code == code))
        return Profile(
            "province",
            code,
            name,
            name,
            code,
            None,
            _spend(session, where),
            _partners(session, where, "buyer"),
            of_subject(session, targets, "province", code),
        )

    return cached(session, ("province", code, _targets_key(targets)), compute)


def _spend(session: Session, where: ColumnElement[bool]) -> list[Spend]:
    year = extract("year", AwardLine.decision_date)
    rows = session.execute(
        select(year, Product.origin, func.count(AwardLine.id), func.sum(line_value()))
        .join(Product, AwardLine.product_id == Product.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .where(where, SourceFile.status == IMPORTED, AwardLine.decision_date.is_not(None))
        .group_by(year, Product.origin)
        .order_by(year, Product.origin)
    )
    return [Spend(int(y), origin, int(n), float(v or 0)) for y, origin, n, v in rows]


def _partners(session: Session, where: ColumnElement[bool], kind: str) -> list[Partner]:
    party = Supplier if kind == "supplier" else Buyer
    column = AwardLine.supplier_id if kind == "supplier" else AwardLine.buyer_id
    value = func.sum(line_value())
    rows = session.execute(
        select(party.id, party.name, func.count(AwardLine.id), value)
        .join(party, column == party.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .where(where, SourceFile.status == IMPORTED)
        .group_by(party.id, party.name)
        .order_by(value.desc(), party.id)
        .limit(TOP)
    )
    return [Partner(int(i), name, int(n), float(v or 0)) for i, name, n, v in rows]


def _targets_key(targets: Mapping[str, Any]) -> str:
    return repr(sorted(targets.items()))


def provinces(session: Session) -> list[tuple[str, str]]:
    """Return every province with a buyer as (code, name), by name."""
    rows = session.execute(
        select(Buyer.province_code, func.min(Buyer.province))
        .where(Buyer.province_code.is_not(None))
        .group_by(Buyer.province_code)
        .order_by(func.min(Buyer.province))
    )
    return [(code, name) for code, name in rows]
