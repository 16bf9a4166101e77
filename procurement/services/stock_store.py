"""Write stock-report records: a facility's balances of an item for a period.

Facilities are buyers (one table for every health facility, so a hospital's purchases and its
stock meet). Items are matched to a drug identity by registration number (a product already
known under that number), else by ingredient, strength and form when that identity is known
from awards, reference lists or framework agreements; an item that matches nothing is kept
under the file's own product code (or name), reported as unmatched, and checked all the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import exists, select, union_all
from sqlalchemy.orm import Session

from procurement.domestic import VACCINE_WORDS
from procurement.models import (
    FrameworkItem,
    Product,
    ReferenceListItem,
    StockItem,
    StockReport,
)
from procurement.models.stock import MATCHED_BY_IDENTITY, MATCHED_BY_REGISTRATION
from procurement.normalize import item_identity
from procurement.services.record_store import Record, RecordStore
from procurement.textkey import fold_key

_REPORT_COLUMNS = (
    "source_file_id", "source_sheet", "source_row", "buyer_id", "stock_item_id", "period",
    "months", "opening", "received", "issued", "losses", "adjustments", "closing",
    "stockout_days", "amc_reported", "on_order", "lot_number", "expiry_date",
)  # fmt: skip
_NUMBERS = ("opening", "received", "issued", "losses", "adjustments", "closing", "stockout_days")


class StockStore(RecordStore):
    """A RecordStore that also writes stock items and stock report rows."""

    def stock_reports(self, records: Iterable[Record]) -> int:
        """Insert the stock report rows of a chunk; return how many."""
        rows = [self._report_row(record) for record in records]
        self._insert(StockReport, _REPORT_COLUMNS, rows)
        return len(rows)

    def _report_row(self, record: Record) -> tuple[Any, ...]:
        period: date = record["period"]
        values = {
            "source_file_id": self.source_file_id,
            "source_sheet": record.get("_sheet"),
            "source_row": record["_row"],
            "buyer_id": self.buyer(
                {"buyer": record["facility"], "province": record.get("province")}
            ),
            "stock_item_id": self.stock_item(record),
            "period": self._date(period.replace(day=1)),
            "months": int(record.get("period_months") or 1),
            **{name: _number(record.get(name)) for name in _NUMBERS},
            "amc_reported": _number(record.get("amc")),
            "on_order": _number(record.get("on_order")),
            "lot_number": record.get("lot_number"),
            "expiry_date": self._date(record.get("expiry_date")),
        }
        return tuple(values[name] for name in _REPORT_COLUMNS)

    def facility(self, record: Record) -> int:
        """Return the facility's id: a buyer, so its purchases and its stock meet."""
        return self.buyer({"buyer": record["facility"], "province": record.get("province")})

    def stock_item(self, record: Record) -> int:
        """Return the item's id, matching it to an identity once per distinct item text."""
        texts = ("product_code", "product_name", "active_ingredient", "strength", "dosage_form",
                 "route_form", "registration_number", "category", "unit")  # fmt: skip
        key = ("stock_item", *map(record.get, texts))
        return self._remembered(key, lambda: self._stock_item(record))

    def _stock_item(self, record: Record) -> int:
        code, name = record.get("product_code"), record.get("product_name")
        registration = record.get("registration_number")
        identity, matched_by = self._registered_identity(registration), MATCHED_BY_REGISTRATION
        if identity is None:
            form = record.get("dosage_form") or record.get("route_form")
            ingredient = record.get("active_ingredient") or name
            found = item_identity(ingredient, record.get("strength"), form)["identity_key"]
            identity, matched_by = (
                (found, MATCHED_BY_IDENTITY) if self._known(found) else (None, None)
            )
        if identity is not None:
            item_key = f"identity:{identity}"
        elif code:
            item_key = f"code:{fold_key(str(code))}"
        else:
            item_key = f"name:{fold_key(str(name or record.get('active_ingredient')))}"
        values = {
            "product_code": code,
            "product_name": name or record.get("active_ingredient"),
            "registration_number": registration,
            "identity_key": identity,
            "matched_by": matched_by,
            "category": record.get("category") or _category(record),
            "unit": record.get("unit"),
        }
        return self._get_or_create(StockItem, {"item_key": item_key[:1300]}, values)

    def _registered_identity(self, registration: str | None) -> str | None:
        if not registration:
            return None
        query = select(Product.identity_key).where(
            Product.registration_number == registration.strip()
        )
        return self.session.connection().execute(query.limit(1)).scalar()

    def _known(self, identity_key: str | None) -> bool:
        """Tell whether an identity is known from awards, reference lists or agreements."""
        if not identity_key or identity_key.startswith("?|"):  # no ingredient: nothing to match
            return False
        tables = (Product.identity_key, ReferenceListItem.identity_key, FrameworkItem.identity_key)
        known = union_all(*(select(column).where(column == identity_key) for column in tables))
        return bool(self.session.connection().execute(select(exists(known.subquery()))).scalar())


def _category(record: Record) -> str:
    """Vaccines by QLVX registration or by name, as award lines are told apart."""
    registration = (record.get("registration_number") or "").upper()
    text = fold_key(
        " ".join(str(record.get(k) or "") for k in ("product_name", "active_ingredient"))
    )
    if registration.startswith("QLVX") or any(word in text for word in VACCINE_WORDS):
        return "vaccine"
    return "medicine"


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def unmatched_items(session: Session, source_file_id: int) -> list[tuple[str | None, str | None]]:
    """Return the (code, name) of a stock file's items that matched no drug identity."""
    query = (
        select(StockItem.id, StockItem.product_code, StockItem.product_name)
        .distinct()
        .join(StockReport, StockReport.stock_item_id == StockItem.id)
        .where(StockReport.source_file_id == source_file_id, StockItem.identity_key.is_(None))
        .order_by(StockItem.product_code, StockItem.product_name)
    )
    return [(code, name) for _, code, name in session.execute(query)]
