"""The public pages: dashboard, medicines, buyers, suppliers, provinces, domestic share, flags.

Thin: parse the request, call a read-only public service, lay out its figures and charts.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from procurement.services.public_dashboard import awards_by_year, latest_imports, public_import
from procurement.services.public_flags import confirmed_by_family, confirmed_flags
from procurement.services.public_medicines import medicine_detail, search_medicines
from procurement.services.public_parties import (
    ORIGINS,
    Profile,
    buyer_profile,
    province_profile,
    supplier_profile,
)
from procurement.services.public_shares import (
    ShareRow,
    all_shares,
    national_targets,
    ranking,
    years,
)
from procurement.services.public_stock import CategorySummary, StockSummary, stock_security
from rules.engine.pack import load_pack
from web.admin.rules_view import public_rules
from web.database import db
from web.i18n import current_language, number
from web.public import bp
from web.public.charts import (
    DOMESTIC,
    ORIGIN_COLOURS,
    QUANTITY,
    TARGET,
    VALUE,
    Series,
    price_strip,
    price_time,
    share_bars,
    share_lines,
    stacked_columns,
)
from web.public.stock_chart import (
    BELOW_MINIMUM,
    CATEGORY_COLOURS,
    OTHER_COLOUR,
    STOCKED_OUT,
    MonthLine,
    month_lines,
)
from web.review.labels import FAMILY_NAMES, SEVERITY_NAMES, category_name
from web.review.rule_titles import rule_title

PER_PAGE = 25
MAX_BARS = 40


def origin_names() -> dict[str, str]:
    """Return the origins' names in the reader's language."""
    return {"domestic": _("Domestic"), "imported": _("Imported"), "unknown": _("Origin unknown")}


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {
        "family_name": lambda f: FAMILY_NAMES.get(f, f),
        "severity_name": lambda s: SEVERITY_NAMES.get(s, s),
        "origin_name": lambda o: origin_names().get(o, o),
        "rule_title": rule_title,
        "category_name": category_name,
        "flag_message": lambda f: f.message_vi if current_language() == "vi" else f.message_en,
    }


@lru_cache(maxsize=8)
def _pack_targets(path: str | None) -> dict[str, Any]:
    return dict(load_pack(path).targets)


def targets() -> dict[str, Any]:
    """Return the active rule pack's targets."""
    return _pack_targets(current_app.config.get("RULE_PACK"))


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/")
def home() -> str:
    """The public dashboard."""
    session, goals = db(), targets()
    totals = awards_by_year(session)
    nation = all_shares(session, goals)["nation"]
    value_target, quantity_target = national_targets(goals)
    labels = [str(t.year) for t in totals]
    charts = {}
    if totals:
        charts["awards"] = stacked_columns(
            "chart-awards",
            _("Value awarded by year"),
            labels,
            [(_("Value awarded"), VALUE, [t.value for t in totals])],
            notes=[_("%(count)s lines", count=number(t.lines)) for t in totals],
        )
    if nation:
        title = _("Domestic share, nationwide")
        charts["shares"] = _share_chart("chart-nation-shares", title, nation)
    stock = stock_security(session, current_app.config.get("RULE_PACK"))
    if stock.categories:
        charts["stock"] = _stock_overview(stock)
    return render_template(
        "public/home.html",
        stock=stock,
        totals=totals,
        nation=nation,
        value_target=value_target,
        quantity_target=quantity_target,
        families=confirmed_by_family(session),
        imports=latest_imports(session),
        charts=charts,
    )


def _share_chart(chart_id: str, title: str, rows: list[ShareRow]) -> Markup:
    rows = sorted(rows, key=lambda r: r.year)
    last = rows[-1]
    return share_lines(
        chart_id,
        title,
        [str(r.year) for r in rows],
        [
            Series(_("By value"), VALUE, [r.value_share for r in rows]),
            Series(_("By quantity"), QUANTITY, [r.quantity_share for r in rows]),
        ],
        [
            (_("Target by value"), VALUE, last.value_target),
            (_("Target by quantity"), QUANTITY, last.quantity_target),
        ],
    )


@bp.get("/medicines")
def medicines() -> str:
    """Search the medicines by active ingredient, brand or registration number."""
    query = (request.args.get("q") or "").strip()[:200]
    found = search_medicines(db(), query, _page(), PER_PAGE)
    return render_template("public/medicines.html", query=query, found=found)


@bp.get("/medicines/<path:identity>")
def medicine(identity: str) -> str:
    """One medicine: the unit price every buyer paid, its spread, its trend and each line."""
    detail = medicine_detail(db(), identity)
    if detail is None:
        abort(404)
    unit = detail.medicine.unit or _("unit")
    charts = {}
    if detail.prices:
        charts["strip"] = price_strip("chart-price-strip", detail.prices, detail.median, unit)
        points = [
            (line.decision_date, line.standard_unit_price)
            for line in detail.lines
            if line.decision_date and line.standard_unit_price
        ]
        medians = [(p.start, p.median, p.label) for p in detail.periods]
        charts["time"] = price_time("chart-price-time", points, medians, unit)
    total = len(detail.lines)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(_page(), 1), pages)
    lines = detail.lines[(page - 1) * PER_PAGE : page * PER_PAGE]
    return render_template(
        "public/medicine.html",
        detail=detail,
        m=detail.medicine,
        unit=unit,
        charts=charts,
        lines=lines,
        page=page,
        pages=pages,
        total=total,
    )


def _profile_page(profile: Profile | None, flags_filter: dict[str, Any]) -> str:
    if profile is None:
        abort(404)
    labels = [str(y) for y in profile.years]
    charts = {}
    if profile.years:
        stacks = [
            (origin_names()[o], ORIGIN_COLOURS[o], [profile.value(y, o) for y in profile.years])
            for o in ORIGINS
        ]
        charts["spend"] = stacked_columns(
            "chart-spend", _("Value awarded by origin and year"), labels, stacks
        )
    if profile.shares:
        charts["shares"] = _share_chart(
            "chart-shares", _("Domestic share against the target"), profile.shares
        )
    flags = confirmed_flags(db(), _page(), per_page=PER_PAGE, **flags_filter)
    return render_template(
        "public/profile.html", p=profile, charts=charts, flags=flags, origins=ORIGINS
    )


@bp.get("/buyers/<int:buyer_id>")
def buyer(buyer_id: int) -> str:
    """A buyer: spend by origin and year, top suppliers, domestic share, confirmed flags."""
    return _profile_page(buyer_profile(db(), buyer_id, targets()), {"buyer_id": buyer_id})


@bp.get("/suppliers/<int:supplier_id>")
def supplier(supplier_id: int) -> str:
    """A supplier: what it sold by origin and year, top buyers, domestic share, flags."""
    profile = supplier_profile(db(), supplier_id, targets())
    return _profile_page(profile, {"supplier_id": supplier_id})


@bp.get("/provinces/<code>")
def province(code: str) -> str:
    """A province: its buyers' spend by origin and year, top buyers, share, flags."""
    return _profile_page(province_profile(db(), code, targets()), {"province_code": code})


@bp.get("/domestic")
def domestic() -> str:
    """Provinces and buyers ranked by domestic share against the target."""
    session, goals = db(), targets()
    known = years(session, goals)
    year = request.args.get("year", type=int)
    if year not in known:
        year = known[0] if known else None
    value_target, quantity_target = national_targets(goals)
    provinces = ranking(session, goals, "province", year) if year else []
    buyers = ranking(session, goals, "buyer", year) if year else []
    charts = {}
    if provinces:
        charts["provinces"] = share_bars(
            "chart-provinces",
            _("Provinces by domestic share of value, %(year)s", year=year),
            [(r.name, r.value_share) for r in provinces[:MAX_BARS]],
            value_target,
            _("Target by value"),
        )
    if buyers:
        charts["buyers"] = share_bars(
            "chart-buyers",
            _("Buyers by domestic share of value, %(year)s", year=year),
            [(r.name, r.value_share) for r in buyers[:MAX_BARS]],
            value_target,
            _("Target by value"),
        )
    return render_template(
        "public/domestic.html",
        year=year,
        years=known,
        provinces=provinces,
        buyers=buyers,
        charts=charts,
        value_target=value_target,
        quantity_target=quantity_target,
        max_bars=MAX_BARS,
        target_colour=TARGET,
        domestic_colour=DOMESTIC,
    )


@bp.get("/flags")
def flags() -> str:
    """Confirmed flags only, each with the auditor's public comment."""
    family = request.args.get("family") or None
    if family not in FAMILY_NAMES:
        family = None
    found = confirmed_flags(db(), _page(), family=family, per_page=PER_PAGE)
    return render_template(
        "public/flags.html", flags=found, family=family, families=confirmed_by_family(db())
    )


@bp.get("/methodology")
def methodology() -> str:
    """Each rule in plain words with its parameters, and how origin and shares are decided."""
    pack, rules = public_rules(current_app.config.get("RULE_PACK"), current_language())
    value_target, quantity_target = national_targets(targets())
    return render_template(
        "public/methodology.html",
        pack=pack,
        rules=rules,
        value_target=value_target,
        quantity_target=quantity_target,
    )


@bp.get("/sources/<int:source_id>")
def source(source_id: int) -> str:
    """An imported file as the public sees it: name, kind, date and counts."""
    found = public_import(db(), source_id)
    if found is None:
        abort(404)
    return render_template("public/source.html", source=found, row=request.args.get("row"))


@bp.get("/stock")
def stock() -> str:
    """Stock security: the share of reporting facilities stocked out or below the minimum."""
    summary = stock_security(db(), current_app.config.get("RULE_PACK"))
    charts = {}
    for c in summary.categories:
        name = category_name(c.category)
        title = _("%(category)s: facilities stocked out or below the minimum", category=name)
        lines = [
            _line(_("Stocked out"), STOCKED_OUT, c, "stocked_out"),
            _line(_("Below the minimum"), BELOW_MINIMUM, c, "below_minimum", dashed=True),
        ]
        charts[c.category] = month_lines(f"chart-stock-{c.category}", title, summary.months, lines)
    return render_template("public/stock.html", summary=summary, charts=charts)


def _line(
    name: str, colour: str, category: CategorySummary, measure: str, dashed: bool = False
) -> MonthLine:
    """Return one measure (stocked_out, below_minimum) of a category as a chart line."""
    shares = [getattr(m, f"{measure}_share") for m in category.months]
    notes = [
        _(
            "%(count)s of %(reporting)s facilities",
            count=number(getattr(m, measure)),
            reporting=number(m.reporting),
        )
        for m in category.months
    ]
    return MonthLine(name, colour, shares, notes, dashed)


def _stock_overview(summary: StockSummary) -> Markup:
    """One chart of every category: stock-outs solid, below the minimum dashed."""
    lines = []
    for c in summary.categories:
        colour = CATEGORY_COLOURS.get(c.category, OTHER_COLOUR)
        name = category_name(c.category)
        lines += [
            _line(_("%(category)s: stocked out", category=name), colour, c, "stocked_out"),
            _line(
                _("%(category)s: below the minimum", category=name),
                colour,
                c,
                "below_minimum",
                dashed=True,
            ),
        ]
    title = _("Reporting facilities stocked out or below the minimum, by month")
    return month_lines("chart-stock-overview", title, summary.months, lines)
