"""The data dictionary of every open-data download: column, meaning, type and unit.

A test holds these and the exports' headers together, so a new column cannot ship undescribed.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

TEXT, INTEGER, NUMBER, DATE, MOMENT, BOOLEAN = (
    "text", "integer", "number", "date (YYYY-MM-DD)", "date-time (ISO 8601)", "true/false",
)  # fmt: skip
VND = "VND"
SHARE = _l("share, 0 to 1")
NONE = ""

AWARDS: tuple[tuple[str, Any, str, Any], ...] = (
    ("line_id", _l("Number of the award line in this monitor"), INTEGER, NONE),
    (
        "buyer",
        _l("Procuring entity (hospital, health department, CDC, national centre)"),
        TEXT,
        NONE,
    ),
    ("province", _l("Province or city of the buyer"), TEXT, NONE),
    ("buyer_level", _l("Level of the buyer: central, provincial, district or unknown"), TEXT, NONE),
    ("tender_code", _l("Code of the tender package on the procurement portal"), TEXT, NONE),
    ("tender_name", _l("Name of the tender package"), TEXT, NONE),
    ("procedure", _l("Procurement procedure, standardized"), TEXT, NONE),
    ("procedure_text", _l("Procurement procedure as the file states it"), TEXT, NONE),
    ("decision_number", _l("Number of the award decision"), TEXT, NONE),
    ("decision_date", _l("Date of the award decision"), DATE, NONE),
    ("bidder_count", _l("Number of bidders in the package"), INTEGER, _l("bidders")),
    ("product_name", _l("Brand or product name"), TEXT, NONE),
    ("registration_number", _l("Marketing registration number of the product"), TEXT, NONE),
    ("active_ingredients", _l("Active ingredients"), TEXT, NONE),
    ("strength", _l("Strength as the file states it"), TEXT, NONE),
    ("strength_key", _l("Strength, standardized"), TEXT, NONE),
    ("dosage_form", _l("Dosage form, standardized"), TEXT, NONE),
    ("dosage_form_text", _l("Dosage form as the file states it"), TEXT, NONE),
    ("route", _l("Administration route, standardized"), TEXT, NONE),
    ("packaging", _l("Packaging as the file states it"), TEXT, NONE),
    (
        "drug_group",
        _l("Technical group of the tender (generic group, brand-name, ...)"),
        TEXT,
        NONE,
    ),
    (
        "identity_key",
        _l("Drug identity: ingredients, strength and form, used to compare prices"),
        TEXT,
        NONE,
    ),
    ("manufacturer", _l("Manufacturer"), TEXT, NONE),
    ("country", _l("Country of manufacture"), TEXT, NONE),
    ("origin", _l("Origin: domestic, imported or unknown"), TEXT, NONE),
    ("origin_reason", _l("Why the origin was decided so"), TEXT, NONE),
    ("origin_conflict", _l("When sources of origin disagree, which ones"), TEXT, NONE),
    ("supplier", _l("Winning supplier"), TEXT, NONE),
    ("unit", _l("Unit the price and quantity are counted in"), TEXT, NONE),
    ("quantity", _l("Quantity awarded"), NUMBER, _l("units of the unit column")),
    ("planned_unit_price", _l("Planned price per unit"), NUMBER, VND),
    ("unit_price", _l("Awarded price per unit"), NUMBER, VND),
    ("amount", _l("Awarded value of the line"), NUMBER, VND),
    ("currency", _l("Currency of the prices"), TEXT, NONE),
    ("standard_unit_price", _l("Price per base unit (tablet, vial, dose, ml, ...)"), NUMBER, VND),
    ("standard_unit", _l("Base unit of the standardized price"), TEXT, NONE),
    ("price_basis", _l("Whether the stated price was per base unit or per pack"), TEXT, NONE),
    ("source_file", _l("Name of the published file the line came from"), TEXT, NONE),
    ("source_file_id", _l("Number of that file in this monitor"), INTEGER, NONE),
    ("source_sheet", _l("Sheet of that file"), TEXT, NONE),
    ("source_row", _l("Row of that sheet"), INTEGER, NONE),
)

SHARES: tuple[tuple[str, Any, str, Any], ...] = (
    ("scope", _l("What a row counts: buyer, province, level or nation"), TEXT, NONE),
    ("key", _l("Buyer number, province code, level or nation"), TEXT, NONE),
    ("name", _l("Name of the buyer, province, level or nation"), TEXT, NONE),
    ("level", _l("Level of the buyer (buyer and level rows)"), TEXT, NONE),
    ("year", _l("Year of the award decisions"), INTEGER, NONE),
    ("value_share", _l("Domestic share of the value of lines of known origin"), NUMBER, SHARE),
    (
        "quantity_share",
        _l("Domestic share of the base-unit quantity of lines of known origin"),
        NUMBER,
        SHARE,
    ),
    ("lines", _l("Award lines counted"), INTEGER, _l("lines")),
    ("domestic_value", _l("Value of domestic lines"), NUMBER, VND),
    ("total_value", _l("Value of lines of known origin"), NUMBER, VND),
    ("domestic_quantity", _l("Base-unit quantity of domestic lines"), NUMBER, _l("base units")),
    ("total_quantity", _l("Base-unit quantity of lines of known origin"), NUMBER, _l("base units")),
    ("unknown_value", _l("Value of lines of unknown origin, left out of both shares"), NUMBER, VND),
    ("unknown_lines", _l("Lines of unknown origin, left out of both shares"), INTEGER, _l("lines")),
    (
        "unmeasured_lines",
        _l("Lines without a base unit, left out of the quantity share"),
        INTEGER,
        _l("lines"),
    ),
    (
        "excluded_lines",
        _l("Lines of categories the targets leave out (vaccines by default)"),
        INTEGER,
        _l("lines"),
    ),
    ("excluded_value", _l("Value of those lines"), NUMBER, VND),
    ("value_target", _l("Target for the value share"), NUMBER, SHARE),
    ("quantity_target", _l("Target for the quantity share"), NUMBER, SHARE),
    (
        "value_met",
        _l("Whether the value share reaches its target (empty: not compared)"),
        BOOLEAN,
        NONE,
    ),
    (
        "quantity_met",
        _l("Whether the quantity share reaches its target (empty: not compared)"),
        BOOLEAN,
        NONE,
    ),
    (
        "met",
        _l("Whether every compared share reaches its target (empty: none compared)"),
        BOOLEAN,
        NONE,
    ),
)

FLAGS: tuple[tuple[str, Any, str, Any], ...] = (
    ("flag_id", _l("Number of the flag in this monitor"), INTEGER, NONE),
    ("rule", _l("Code of the rule that raised it (see the methodology)"), TEXT, NONE),
    ("family", _l("Family of the rule: price, competition, domestic, ..."), TEXT, NONE),
    ("severity", _l("Severity: high, medium or low"), TEXT, NONE),
    ("subject_type", _l("What the flag is about: a line, a tender, a buyer-year, ..."), TEXT, NONE),
    ("subject_key", _l("Which one: the key of that subject"), TEXT, NONE),
    ("line_id", _l("Award line concerned, when the flag is about one line"), INTEGER, NONE),
    ("buyer_id", _l("Buyer concerned"), INTEGER, NONE),
    ("buyer", _l("Name of that buyer"), TEXT, NONE),
    ("province", _l("Province of that buyer"), TEXT, NONE),
    ("year", _l("Year concerned"), INTEGER, NONE),
    ("observed", _l("The figure the rule observed (a price, a share, a count)"), NUMBER, NONE),
    ("benchmark", _l("The figure it was compared with"), NUMBER, NONE),
    ("message_en", _l("What the rule found, in English"), TEXT, NONE),
    ("message_vi", _l("What the rule found, in Vietnamese"), TEXT, NONE),
    ("confirmed_at", _l("When an auditor confirmed the flag"), MOMENT, NONE),
    ("auditor_comment", _l("The auditor's public comment on confirming it"), TEXT, NONE),
)

DICTIONARIES = {"awards": AWARDS, "domestic-shares": SHARES, "confirmed-flags": FLAGS}
