"""Write canonical records into the database, inside the caller's one transaction per file.

Records arrive in chunks of plain dicts (canonical field names). Buyers, suppliers, manufacturers,
products and tenders are looked up once per distinct key and cached for the file, so a chunk
becomes a single multi-row INSERT of award lines. The caller commits once, so a file is all in or
all out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from procurement.buyers import buyer_level, clean_province, province_from_name
from procurement.models import (
    AwardLine,
    Buyer,
    Manufacturer,
    Product,
    ReferenceList,
    ReferenceListItem,
    ReferencePrice,
    Supplier,
    Tender,
)
from procurement.normalize import ProductText, canonical_country, item_identity, price_divisor
from procurement.normalize import product_facts as describe
from procurement.procedures import canonical_procedure
from procurement.textkey import fold_key

Record = Mapping[str, Any]
_PRODUCT_COLUMNS = (
    "registration_number", "product_name", "active_ingredient", "strength", "dosage_form",
    "route", "route_form", "packaging", "drug_group", "manufacturer", "country",
)  # fmt: skip
_LINE_KEY_COLUMNS = (
    "buyer", "province", "buyer_level", "supplier", *_PRODUCT_COLUMNS, "tender_code",
    "decision_number", "decision_date", "tender_name", "procedure", "bidder_count",
)  # fmt: skip
_AWARD_COLUMNS = (
    "source_file_id", "source_sheet", "source_row", "tender_id", "buyer_id", "product_id",
    "supplier_id", "decision_date", "identity_key", "bidder_count", "unit", "quantity",
    "planned_unit_price",
    "unit_price", "amount", "currency", "standard_unit_price", "standard_unit", "price_basis",
)  # fmt: skip
_TENDER_COLUMNS = (
    "tender_code",
    "decision_number",
    "decision_date",
    "tender_name",
    "procedure",
    "bidder_count",
)


def _hash(*parts: object) -> str:
    text = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class RecordStore:
    """Writes one file's records; caches the rows it looked up or created."""

    def __init__(self, session: Session, source_file_id: int) -> None:
        self.session = session
        self.source_file_id = source_file_id
        self._ids: dict[tuple[object, ...], int] = {}
        self._by_raw: dict[tuple[object, ...], Any] = {}  # raw cell texts -> looked-up ids
        self._iso_dates = session.get_bind().dialect.name == "sqlite"

    def _get_or_create(self, model: type, match: dict[str, Any], values: dict[str, Any]) -> int:
        """Return the id of the row matching `match`, inserting it with `values` if missing.

        Core statements, not ORM objects: a file creates hundreds of products, and an ORM
        flush per new row cost more than the lines themselves.
        """
        cache_key = (model.__tablename__, *match.values())
        found = self._ids.get(cache_key)
        if found is None:
            connection = self.session.connection()
            present = {name: value for name, value in match.items() if value is not None}
            nulls = tuple(name for name in match if name not in present)
            lookup, create = _statements(model.__table__, tuple(present), nulls)
            found = connection.execute(lookup, present).scalar()
            if found is None:
                found = connection.execute(create, {**match, **values}).inserted_primary_key[0]
            self._ids[cache_key] = found
        return found

    def _remembered(self, key: tuple[object, ...], make: Any) -> Any:
        """Look up a row once per distinct raw key: most lines repeat a few hundred values."""
        try:
            return self._by_raw[key]
        except KeyError:
            value = self._by_raw[key] = make()
            return value

    def buyer(self, record: Record) -> int:
        """Return the buyer's id, creating it with its province and level."""
        key = ("buyer", record["buyer"], record.get("province"), record.get("buyer_level"))
        return self._remembered(key, lambda: self._buyer(record))

    def _buyer(self, record: Record) -> int:
        name = record["buyer"]
        province, code = clean_province(record.get("province") or province_from_name(name))
        values = {
            "name": name,
            "province": province,
            "province_code": code,
            "level": buyer_level(name, record.get("buyer_level")),
        }
        buyer_id = self._get_or_create(Buyer, {"name_key": fold_key(name)}, values)
        if province is not None:  # a file naming the buyer without its province came first
            self.session.connection().execute(
                update(Buyer)
                .where(Buyer.id == buyer_id, Buyer.province.is_(None))
                .values(province=province, province_code=code)
            )
        return buyer_id

    def supplier(self, name: str | None) -> int | None:
        """Return the supplier's id, or None when the line names none."""
        if not name:
            return None
        return self._remembered(
            ("supplier", name),
            lambda: self._get_or_create(Supplier, {"name_key": fold_key(name)}, {"name": name}),
        )

    def manufacturer(self, name: str | None, country_text: str | None) -> int | None:
        """Return the manufacturer's id (one per name and country)."""
        if not name:
            return None
        country = canonical_country(country_text)
        match = {"name_key": fold_key(name), "country": country}
        return self._get_or_create(
            Manufacturer, match, {"name": name, "country_text": country_text}
        )

    def product(self, record: Record) -> tuple[int, dict[str, object]]:
        """Return the product's id and its normalized facts."""
        key = ("product", *map(record.get, _PRODUCT_COLUMNS))
        return self._remembered(key, lambda: self._product(record))

    def _product(self, record: Record) -> tuple[int, dict[str, object]]:
        text = ProductText(
            registration_number=record.get("registration_number"),
            name=record.get("product_name"),
            active_ingredient=record.get("active_ingredient"),
            strength=record.get("strength"),
            dosage_form=record.get("dosage_form"),
            route=record.get("route"),
            route_form=record.get("route_form"),
            packaging=record.get("packaging"),
            drug_group=record.get("drug_group"),
            manufacturer=record.get("manufacturer"),
            country=record.get("country"),
        )
        facts = describe(text)
        values = {k: v for k, v in facts.items() if k != "product_key"}
        values["manufacturer_id"] = self.manufacturer(text.manufacturer, text.country)
        return self._get_or_create(Product, {"product_key": facts["product_key"]}, values), facts

    def tender(self, record: Record, buyer_id: int) -> int:
        """Return the tender's id: one per buyer and tender code or decision."""
        key = ("tender", buyer_id, *map(record.get, _TENDER_COLUMNS))
        return self._remembered(key, lambda: self._tender(record, buyer_id))

    def _tender(self, record: Record, buyer_id: int) -> int:
        code, number = record.get("tender_code"), record.get("decision_number")
        decided: date | None = record.get("decision_date")
        key = _hash(buyer_id, fold_key(code or ""), fold_key(number or ""), decided)
        procedure_text = record.get("procedure")
        values = {
            "code": code,
            "name": record.get("tender_name"),
            "procedure": canonical_procedure(procedure_text),
            "procedure_text": procedure_text,
            "buyer_id": buyer_id,
            "decision_number": number,
            "decision_date": decided,
            "bidder_count": record.get("bidder_count"),
        }
        return self._get_or_create(Tender, {"tender_key": key}, values)

    def awards(self, records: Iterable[Record]) -> int:
        """Insert award lines for a chunk of records; return how many."""
        rows = [self._award_row(record) for record in records]
        self._insert(AwardLine, _AWARD_COLUMNS, rows)
        return len(rows)

    def _insert(self, model: type, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Insert a chunk with one driver-level executemany.

        This is the hot path of a 200,000-line import: SQLAlchemy's per-row parameter
        processing cost as much as SQLite's own work, so the rows go to the driver as tuples.
        """
        if not rows:
            return
        connection = self.session.connection()
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO {quote(model.__tablename__)} ({', '.join(map(quote, columns))}) "
            f"VALUES ({', '.join([mark] * len(columns))})"
        )
        connection.exec_driver_sql(sql, rows)

    def _date(self, value: date | None) -> date | str | None:
        """Bind a date as the dialect stores it (ISO text on SQLite, as SQLAlchemy's Date does)."""
        return value.isoformat() if value is not None and self._iso_dates else value

    def _line_keys(self, record: Record) -> tuple[Any, ...]:
        """Return tender, buyer, product and supplier ids, the identity and the date, once per
        distinct combination of the texts they come from."""
        key = tuple(map(record.get, _LINE_KEY_COLUMNS))
        found = self._by_raw.get(key)
        if found is None:
            buyer_id = self.buyer(record)
            product_id, facts = self.product(record)
            found = self._by_raw[key] = (
                self.tender(record, buyer_id),
                buyer_id,
                product_id,
                self.supplier(record.get("supplier")),
                self._date(record.get("decision_date")),
                facts["identity_key"],
            )
        return found

    def _award_row(self, record: Record) -> tuple[Any, ...]:
        price, quantity = float(record["unit_price"]), float(record["quantity"])
        unit, amount = record.get("unit"), record.get("amount")
        divisor, base_unit, basis = price_divisor(unit, record.get("packaging"))
        return (
            self.source_file_id,
            record.get("_sheet"),
            record["_row"],
            *self._line_keys(record),
            record.get("bidder_count"),
            unit,
            quantity,
            record.get("planned_unit_price"),
            price,
            float(amount) if amount is not None else price * quantity,
            _currency(record.get("currency")),
            price / divisor if divisor else None,
            base_unit,
            basis,
        )

    def reference_prices(self, records: Iterable[Record]) -> int:
        """Insert reference prices for a chunk of records; return how many."""
        rows = []
        for record in records:
            price = float(record["price"])
            divisor, base_unit, _ = price_divisor(record.get("unit"), None)
            row = {
                "source_file_id": self.source_file_id,
                "source_row": record["_row"],
                "registration_number": record.get("registration_number"),
                "unit": record.get("unit"),
                "price": price,
                "currency": _currency(record.get("currency")),
                "standard_unit_price": price / divisor if divisor else None,
                "standard_unit": base_unit,
                "price_source": record.get("price_source"),
                "valid_from": self._date(record.get("valid_from")),
                "valid_to": self._date(record.get("valid_to")),
                **_item_identity(record),
            }
            rows.append(row)
        if rows:
            self._insert(ReferencePrice, list(row), [tuple(r.values()) for r in rows])
        return len(rows)

    def reference_list_items(self, records: Iterable[Record]) -> int:
        """Insert list items, creating each (list type, effective date) version once per file."""
        rows = [
            {
                "list_id": self._reference_list(record),
                "source_row": record["_row"],
                "unit": record.get("unit"),
                "route": record.get("route"),
                "drug_group": record.get("drug_group"),
                **_item_identity(record),
            }
            for record in records
        ]
        if rows:
            self._insert(ReferenceListItem, list(rows[0]), [tuple(r.values()) for r in rows])
        return len(rows)

    def _reference_list(self, record: Record) -> int:
        key = ("reference_list", f"{record['list_type']}|{record['effective_date']}")
        if key not in self._ids:
            row = ReferenceList(
                source_file_id=self.source_file_id,
                list_type=record["list_type"],
                name=record.get("list_name"),
                legal_basis=record.get("legal_basis"),
                effective_date=record["effective_date"],
            )
            self.session.add(row)
            self.session.flush()
            self._ids[key] = row.id
        return self._ids[key]


@lru_cache(maxsize=256)
def _currency(code: str | None) -> str:
    return (code or "VND").upper()[:3]


@lru_cache(maxsize=64)
def _statements(table: Table, equal: tuple[str, ...], null: tuple[str, ...]) -> tuple[Any, Any]:
    """Build a table's lookup and insert once; executing a prebuilt statement skips compiling."""
    lookup = select(table.c.id).where(
        *(table.c[name] == bindparam(name) for name in equal),
        *(table.c[name].is_(None) for name in null),
    )
    return lookup, insert(table)


def _item_identity(record: Record) -> dict[str, object]:
    form_text = record.get("dosage_form") or record.get("route_form")
    return item_identity(record.get("active_ingredient"), record.get("strength"), form_text)
