"""Domestic share per buyer, province, level or the nation against the pack's targets.

The public pages and `procurement shares` read it; DOM-01 flags from the same computation
(procurement.domestic), so a published share and a flag never disagree. Both count only the
product categories the pack's targets name (default: medicine; vaccines have targets of their
own), so the product name, ingredients and registration number are loaded to tell them apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from procurement.domestic import (
    MEASURES,
    check_targets,
    counted_categories,
    domestic_shares,
    product_category,
    short_of,
    targets_for,
)
from procurement.models import AwardLine, Buyer, Product, SourceFile

SHARE_COLUMNS = (
    AwardLine.buyer_id,
    Buyer.name.label("buyer"),
    Buyer.province,
    Buyer.province_code,
    Buyer.level.label("buyer_level"),
    Product.origin,
    Product.name.label("product_name"),
    Product.active_ingredients,
    Product.registration_number,
    AwardLine.decision_date,
    AwardLine.quantity,
    AwardLine.unit_price,
    AwardLine.amount,
    AwardLine.standard_unit,
    AwardLine.standard_unit_price,
)


def share_lines_query(year: int | None = None) -> Select[Any]:
    """Select the imported award lines' origin, value and quantity, optionally of one year."""
    query = (
        select(*SHARE_COLUMNS)
        .join(Buyer, AwardLine.buyer_id == Buyer.id)
        .join(Product, AwardLine.product_id == Product.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .where(SourceFile.status == "imported")
    )
    if year is not None:
        query = query.where(AwardLine.decision_date.between(date(year, 1, 1), date(year, 12, 31)))
    return query


def shares_report(
    session: Session, by: str, year: int | None, targets: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Return each subject-year's value and quantity shares, its targets and whether it met them.

    `met` is True when every share that has a target reaches it, False when one falls short,
    and None when no share could be compared (no target, no line of known origin, or none of
    a counted category). Lines of categories the targets leave out are in `excluded_lines`
    and `excluded_value`. Raises ValueError, naming the key, for targets that are not shares
    of known levels and measures, or that name an unknown category.
    """
    return shares_of_frame(share_frame(session, share_lines_query(year)), by, targets)


def share_frame(session: Session, query: Select[Any]) -> pd.DataFrame:
    """Read the lines of a `share_lines_query` (perhaps narrowed) with their year and category."""
    frame = pd.read_sql(query, session.connection())
    frame["decision_date"] = pd.to_datetime(frame["decision_date"])
    frame["year"] = frame["decision_date"].dt.year.astype("Int64")
    frame["category"] = product_category(frame)
    return frame


def shares_of_frame(
    frame: pd.DataFrame, by: str, targets: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Return `shares_report`'s rows for lines already read by `share_frame`."""
    check_targets(targets)
    categories = counted_categories(targets)
    rows = []
    for row in domestic_shares(frame, by, categories).to_dict("records"):
        value_target, quantity_target = targets_for(targets, row["level"])
        checked, short = short_of(row, value_target, quantity_target)
        rows.append(
            {
                **{k: _plain(v) for k, v in row.items()},
                "value_target": value_target,
                "quantity_target": quantity_target,
                **{f"{m}_met": (m not in short) if m in checked else None for m in MEASURES},
                "met": (not short) if checked else None,
            }
        )
    return rows


def _plain(value: Any) -> Any:
    """Turn NaN into None so the rows serialize as JSON and read plainly in templates."""
    return None if isinstance(value, float) and value != value else value
