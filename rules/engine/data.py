"""The frames every rule reads, loaded from the database once per run.

Rules are pure functions of these frames; they do no I/O. Award lines come with their buyer,
tender, product and supplier columns already joined, so a rule is a few vectorized operations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

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
    StockItem,
    StockReport,
    Supplier,
    Tender,
)

# The stock rules' calendar: a facility's "today" is Vietnam's, whatever the server's zone.
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
STOCK_COLUMNS = (
    StockReport.id.label("report_id"),
    StockReport.source_file_id,
    StockReport.source_sheet,
    StockReport.source_row,
    StockReport.buyer_id,
    StockReport.stock_item_id,
    StockReport.period,
    StockReport.months,
    StockReport.opening,
    StockReport.received,
    StockReport.issued,
    StockReport.losses,
    StockReport.adjustments,
    StockReport.closing,
    StockReport.stockout_days,
    StockReport.amc_reported,
    StockReport.on_order,
    StockReport.lot_number,
    StockReport.expiry_date,
)
STOCK_ITEM_COLUMNS = (
    StockItem.id.label("stock_item_id"),
    StockItem.item_key,
    StockItem.product_code,
    StockItem.product_name,
    StockItem.registration_number,
    StockItem.identity_key,
    StockItem.matched_by,
    StockItem.category,
    StockItem.unit,
)
STOCK_NUMBERS = (
    "opening", "received", "issued", "losses", "adjustments", "closing", "stockout_days",
    "amc_reported", "on_order",
)  # fmt: skip
STOCK_COLUMN_NAMES = (
    *(column.name for column in STOCK_COLUMNS),
    "source_file",
    "facility",
    "province",
    "province_code",
    *(column.name for column in STOCK_ITEM_COLUMNS[1:]),
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
    Manufacturer.id.label("manufacturer_id"),
    Manufacturer.name.label("manufacturer"),
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
    stock: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per stock report row
    # The day the check is for: stock rules project from it, STK-06 prorates delivery up to it.
    as_of: date = field(default_factory=lambda: today())
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


def today() -> date:
    """Return today's date in Vietnam."""
    return datetime.now(TIMEZONE).date()


def load_rule_data(
    session: Session,
    where: Any = None,
    tables: Iterable[str] | None = None,
    as_of: date | None = None,
) -> RuleData:
    """Load the award lines (all, or those matching `where`) and the reference data, or only
    the `tables` the rules to run read (the others are left empty)."""
    wanted = set(tables) if tables is not None else {
        "awards", "reference_prices", "reference_items", "frameworks", "stock",
    }  # fmt: skip
    data = RuleData(awards=load_awards(session, where) if "awards" in wanted else _no_awards())
    if "reference_prices" in wanted:
        data.reference_prices = pd.read_sql(select(ReferencePrice), session.connection())
    if "reference_items" in wanted:
        data.reference_items = pd.read_sql(
            select(ReferenceListItem, ReferenceList.list_type, ReferenceList.effective_date).join(
                ReferenceList, ReferenceListItem.list_id == ReferenceList.id
            ),
            session.connection(),
        )
    if "frameworks" in wanted:
        data.frameworks = load_frameworks(session)
    if "stock" in wanted:
        data.stock = load_stock(session)
    if as_of is not None:
        data.as_of = as_of
    return data


def _no_awards() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in AWARD_COLUMN_NAMES})


def load_stock(session: Session) -> pd.DataFrame:
    """Load every stock report row of imported files with its facility and item columns.

    Read like award lines: the big table alone through the driver's cursor, the small ones
    (files, facilities, items) joined in pandas. Periods and expiry dates come as datetimes.
    """
    query = select(*STOCK_COLUMNS).where(
        StockReport.source_file_id.in_(select(SourceFile.id).where(SourceFile.status == "imported"))
    )
    frame = _fetch(session, query)
    dimensions = (
        select(SourceFile.id.label("source_file_id"), SourceFile.name.label("source_file")),
        select(
            Buyer.id.label("buyer_id"),
            Buyer.name.label("facility"),
            Buyer.province,
            Buyer.province_code,
        ),
        select(*STOCK_ITEM_COLUMNS),
    )
    for dimension in dimensions:
        table = _fetch(session, dimension)
        frame = frame.merge(table, on=table.columns[0], how="left")
    for name in STOCK_NUMBERS:
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    frame["months"] = pd.to_numeric(frame["months"]).astype(int)
    for name in ("period", "expiry_date"):
        frame[name] = pd.to_datetime(frame[name], format="ISO8601")
    return frame[list(STOCK_COLUMN_NAMES)]


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
            FrameworkItem.reported_on,
        )
        .join(FrameworkAgreement, FrameworkItem.agreement_id == FrameworkAgreement.id)
        .join(SourceFile, FrameworkAgreement.source_file_id == SourceFile.id)
        .outerjoin(Supplier, FrameworkAgreement.supplier_id == Supplier.id)
        .outerjoin(holder, FrameworkAgreement.buyer_id == holder.id)
        .outerjoin(facility, FrameworkItem.buyer_id == facility.id)
        .where(SourceFile.status == "imported")
    )
    frame = pd.read_sql(query, session.connection())
    for column in ("valid_from", "valid_to", "reported_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame
