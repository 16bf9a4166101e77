"""Auditors: the review queue, one flag's evidence and history, decisions and the Excel export."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from procurement.services.flag_filters import SEVERITIES, STATUSES, FlagFilters
from procurement.services.flag_list import flag_export
from procurement.services.flag_peers import flag_peer_prices
from procurement.services.flag_queue import flag_queue, flag_queue_options
from procurement.services.flag_review import (
    DECISIONS,
    DecisionError,
    FlagNotFound,
    flag_decide,
    flag_decide_many,
    flag_detail,
)
from procurement.services.permissions import can
from web.auth.session import require
from web.database import db
from web.errors.handlers import http_error
from web.i18n import current_language
from web.paging import current_url
from web.review import bp
from web.review.chart import peer_chart
from web.review.forms import BulkDecisionForm, DecisionForm, FilterForm, any_choice, choice
from web.review.labels import (
    DECISION_NAMES,
    EVENT_NAMES,
    FAMILY_NAMES,
    RELATED_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    key_name,
)
from web.review.rule_titles import families, rule_title, rule_titles
from web.review.source_row import original_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_STATUS = "open"  # the queue opens on the flags waiting for a decision


@bp.errorhandler(FlagNotFound)
def _not_found(error: FlagNotFound) -> Any:
    return http_error(NotFound())


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {
        "status_name": lambda s: STATUS_NAMES.get(s, s),
        "severity_name": lambda s: SEVERITY_NAMES.get(s, s),
        "decision_name": lambda d: DECISION_NAMES.get(d, d),
        "event_name": lambda e: EVENT_NAMES.get(e, e),
        "related_name": lambda k: RELATED_NAMES.get(k, k),
        "key_name": key_name,
        "rule_title": rule_title,
        "in_language": in_language,
    }


def in_language(english: str | None, vietnamese: str | None) -> str:
    """Pick the current language's text of a bilingual pair stored with the data."""
    chosen = english if current_language() == "en" else vietnamese
    return chosen or english or vietnamese or ""


@bp.get("/review")
def queue() -> str:
    """List flags for a filter and a sort, a page at a time, with counts and bulk decisions."""
    who = require("flag.view")
    form = _filter_form(who)
    filters = _filters(form)
    result = flag_queue(
        db(),
        who,
        filters,
        request.args.get("sort"),
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
    )
    bulk = BulkDecisionForm(formdata=None, next=request.full_path)
    return render_template(
        "review/queue.html",
        form=form,
        filters=filters,
        result=result,
        bulk=bulk,
        decisions=DECISIONS,
        can_decide=can("flag.decide", who),
        can_export=can("flag.export", who),
        page_url=_page_url,
        sort_url=lambda column: _page_url(sort=_toggled(result.sort, column), page=None),
    )


@bp.post("/review/decide")
def decide_many() -> Response:
    """Record one decision, with its comment, on the flags ticked in the queue."""
    who = require("flag.decide")
    form = BulkDecisionForm()
    back = _local_queue_url(form.next.data)
    if not form.validate():
        flash(_form_problem(form), "error")
        return redirect(back)
    try:
        before = flag_decide_many(db(), who, form.ids.data, form.decision.data, form.comment.data)
    except DecisionError as exc:
        db().rollback()
        flash(_("Nothing was decided: %(why)s", why=str(exc)), "error")
        return redirect(back)
    db().commit()
    flash(
        _(
            "%(count)s flags marked %(status)s.",
            count=len(before),
            status=STATUS_NAMES[form.decision.data],
        ),
        "success",
    )
    return redirect(back)


@bp.get("/flags/<int:flag_id>")
def flag(flag_id: int) -> str:
    """Show a flag: why, the evidence, the peer prices, the source row, history and decisions."""
    who = require("flag.view")
    return _flag_page(who, flag_id, DecisionForm(formdata=None))


@bp.post("/flags/<int:flag_id>/decide")
def decide(flag_id: int) -> Response | tuple[str, int]:
    """Record a decision with its comment; the page shows it in the history."""
    who = require("flag.decide")
    form = DecisionForm()
    if not form.validate():
        return _flag_page(who, flag_id, form), 400
    try:
        flag_decide(db(), who, flag_id, form.decision.data, form.comment.data)
    except DecisionError as exc:
        db().rollback()
        form.comment.errors = [str(exc)]
        return _flag_page(who, flag_id, form), 400
    db().commit()
    flash(_("Decision recorded: %(status)s.", status=STATUS_NAMES[form.decision.data]), "success")
    return redirect(url_for("review.flag", flag_id=flag_id))


@bp.get("/review/export.xlsx")
def export() -> Response:
    """Download the queue's current filter as an Excel workbook (flags and their evidence)."""
    who = require("flag.export")
    filters = _filters(_filter_form(who))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flags.xlsx"
        flag_export(db(), who, filters, path, request.args.get("sort"), rule_titles())
        data = path.read_bytes()
    response = Response(data, mimetype=XLSX)
    name = f"flags-{date.today():%Y%m%d}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _flag_page(who: Any, flag_id: int, form: DecisionForm) -> str:
    detail = flag_detail(db(), who, flag_id)
    peers = flag_peer_prices(db(), who, flag_id)
    source = detail.source
    return render_template(
        "review/flag.html",
        detail=detail,
        message=detail.message(current_language()),
        other_message=detail.message("vi" if current_language() == "en" else "en"),
        chart=peer_chart(peers) if peers is not None else None,
        peers=peers,
        original=original_row(source) if source is not None else None,
        file_url=_file_url(source.file_id) if source is not None and source.stored_path else None,
        form=form,
        decisions=DECISIONS,
        can_decide=can("flag.decide", who),
        stock_url=_stock_url(detail),
    )


STOCK_SUBJECTS = ("stock_item", "stock_lot", "stock_report")  # keyed "<facility id>:<item>..."


def _stock_url(detail: Any) -> str | None:
    """Link a stock flag to its series in the stock-risk table (facility, product)."""
    flag = detail.flag
    if flag.subject_type not in STOCK_SUBJECTS:
        return None
    evidence = {row.key: row.value for row in detail.evidence}
    product = evidence.get("product_code") or evidence.get("product_name")
    facility = flag.subject_key.split(":", 1)[0]
    return url_for("review.stock", facility=facility, q=product) if facility.isdigit() else None


def _file_url(file_id: int) -> str | None:
    """Link the officers' download of the stored file, where that page exists."""
    if "upload.import_file" not in current_app.view_functions:
        return None
    return url_for("upload.import_file", import_id=file_id)


def _filter_form(who: Any) -> FilterForm:
    form = FilterForm(request.args)
    if "status" not in request.args:
        form.status.data = DEFAULT_STATUS
    options = flag_queue_options(db(), who)
    titles = rule_titles()
    anything = any_choice()
    form.rule.choices = [anything] + [choice(c, f"{c} · {t}") for c, t in sorted(titles.items())]
    form.family.choices = [anything] + [choice(f, f"{f} · {FAMILY_NAMES[f]}") for f in families()]
    form.severity.choices = [anything] + [choice(s, SEVERITY_NAMES[s]) for s in SEVERITIES]
    form.status.choices = [anything] + [choice(s, STATUS_NAMES[s]) for s in STATUSES]
    form.buyer.choices = [anything] + [choice(i, name) for i, name in options.buyers]
    form.province.choices = [anything] + [choice(c, name) for c, name in options.provinces]
    form.year.choices = [anything] + [choice(y, y) for y in options.years]
    return form


def _filters(form: FilterForm) -> FlagFilters:
    """Turn the form into a filter; values that are not choices are ignored, not errors."""

    def chosen(field: Any) -> str | None:
        values = {c.value for c in field.choices}
        return field.data if field.data and str(field.data) in values else None

    buyer, year = chosen(form.buyer), chosen(form.year)
    return FlagFilters(
        rule=chosen(form.rule),
        family=chosen(form.family),
        severity=chosen(form.severity),
        status=chosen(form.status),
        buyer_id=int(buyer) if buyer else None,
        province=chosen(form.province),
        year=int(year) if year else None,
        text=(form.q.data or "").strip()[:200] or None,
    )


def _page_url(**changes: Any) -> str:
    """Return this list's URL with the current filter and some arguments changed."""
    return current_url("review.queue", **changes)


def _toggled(current: str, column: str) -> str:
    """Sort by a column; the same column again reverses it (severity starts with the highest)."""
    if current.lstrip("-") == column:
        return column if current.startswith("-") else f"-{column}"
    return f"-{column}" if column in ("severity", "id", "observed", "year", "seen") else column


def _local_queue_url(target: str | None) -> str:
    """Go back to the queue the form came from, never to another site."""
    if target and target.startswith("/review") and not target.startswith("//"):
        return target
    return url_for("review.queue")


def _form_problem(form: BulkDecisionForm) -> str:
    if form.comment.errors:
        return _("Nothing was decided: write a comment saying why.")
    if form.ids.errors or not form.ids.data:
        return _("Nothing was decided: tick the flags to decide first.")
    return _("Nothing was decided: choose confirm, dismiss or escalate.")
