"""The OpenAPI 3 description of the JSON API, written by hand next to the views it describes.

A test checks that every route of the `api` blueprint has a path here and every path a route.
"""

from __future__ import annotations

from typing import Any

from procurement.domestic import SCOPES
from procurement.services.open_data import FLAG_HEADERS
from procurement.services.public_api import AWARD_FIELDS

PER_PAGE, MAX_PER_PAGE = 50, 500
VERSION = "1.0.0"


def _query(name: str, kind: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": kind, **schema},
    }


_PAGING = [
    _query("page", "integer", "Page number, from 1.", minimum=1, default=1),
    _query(
        "per_page",
        "integer",
        "Items per page.",
        minimum=1,
        maximum=MAX_PER_PAGE,
        default=PER_PAGE,
    ),
]
_YEAR = _query("year", "integer", "Year of the award decisions.", minimum=1900, maximum=2999)


def _object(fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "properties": {name: {} for name in fields}}


def _paged(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data", "total", "page", "per_page", "links"],
        "properties": {
            "data": {"type": "array", "items": item},
            "total": {"type": "integer", "description": "Items matching, on every page."},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "links": {
                "type": "object",
                "description": "self, and next and prev when there is such a page.",
                "properties": {
                    "self": {"type": "string", "format": "uri"},
                    "next": {"type": "string", "format": "uri"},
                    "prev": {"type": "string", "format": "uri"},
                },
            },
        },
    }


def _get(summary: str, parameters: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": schema}},
                },
                "400": {
                    "description": "A parameter is wrong or unknown; the message says which.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        }
    }


MEDICINE_FIELDS = (
    "identity", "active_ingredients", "strength", "dosage_form", "example_product", "lines",
    "buyers", "standard_unit", "lowest_standard_unit_price", "highest_standard_unit_price",
)  # fmt: skip
SHARE_FIELDS = (
    "scope", "key", "name", "level", "year", "value_share", "quantity_share", "lines",
    "domestic_value", "total_value", "domestic_quantity", "total_quantity", "unknown_value",
    "unknown_lines", "unmeasured_lines", "excluded_lines", "excluded_value", "value_target",
    "quantity_target", "value_met", "quantity_met", "met",
)  # fmt: skip


def openapi_document(url: str) -> dict[str, Any]:
    """Return the OpenAPI 3.0 document; `url` is where it is served (for the server URL)."""
    root = url.rsplit("/api/v1/", 1)[0] or "/"
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Procurement Monitor public API",
            "version": VERSION,
            "description": (
                "Public purchases of medicines and vaccines in Viet Nam: what was paid, by whom, "
                "to whom, made where, and the flags auditors confirmed. Read-only, no sign-in. "
                "Amounts are in VND. Open, dismissed or escalated flags are never published."
            ),
            "license": {
                "name": "CC BY 4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
        },
        "servers": [{"url": root}],
        "paths": {
            "/api/v1/medicines": _get(
                "Medicines (drug identities: ingredients, strength and form), most bought first",
                [
                    _query("q", "string", "Part of an active ingredient, brand or registration."),
                    *_PAGING,
                ],
                _paged(_object(MEDICINE_FIELDS)),
            ),
            "/api/v1/awards": _get(
                "Award lines, in line order",
                [
                    _query("identity", "string", "A medicine's identity (see /medicines)."),
                    _query("buyer", "integer", "A buyer's number.", minimum=1),
                    _query("supplier", "integer", "A supplier's number.", minimum=1),
                    _query("province", "string", "A province code."),
                    _YEAR,
                    *_PAGING,
                ],
                _paged(_object([name for name, _ in AWARD_FIELDS])),
            ),
            "/api/v1/shares": _get(
                "Domestic share by value and quantity against the national targets, per year",
                [
                    _query(
                        "by", "string", "What each row counts.", enum=list(SCOPES), default="nation"
                    ),
                    _YEAR,
                    _query("key", "string", "One subject: buyer number, province code, level."),
                ],
                {
                    "type": "object",
                    "properties": {
                        "data": {"type": "array", "items": _object(SHARE_FIELDS)},
                        "total": {"type": "integer"},
                    },
                },
            ),
            "/api/v1/flags": _get(
                "Flags an auditor confirmed, with the auditor's public comment",
                _PAGING,
                _paged(_object(FLAG_HEADERS)),
            ),
            "/api/v1/openapi.json": _get(
                "This document", [], {"type": "object", "description": "OpenAPI 3.0"}
            ),
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {"type": "integer", "example": 400},
                        "message": {"type": "string"},
                    },
                }
            }
        },
    }
