"""Words for the keys of rule evidence and parameters, and for statuses and severities."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_NAMES = {
    "open": _l("open"),
    "closed": _l("closed"),
    "confirmed": _l("confirmed"),
    "dismissed": _l("dismissed"),
    "escalated": _l("escalated"),
}
SEVERITY_NAMES = {"high": _l("high"), "medium": _l("medium"), "low": _l("low")}
FAMILY_NAMES = {
    "PRC": _l("Prices"),
    "PLN": _l("Planning"),
    "CMP": _l("Competition"),
    "DOM": _l("Domestic production"),
    "CEN": _l("Centralized purchasing"),
    "DQ": _l("Data quality"),
    "STK": _l("Stock security"),
}
DECISION_NAMES = {
    "confirmed": _l("Confirm"),
    "dismissed": _l("Dismiss"),
    "escalated": _l("Escalate"),
}
EVENT_NAMES = {
    "opened": _l("opened by the rules"),
    "reopened": _l("reopened by the rules"),
    "auto-closed": _l("closed by the rules"),
    "condition-cleared": _l("condition cleared"),
    "condition-holds-again": _l("condition holds again"),
    "decided": _l("decided"),
}
RELATED_NAMES = {
    "line": _l("On the same line"),
    "buyer_year": _l("Same buyer, same year"),
    "product": _l("Same product, other lines"),
}
KEY_NAMES = {
    "buyer": _l("Buyer"),
    "product": _l("Product"),
    "registration_number": _l("Registration number"),
    "supplier": _l("Supplier"),
    "unit_price": _l("Unit price"),
    "planned_unit_price": _l("Planned unit price"),
    "decision_date": _l("Decision date"),
    "source_file": _l("Source file"),
    "source_sheet": _l("Sheet"),
    "source_row": _l("Row"),
    "standard_unit_price": _l("Standardized unit price"),
    "standard_unit": _l("Standard unit"),
    "peer_count": _l("Peer lines"),
    "median": _l("Median"),
    "q1": _l("First quartile (Q1)"),
    "q3": _l("Third quartile (Q3)"),
    "iqr": _l("Interquartile range (IQR)"),
    "fence": _l("Fence"),
    "modified_z": _l("Modified z-score"),
    "tests": _l("Tests that fired"),
    "window_from": _l("Window from"),
    "window_to": _l("Window to"),
    "window_days": _l("Window (days)"),
    "months": _l("Months"),
    "ratio": _l("Ratio"),
    "rise": _l("Rise"),
    "excess_share": _l("Excess"),
    "reference_price": _l("Reference price"),
    "lowest_price": _l("Lowest other-buyer price"),
    "lowest_buyer": _l("Lowest-price buyer"),
    "previous_price": _l("Previous price"),
    "previous_date": _l("Previous purchase"),
    "highest_result": _l("Highest result"),
    "domestic_price": _l("Domestic price"),
    "domestic_product": _l("Domestic product"),
    "extra_cost": _l("Extra cost"),
    "value_share": _l("Domestic share by value"),
    "quantity_share": _l("Domestic share by quantity"),
    "value_target": _l("Target by value"),
    "quantity_target": _l("Target by quantity"),
    "year": _l("Year"),
    "share": _l("Share"),
    "amount": _l("Amount"),
    "quantity": _l("Quantity"),
}


def key_name(key: str) -> str:
    """Return a readable name for an evidence or parameter key."""
    known = KEY_NAMES.get(key)
    return str(known) if known is not None else key.replace("_", " ").capitalize()


# --- stock security (issue 6) ---
BAND_NAMES = {
    "stocked-out": _l("Stocked out"),
    "below-emergency": _l("Below the emergency order point"),
    "below-minimum": _l("Below the minimum"),
    "projected-stockout": _l("Projected stock-out"),
    "overstock": _l("Overstock"),
    "no-consumption": _l("No consumption data"),
    "ok": _l("OK"),
}
CATEGORY_NAMES = {"vaccine": _l("Vaccines"), "medicine": _l("Medicines")}


def category_name(category: str | None) -> str:
    """Return a product category's name in the reader's language."""
    known = CATEGORY_NAMES.get(category or "")
    return str(known) if known is not None else (category or "")
