"""Write framework-agreement records: one agreement per number, supplier, validity and holder.

A file lists an agreement's items, often one row per item and facility; the agreement itself is
created once per distinct (number, supplier, valid from, valid to, holder) in the file, and each
row becomes an item with its identity, price per standard unit and the facility's allocation.
Buyers and suppliers are shared with award lines through RecordStore's lookups.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from procurement.models import FrameworkAgreement, FrameworkItem
from procurement.normalize import item_identity, price_divisor
from procurement.services.record_store import Record, RecordStore
from procurement.textkey import fold_key

_ITEM_COLUMNS = (
    "agreement_id", "source_row", "product_name", "registration_number", "drug_group", "unit",
    "price", "currency", "standard_unit_price", "standard_unit", "buyer_id",
    "allocated_quantity", "delivered_quantity", "active_ingredients", "strength_text",
    "strength_key", "dosage_form_text", "dosage_form", "identity_key", "reported_on",
)  # fmt: skip


class FrameworkStore(RecordStore):
    """A RecordStore that also writes framework agreements and their items."""

    def framework_items(self, records: Iterable[Record]) -> int:
        """Insert agreement items for a chunk of records, creating agreements once; how many."""
        rows = [self._item_row(record) for record in records]
        self._insert(FrameworkItem, _ITEM_COLUMNS, rows)
        return len(rows)

    def _item_row(self, record: Record) -> tuple[Any, ...]:
        price = float(record["price"])
        unit = record.get("unit")
        divisor, base_unit, _ = price_divisor(unit, None)
        facility = record.get("facility")
        facility_id = (
            self.buyer({"buyer": facility, "province": record.get("province")})
            if facility
            else None
        )
        form_text = record.get("dosage_form") or record.get("route_form")
        identity = item_identity(record.get("active_ingredient"), record.get("strength"), form_text)
        values = {
            "agreement_id": self._agreement(record),
            "source_row": record["_row"],
            "product_name": record.get("product_name"),
            "registration_number": record.get("registration_number"),
            "drug_group": record.get("drug_group"),
            "unit": unit,
            "price": price,
            "currency": (record.get("currency") or "VND").upper()[:3],
            "standard_unit_price": price / divisor if divisor else None,
            "standard_unit": base_unit,
            "buyer_id": facility_id,
            "allocated_quantity": _number(record.get("allocated_quantity")),
            "delivered_quantity": _number(record.get("delivered_quantity")),
            "reported_on": self._date(record.get("reported_on")),
            **identity,
        }
        return tuple(values[name] for name in _ITEM_COLUMNS)

    def _agreement(self, record: Record) -> int:
        """Return the agreement's id, inserting it the first time the file names it."""
        holder = record.get("holder")
        key = (
            "framework_agreement",
            fold_key(record["agreement_number"]),
            fold_key(record.get("supplier") or ""),
            record.get("valid_from"),
            record.get("valid_to"),
            fold_key(holder or ""),
        )
        found = self._ids.get(key)
        if found is None:
            values = {
                "source_file_id": self.source_file_id,
                "agreement_number": record["agreement_number"],
                "supplier_id": self.supplier(record.get("supplier")),
                "valid_from": record.get("valid_from"),
                "valid_to": record.get("valid_to"),
                "buyer_id": self.buyer({"buyer": holder}) if holder else None,
            }
            statement = insert(FrameworkAgreement.__table__)
            result = self.session.connection().execute(statement, values)
            found = self._ids[key] = result.inserted_primary_key[0]
        return found


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
