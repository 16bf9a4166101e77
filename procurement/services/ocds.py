"""The award lines as an OCDS 1.1 release package: one release per tender, written as a stream.

Identifiers, chosen to stay stable across re-imports of the same files:
- ocid: OCID_PREFIX + the tender's key (a hash of its buyer and its code or decision number,
  unique in the database), e.g. "ocds-pmvnmd-3f9c...". The prefix is this monitor's own; it is
  not registered with the Open Contracting Partnership.
- parties: "buyer-<id>" and "supplier-<id>" (database ids of the deduplicated buyer and supplier).
- awards: "<tender key>-supplier-<id>" (one award per tender and supplier); items "line-<id>".

Medicine fields follow the OCDS medicine extension (open-contracting-extensions/
ocds_medicines_extension: Item.activeIngredients[].name/dosage, Item.dosageForm,
Item.administrationRoute); manufacturer, country of origin, brand, strength and origin are
item attributes as the item attributes extension puts them (Item.attributes[]: id, name,
value). The package names no extension URLs, so a validator need not download them; the fields
then show as additional fields, never as schema errors. Nothing internal is written: no uploader,
no flag, no file path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from procurement.models import AwardLine, Buyer, Manufacturer, Product, SourceFile, Supplier, Tender
from procurement.procedures import canonical_procedure

OCID_PREFIX = "ocds-pmvnmd-"  # "ocds-" + six characters + "-", the registered prefixes' shape
PUBLISHER = "Procurement Monitor"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DEFAULT_URI = "urn:procurement-monitor:open-data:ocds.json"
# the OCDS method codelist is closed; procedures it cannot say stay in procurementMethodDetails
_METHODS = {
    "open_bidding": "open",
    "competitive_offer": "open",
    "restricted_bidding": "selective",
    "price_negotiation": "limited",
    "direct_appointment": "direct",
    "direct_procurement": "direct",
}
_COLUMNS = (
    AwardLine.id,
    AwardLine.tender_id,
    Tender.tender_key,
    Tender.code,
    Tender.name.label("tender_name"),
    Tender.procedure,
    Tender.procedure_text,
    Tender.decision_number,
    Tender.decision_date.label("tender_date"),
    Tender.bidder_count,
    Buyer.id.label("buyer_id"),
    Buyer.name.label("buyer"),
    Buyer.province,
    AwardLine.decision_date,
    AwardLine.supplier_id,
    Supplier.name.label("supplier"),
    Product.name.label("product_name"),
    Product.registration_number,
    Product.active_ingredients,
    Product.strength_text,
    Product.strength_value,
    Product.strength_unit,
    Product.dosage_form,
    Product.dosage_form_text,
    Product.route,
    Product.route_text,
    Product.packaging,
    Product.origin,
    Manufacturer.name.label("manufacturer"),
    Manufacturer.country,
    AwardLine.unit,
    AwardLine.quantity,
    AwardLine.planned_unit_price,
    AwardLine.unit_price,
    AwardLine.amount,
    AwardLine.currency,
)


def ocid(tender_key: str) -> str:
    """Return the ocid of a tender."""
    return OCID_PREFIX + tender_key


def _query() -> Select[Any]:
    return (
        select(*_COLUMNS)
        .join(Tender, AwardLine.tender_id == Tender.id)
        .join(Buyer, Tender.buyer_id == Buyer.id)
        .join(Product, AwardLine.product_id == Product.id)
        .join(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .outerjoin(Manufacturer, Product.manufacturer_id == Manufacturer.id)
        .outerjoin(Supplier, AwardLine.supplier_id == Supplier.id)
        .where(SourceFile.status == "imported")
        .order_by(AwardLine.tender_id, AwardLine.id)
    )


def ocds_releases(session: Session, published: datetime) -> Iterator[dict[str, Any]]:
    """Yield one release per tender with award lines, streamed from the database."""
    rows = session.execute(_query().execution_options(yield_per=2000)).mappings()
    for _, lines in groupby(rows, key=lambda row: row["tender_id"]):
        yield _release(list(lines), published)


def ocds_export(session: Session, path: Path, uri: str = DEFAULT_URI) -> int:
    """Write the release package to `path` one release at a time; return the release count."""
    published = datetime.now(UTC).replace(microsecond=0)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(_package(uri, published), ensure_ascii=False)[:-1])
        handle.write(', "releases": [')
        for release in ocds_releases(session, published):
            handle.write(",\n" if count else "\n")
            handle.write(json.dumps(release, ensure_ascii=False))
            count += 1
        handle.write("\n]}\n")
    return count


def _package(uri: str, published: datetime) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _moment(published),
        "publisher": {"name": PUBLISHER},
        "license": LICENSE,
        "publicationPolicy": "https://standard.open-contracting.org/1.1/en/",
    }


def _release(lines: list[dict[str, Any]], published: datetime) -> dict[str, Any]:
    first = lines[0]
    dates = [line["decision_date"] for line in lines if line["decision_date"]]
    when = first["tender_date"] or (max(dates) if dates else None)
    buyer = {"id": f"buyer-{first['buyer_id']}", "name": first["buyer"]}
    suppliers = _suppliers(lines)
    release: dict[str, Any] = {
        "ocid": ocid(first["tender_key"]),
        "id": f"{ocid(first['tender_key'])}-award",
        "date": _moment(when) if when else _moment(published),
        "tag": ["award"],
        "initiationType": "tender",
        "language": "vi",
        "parties": [_buyer_party(first), *(_supplier_party(s) for s in suppliers.values())],
        "buyer": buyer,
        "tender": _tender(first, lines, suppliers),
        "awards": _awards(first, lines, suppliers, when),
    }
    return release


def _suppliers(lines: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for line in lines:
        if line["supplier_id"] is not None and line["supplier_id"] not in found:
            found[line["supplier_id"]] = {
                "id": f"supplier-{line['supplier_id']}",
                "name": line["supplier"],
            }
    return found


def _buyer_party(first: dict[str, Any]) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": f"buyer-{first['buyer_id']}",
        "name": first["buyer"],
        "roles": ["buyer", "procuringEntity"],
    }
    if first["province"]:
        party["address"] = {"region": first["province"], "countryName": "Việt Nam"}
    return party


def _supplier_party(supplier: dict[str, Any]) -> dict[str, Any]:
    return {**supplier, "roles": ["supplier", "tenderer"]}


def _tender(
    first: dict[str, Any], lines: list[dict[str, Any]], suppliers: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    tender: dict[str, Any] = {
        "id": first["code"] or first["decision_number"] or first["tender_key"],
        "status": "complete",
        "mainProcurementCategory": "goods",
        "items": [_item(line, line["planned_unit_price"]) for line in lines],
        "tenderers": list(suppliers.values()),
    }
    if first["tender_name"]:
        tender["title"] = first["tender_name"]
    method = _METHODS.get(canonical_procedure(first["procedure_text"] or first["procedure"]) or "")
    if method:
        tender["procurementMethod"] = method
    if first["procedure_text"] or first["procedure"]:
        tender["procurementMethodDetails"] = first["procedure_text"] or first["procedure"]
    if first["bidder_count"] is not None:
        tender["numberOfTenderers"] = first["bidder_count"]
    return tender


def _awards(
    first: dict[str, Any],
    lines: list[dict[str, Any]],
    suppliers: dict[int, dict[str, Any]],
    when: date | None,
) -> list[dict[str, Any]]:
    awards = []
    by_supplier = sorted(lines, key=lambda line: (line["supplier_id"] is None, line["supplier_id"]))
    for supplier_id, group in groupby(by_supplier, key=lambda line: line["supplier_id"]):
        items = list(group)
        key = f"supplier-{supplier_id}" if supplier_id is not None else "no-supplier"
        award: dict[str, Any] = {
            "id": f"{first['tender_key']}-{key}",
            "status": "active",
            "items": [_item(line, line["unit_price"]) for line in items],
            "value": {
                "amount": round(sum(_value(line) for line in items), 2),
                "currency": items[0]["currency"] or "VND",
            },
        }
        if first["decision_number"]:
            award["title"] = first["decision_number"]
        if when:
            award["date"] = _moment(when)
        if supplier_id is not None:
            award["suppliers"] = [suppliers[supplier_id]]
        awards.append(award)
    return awards


def _item(line: dict[str, Any], unit_price: float | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"line-{line['id']}",
        "description": line["product_name"] or line["active_ingredients"] or "",
        "quantity": line["quantity"],
    }
    unit: dict[str, Any] = {}
    if line["unit"]:
        unit["name"] = line["unit"]
    if unit_price is not None:
        unit["value"] = {"amount": unit_price, "currency": line["currency"] or "VND"}
    if unit:
        item["unit"] = unit
    if line["registration_number"]:
        item["classification"] = {
            "scheme": "x_VN-DAV-registration",
            "id": line["registration_number"],
            "description": line["product_name"] or line["registration_number"],
        }
    item.update(_medicine(line))
    attributes = _attributes(line)
    if attributes:
        item["attributes"] = attributes
    return {k: v for k, v in item.items() if v not in (None, "")}


def _medicine(line: dict[str, Any]) -> dict[str, Any]:
    """Return the medicine extension's fields of one line's product."""
    fields: dict[str, Any] = {}
    names = _ingredients(line["active_ingredients"])
    if names:
        ingredients: list[dict[str, Any]] = [{"name": name} for name in names]
        if len(names) == 1 and line["strength_value"] is not None and line["strength_unit"]:
            ingredients[0]["dosage"] = {
                "quantity": line["strength_value"],
                "unit": {"scheme": "x_text", "id": line["strength_unit"]},
            }
        fields["activeIngredients"] = ingredients
    if line["dosage_form"] or line["dosage_form_text"]:
        fields["dosageForm"] = line["dosage_form"] or line["dosage_form_text"]
    if line["route"] or line["route_text"]:
        fields["administrationRoute"] = line["route"] or line["route_text"]
    return fields


def _ingredients(text: str | None) -> list[str]:
    if not text:
        return []
    parts = [part.strip() for part in text.replace(";", "+").split("+")]
    return list(dict.fromkeys(part for part in parts if part))


def _attributes(line: dict[str, Any]) -> list[dict[str, Any]]:
    pairs = (
        ("brand", "Brand", line["product_name"]),
        ("strength", "Strength", line["strength_text"]),
        ("packaging", "Packaging", line["packaging"]),
        ("manufacturer", "Manufacturer", line["manufacturer"]),
        ("countryOfOrigin", "Country of origin", line["country"]),
        ("origin", "Domestic or imported", line["origin"]),
    )
    return [{"id": key, "name": name, "value": value} for key, name, value in pairs if value]


def _value(line: dict[str, Any]) -> float:
    if line["amount"] is not None:
        return float(line["amount"])
    return float(line["quantity"] or 0) * float(line["unit_price"] or 0)


def _moment(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00+07:00"
