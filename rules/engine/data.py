"""The frames every rule reads, loaded from the database once per run.

Rules are pure functions of these frames; they do no I/O. Award lines come with their buyer,
tender, product and supplier columns already joined, so a rule is a few vectorized operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from procurement.domestic import product_category
from procurement.models import (
    AwardLine,
    Buyer,
    FrameworkAgreement,
    FrameworkItem,
    Manufacturer,
    Product,
    ReferenceList,
    ReferenceListItem,
    ReferencePrice,
    SourceFile,
    Supplier,
    Tender,
)

# A line's own columns, read from award_line alone; the columns of its tender, buyer, product
# and supplier are joined in pandas from those small tables (DIMENSIONS).
LINE_COLUMNS = (
    AwardLine.id.label("line_id"),
    AwardLine.source_file_id,
    AwardLine.source_sheet,
    AwardLine.source_row,
    AwardLine.tender_id,
    AwardLine.bidder_count,
    AwardLine.buyer_id,
    AwardLine.supplier_id,
    AwardLine.product_id,
    AwardLine.identity_key,
    AwardLine.decision_date,
    AwardLine.unit,
    AwardLine.standard_unit,
    AwardLine.quantity,
    AwardLine.planned_unit_price,
    AwardLine.unit_price,
    AwardLine.amount,
    AwardLine.currency,
    AwardLine.standard_unit_price,
)
# The columns comparisons read: what an incremental check loads for the lines it only compares
# with (hundreds of thousands, against a few thousand judged).
PEER_COLUMNS = frozenset({
    "line_id", "source_file_id", "source_sheet", "source_row", "tender_id", "buyer_id",
    "supplier_id", "product_id", "identity_key", "decision_date", "standard_unit", "currency",
    "standard_unit_price",
})  # fmt: skip
PEER_PRODUCT_COLUMNS = ("product_name", "registration_number", "drug_group", "origin", "category")
DIMENSIONS = {
    "source_file_id": (SourceFile.id, SourceFile.name.label("source_file")),
    "tender_id": (
        Tender.id,
        Tender.code.label("tender_code"),
        Tender.procedure,
        Tender.decision_number,
    ),
    "buyer_id": (
        Buyer.id,
        Buyer.name.label("buyer"),
        Buyer.province,
        Buyer.province_code,
        Buyer.level.label("buyer_level"),
    ),
    "supplier_id": (Supplier.id, Supplier.name.label("supplier")),
}
PRODUCT_COLUMNS = (
    Product.id,
    Product.name.label("product_name"),
    Product.registration_number,
    Product.active_ingredients,
    Product.ingredients_key,
    Product.strength_key,
    Product.dosage_form,
    Product.drug_group,
    Product.origin,
    Manufacturer.country,
)
AWARD_COLUMN_NAMES = (
    *(column.name for column in LINE_COLUMNS),
    *(column.name for columns in DIMENSIONS.values() for column in columns[1:]),
    *(column.name for column in PRODUCT_COLUMNS[1:]),
    "year",
    "category",
)


@dataclass
class RuleData:
    """Everything a rule may read. Frames are never modified by rules."""

    awards: pd.DataFrame
    reference_prices: pd.DataFrame = field(default_factory=pd.DataFrame)
    reference_items: pd.DataFrame = field(default_factory=pd.DataFrame)
    frameworks: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per agreement item
    # Which award lines the run judges; the others are only peers (an incremental check loads
    # them to compare with). None: every line is judged, as in a full run.
    judged: pd.Series | None = None

    def judged_lines(self) -> pd.Series:
        """Return, per award line, whether this run decides its findings and counts."""
        if self.judged is None:
            return pd.Series(True, index=self.awards.index)
        return self.judged


def load_awards(session: Session, where: Any = None, peers_only: bool = False) -> pd.DataFrame:
    """Load imported award lines (all, or those matching `where`) with their tender, buyer,
    product and supplier columns, a year and a product category.

    Lines are read from award_line alone through the driver's cursor (no per-row result
    processing, no per-row join), and the other tables, small beside it, are joined in pandas.
    With `peers_only` a line carries only the columns comparisons read (PEER_COLUMNS, with the
    product's and the buyer's and file's names); the others are missing.
    """
    columns = [c for c in LINE_COLUMNS if not peers_only or c.name in PEER_COLUMNS]
    query = select(*columns).where(
        AwardLine.source_file_id.in_(select(SourceFile.id).where(SourceFile.status == "imported"))
    )
    frame = _fetch(session, query if where is None else query.where(where))
    for key, (id_column, *named) in DIMENSIONS.items():
        if peers_only:
            named = [c for c in named if c.name in ("source_file", "buyer")]
        if key in frame and named:
            table = _fetch(session, select(id_column.label(key), *named))
            frame = frame.merge(table, on=key, how="left")
    products = _fetch(
        session,
        select(PRODUCT_COLUMNS[0].label("product_id"), *PRODUCT_COLUMNS[1:]).outerjoin(
            Manufacturer, Product.manufacturer_id == Manufacturer.id
        ),
    )
    products["category"] = product_category(products)
    if peers_only:
        products = products[["product_id", *PEER_PRODUCT_COLUMNS]]
    frame = frame.merge(products, on="product_id", how="left")
    for name in ("quantity", "planned_unit_price", "unit_price", "amount", "standard_unit_price"):
        if name in frame:
            frame[name] = pd.to_numeric(frame[name]).astype(float)
    frame["decision_date"] = pd.to_datetime(frame["decision_date"], format="ISO8601")
    frame["year"] = frame["decision_date"].dt.year.astype("Int64")
    order = [name for name in AWARD_COLUMN_NAMES if name in frame]
    return frame[order]


def load_rule_data(session: Session, where: Any = None) -> RuleData:
    """Load the award lines (all, or those matching `where`) and the reference data."""
    prices = pd.read_sql(select(ReferencePrice), session.connection())
    items = pd.read_sql(
        select(ReferenceListItem, ReferenceList.list_type, ReferenceList.effective_date).join(
            ReferenceList, ReferenceListItem.list_id == ReferenceList.id
        ),
        session.connection(),
    )
    return RuleData(
        awards=load_awards(session, where),
        reference_prices=prices,
        reference_items=items,
        frameworks=load_frameworks(session),
    )


def _fetch(session: Session, query: Any) -> pd.DataFrame:
    """Run a select and build its frame from the driver's rows, skipping result processing."""
    result = session.connection().execute(query)
    names = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    return pd.DataFrame.from_records(rows, columns=names)


def load_frameworks(session: Session) -> pd.DataFrame:
    """Load framework-agreement items with their agreement, supplier, holder and facility."""
    holder, facility = aliased(Buyer), aliased(Buyer)
    query = (
        select(
            FrameworkItem.id.label("framework_item_id"),
            FrameworkAgreement.id.label("agreement_id"),
            FrameworkAgreement.agreement_number,
            FrameworkAgreement.source_file_id,
            SourceFile.name.label("source_file"),
            FrameworkItem.source_row,
            FrameworkAgreement.buyer_id.label("holder_id"),
            holder.name.label("holder"),
            FrameworkAgreement.supplier_id,
            Supplier.name.label("supplier"),
            FrameworkAgreement.valid_from,
            FrameworkAgreement.valid_to,
            FrameworkItem.product_name,
            FrameworkItem.registration_number,
            FrameworkItem.active_ingredients,
            FrameworkItem.strength_key,
            FrameworkItem.dosage_form,
            FrameworkItem.drug_group,
            FrameworkItem.identity_key,
            FrameworkItem.unit,
            FrameworkItem.price,
            FrameworkItem.currency,
            FrameworkItem.standard_unit_price,
            FrameworkItem.standard_unit,
            FrameworkItem.buyer_id.label("facility_id"),
            facility.name.label("facility"),
            FrameworkItem.allocated_quantity,
            FrameworkItem.delivered_quantity,
        )
        .join(FrameworkAgreement, FrameworkItem.agreement_id == FrameworkAgreement.id)
        .join(SourceFile, FrameworkAgreement.source_file_id == SourceFile.id)
        .outerjoin(Supplier, FrameworkAgreement.supplier_id == Supplier.id)
        .outerjoin(holder, FrameworkAgreement.buyer_id == holder.id)
        .outerjoin(facility, FrameworkItem.buyer_id == facility.id)
        .where(SourceFile.status == "imported")
    )
    frame = pd.read_sql(query, session.connection())
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column])
    return frame
