"""JSON views: parse and check the query string, call a public service, return JSON.

A bad parameter is a 400 with a sentence naming it; an unknown parameter is refused too, so a
misspelt filter never silently returns everything.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Response, jsonify, request, url_for

from procurement.domestic import SCOPES
from procurement.services.public_api import (
    AwardFilter,
    Page,
    awards_search,
    confirmed_flags_search,
    medicines_search,
    shares_search,
)
from web.api import bp
from web.api.openapi import MAX_PER_PAGE, PER_PAGE, openapi_document
from web.database import db
from web.opendata.targets import pack_targets


class BadParameter(ValueError):
    """A query parameter the API cannot use."""


@bp.errorhandler(BadParameter)
def _bad_parameter(error: BadParameter) -> tuple[Response, int]:
    return jsonify(error=400, message=str(error)), 400


@bp.get("/medicines")
def medicines() -> Response:
    """Medicines (drug identities) matching `q`, most bought first."""
    _known({"q", "page", "per_page"})
    page, per_page = _paging()
    found = medicines_search(db(), request.args.get("q") or None, page, per_page)
    return _page_response(found)


@bp.get("/awards")
def awards() -> Response:
    """Award lines filtered by identity, buyer, supplier, province and year."""
    _known({"identity", "buyer", "supplier", "province", "year", "page", "per_page"})
    page, per_page = _paging()
    filters = AwardFilter(
        identity=request.args.get("identity") or None,
        buyer=_integer("buyer"),
        supplier=_integer("supplier"),
        province=request.args.get("province") or None,
        year=_integer("year", 1900, 2999),
    )
    return _page_response(awards_search(db(), filters, page, per_page))


@bp.get("/shares")
def shares() -> Response:
    """Domestic shares by buyer, province, level or the nation, per year, against targets."""
    _known({"by", "year", "key"})
    by = request.args.get("by", "nation")
    if by not in SCOPES:
        raise BadParameter(f"by must be one of {', '.join(SCOPES)}")
    rows = shares_search(
        db(), by, _integer("year", 1900, 2999), request.args.get("key") or None, pack_targets()
    )
    return jsonify(data=rows, total=len(rows))


@bp.get("/flags")
def flags() -> Response:
    """Confirmed flags with the auditor's public comment."""
    _known({"page", "per_page"})
    page, per_page = _paging()
    return _page_response(confirmed_flags_search(db(), page, per_page))


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(url_for("api.openapi", _external=True)))


def _known(names: Collection[str]) -> None:
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        raise BadParameter(
            f"unknown parameter {', '.join(unknown)}; "
            f"this endpoint takes {', '.join(sorted(names))}"
        )


def _integer(name: str, low: int = 1, high: int = 2**31 - 1) -> int | None:
    text = request.args.get(name)
    if text in (None, ""):
        return None
    try:
        value = int(text)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number, not {text!r}") from None
    if not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}")
    return value


def _paging() -> tuple[int, int]:
    page = _integer("page") or 1
    per_page = _integer("per_page", 1, MAX_PER_PAGE) or PER_PAGE
    return page, per_page


def _page_response(found: Page) -> Response:
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    links = {"self": url_for(request.endpoint or "", **args, page=found.page, _external=True)}
    if found.has_next:
        links["next"] = url_for(request.endpoint or "", **args, page=found.page + 1, _external=True)
    if found.page > 1:
        links["prev"] = url_for(request.endpoint or "", **args, page=found.page - 1, _external=True)
    return jsonify(
        data=found.items,
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        links=links,
    )
