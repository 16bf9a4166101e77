"""Headline figures of the database: what the demo prints and the dashboard will show."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from procurement.domestic import counted_categories, domestic_shares, product_category
from procurement.models import AwardLine, Buyer, Product, SourceFile, Supplier
from procurement.services.domestic_share import share_lines_query


def database_summary(session: Session, targets: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Count lines, parties and identities, and split award value by origin.

    The domestic share is counted as `procurement shares` counts it (procurement.domestic):
    only the categories the targets name (default: medicine, as for a pack naming none) and
    only lines of known origin, so the headline and the share report never disagree. The
    caller passes the pack's targets; this package reads no rule pack itself.
    """
    count = lambda column: session.scalar(select(func.count(distinct(column)))) or 0  # noqa: E731
    by_origin = dict(
        session.execute(
            select(Product.origin, func.sum(AwardLine.amount))
            .join(Product, AwardLine.product_id == Product.id)
            .group_by(Product.origin)
        ).all()
    )
    total = sum(v or 0 for v in by_origin.values())
    categories = counted_categories(targets or {})
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
        "domestic_share_value": _domestic_share(session, categories),
        "domestic_share_categories": list(categories),
        "years": sorted(
            {d.year for d in session.scalars(select(AwardLine.decision_date).distinct()) if d}
        ),
    }


def _domestic_share(session: Session, categories: tuple[str, ...]) -> float | None:
    """Return the domestic share by value over all years: the nation's rows of the share
    report added up, so the same lines count (dated, of a counted category, of known origin);
    None when no such line exists."""
    frame = pd.read_sql(share_lines_query(), session.connection())
    if frame.empty:
        return None
    frame["year"] = pd.to_datetime(frame["decision_date"]).dt.year.astype("Int64")
    frame["category"] = product_category(frame)
    nation = domestic_shares(frame, "nation", categories)
    total = float(nation["total_value"].sum())
    return float(nation["domestic_value"].sum()) / total if total else None
