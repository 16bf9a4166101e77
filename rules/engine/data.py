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

AWARD_COLUMNS = (
    AwardLine.id.label("line_id"),
    AwardLine.source_file_id,
    SourceFile.name.label("source_file"),
    AwardLine.source_sheet,
    AwardLine.source_row,
    AwardLine.tender_id,
    Tender.code.label("tender_code"),
    Tender.procedure,
    Tender.decision_number,
    AwardLine.bidder_count,
    AwardLine.buyer_id,
    Buyer.name.label("buyer"),
    Buyer.province,
    Buyer.province_code,
    Buyer.level.label("buyer_level"),
    AwardLine.supplier_id,
    Supplier.name.label("supplier"),
    AwardLine.product_id,
    Product.name.label("product_name"),
    Product.registration_number,
    Product.active_ingredients,
    Product.ingredients_key,
    Product.strength_key,
    Product.dosage_form,
    Product.drug_group,
    Product.origin,
    Manufacturer.country,
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


@dataclass
class RuleData:
    """Everything a rule may read. Frames are never modified by rules."""

    awards: pd.DataFrame
    reference_prices: pd.DataFrame = field(default_factory=pd.DataFrame)
    reference_items: pd.DataFrame = field(default_factory=pd.DataFrame)
    frameworks: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per agreement item


def award_query():  # type: ignore[no-untyped-def]
    """Return the select that loads award lines with their joined columns."""
    return (
        select(*AWARD_COLUMNS)
        .join(Tender, AwardLine.tender_id == Tender.id)
        .join(Buyer, AwardLine.buyer_id == Buyer.id)
        .join(Product, AwardLine.product_id == Product.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .outerjoin(Manufacturer, Product.manufacturer_id == Manufacturer.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .where(SourceFile.status == "imported")
    )


def load_awards(session: Session, where: Any = None) -> pd.DataFrame:
    """Load imported award lines (all, or those matching `where`) with dates and a year."""
    query = award_query() if where is None else award_query().where(where)
    frame = pd.read_sql(query, session.connection())
    return _with_dates(frame)


def _with_dates(frame: pd.DataFrame) -> pd.DataFrame:
    frame["decision_date"] = pd.to_datetime(frame["decision_date"])
    frame["year"] = frame["decision_date"].dt.year.astype("Int64")
    frame["category"] = product_category(frame)
    return frame


def product_category(frame: pd.DataFrame) -> pd.Series:
    """Tell vaccines from other medicines: QLVX numbers, or "vắc xin"/"vaccine" in the name."""
    text = frame["active_ingredients"].fillna("") + " " + frame["product_name"].fillna("")
    folded = text.str.lower()
    vaccine = folded.str.contains("vắc xin|vac xin|vaccine|vắc-xin", regex=True) | frame[
        "registration_number"
    ].fillna("").str.upper().str.startswith("QLVX")
    return vaccine.map({True: "vaccine", False: "medicine"})


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
