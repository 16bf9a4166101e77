"""Auditors: the stock-risk table, facility x product, riskiest first, with filters."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request

from procurement.services.stock_risk import (
    BANDS,
    StockFilters,
    StockOptions,
    stock_options,
    stock_risk,
)
from web.auth.session import require
from web.database import db
from web.paging import current_url
from web.review import bp
from web.review.forms import StockFilterForm, any_choice, choice
from web.review.labels import BAND_NAMES, category_name
from web.review.sparkline import sparkline


@bp.get("/review/stock")
def stock() -> str:
    """List every facility x product series at its latest report, riskiest first."""
    who = require("flag.view")
    pack = current_app.config.get("RULE_PACK")
    options = stock_options(db(), who, pack)
    form = _form(options)
    filters = _filters(form)
    result = stock_risk(
        db(),
        who,
        filters,
        request.args.get("sort"),
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        pack,
    )
    return render_template(
        "review/stock.html",
        form=form,
        filters=filters,
        result=result,
        bands=BANDS,
        band_name=lambda b: BAND_NAMES.get(b, b),
        category_name=category_name,
        sparkline=lambda row: sparkline(row.history, row.min_months * row.amc if row.amc else None),
        page_url=_page_url,
    )


def _form(options: StockOptions) -> StockFilterForm:
    form = StockFilterForm(request.args)
    anything = any_choice()
    form.facility.choices = [anything] + [choice(i, name) for i, name in options.facilities]
    form.province.choices = [anything] + [choice(c, name) for c, name in options.provinces]
    form.category.choices = [anything] + [choice(c, category_name(c)) for c in options.categories]
    form.band.choices = [anything] + [choice(b, BAND_NAMES[b]) for b in BANDS]
    return form


def _filters(form: StockFilterForm) -> StockFilters:
    """Turn the form into a filter; values that are not choices are ignored, not errors."""

    def chosen(field: Any) -> str | None:
        values = {c.value for c in field.choices}
        return field.data if field.data and str(field.data) in values else None

    facility = chosen(form.facility)
    return StockFilters(
        buyer_id=int(facility) if facility else None,
        province=chosen(form.province),
        category=chosen(form.category),
        band=chosen(form.band),
        text=(form.q.data or "").strip()[:200] or None,
    )


def _page_url(**changes: Any) -> str:
    """Return this list's URL with the current filter and some arguments changed."""
    return current_url("review.stock", **changes)
