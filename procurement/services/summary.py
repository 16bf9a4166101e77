"""Headline figures of the database: what the demo prints and the dashboard will show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Product, SourceFile, Supplier


def database_summary(session: Session) -> dict[str, Any]:
    """Count lines, parties and identities, and split award value by origin."""
    count = lambda column: session.scalar(select(func.count(distinct(column)))) or 0  # noqa: E731
    by_origin = dict(
        session.execute(
            select(Product.origin, func.sum(AwardLine.amount))
            .join(Product, AwardLine.product_id == Product.id)
            .group_by(Product.origin)
        ).all()
    )
    total = sum(v or 0 for v in by_origin.values())
    return {
        "imports": count(SourceFile.id),
        "award_lines": count(AwardLine.id),
        "buyers": count(Buyer.id),
        "provinces": count(Buyer.province_code),
        "suppliers": count(Supplier.id),
        "products": count(Product.id),
        "identities": count(Product.identity_key),
        "value_total": total,
        "value_by_origin": {k: v or 0 for k, v in by_origin.items()},
        "domestic_share_value": (by_origin.get("domestic") or 0) / total if total else None,
        "years": sorted(
            {d.year for d in session.scalars(select(AwardLine.decision_date).distinct()) if d}
        ),
    }
