"""Officers' pages: upload a file, follow its import, read the history and each result."""

from __future__ import annotations

import mimetypes
import secrets
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound as HttpNotFound

from importers.fields import DATE, KINDS
from procurement.services import import_jobs, source_files
from procurement.services.error_report import write_errors_xlsx
from procurement.services.import_jobs import job_list, job_status, job_submit
from procurement.services.permissions import Actor
from procurement.services.source_files import (
    import_detail,
    import_errors,
    import_history,
    import_original,
    import_withdraw,
)
from procurement.services.stock_store import unmatched_items
from web.auth.session import require
from web.database import db
from web.errors.handlers import http_error
from web.i18n import current_language, day, number
from web.upload import bp
from web.upload.forms import ConfirmForm, UploadForm, kind_name
from web.upload.jobs import ImportRunner, stale_after

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STOCK_REPORTS = "stock-reports"  # the import kind whose products may match no identity


@bp.errorhandler(source_files.NotFound)
@bp.errorhandler(import_jobs.NotFound)
def _not_found(error: LookupError) -> Response | tuple[Response | str, int]:
    return http_error(HttpNotFound())


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {
        "kind_name": kind_name,
        "field_label": field_label,
        "field_value": field_value,
        "in_language": in_language,
    }


def field_label(kind: str, field: str | None) -> str:
    """Return a canonical field's label in the current language (the name if unknown)."""
    spec = KINDS.get(kind)
    if spec is None or field is None or field not in spec.by_name:
        return field or ""
    found = spec.field(field)
    return found.label_vi if current_language() == "vi" else found.label_en


def field_value(kind: str, field: str, value: str) -> str:
    """Show a value given for the whole file; a date as dd/mm/yyyy."""
    spec = KINDS.get(kind)
    if spec is not None and field in spec.by_name and spec.field(field).type == DATE:
        return day(value)
    return value


def in_language(english: str | None, vietnamese: str | None) -> str:
    """Pick the current language's text of a bilingual pair stored with the data."""
    chosen = vietnamese if current_language() == "vi" else english
    return chosen or english or vietnamese or ""


@bp.get("/upload")
def upload() -> str:
    """Show the upload form and the officer's latest uploads."""
    who = require("import.upload")
    return _form_page(UploadForm(), who)


@bp.post("/upload")
def submit() -> Response | tuple[str, int]:
    """Save the file under a random name, queue its import and show its progress."""
    who = require("import.upload")
    form = UploadForm()
    if not form.validate_on_submit():
        return _form_page(form, who), 422
    upload = form.file.data
    original = _plain_name(upload.filename or "")
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{secrets.token_hex(16)}{Path(original).suffix.lower()}"
    upload.save(stored)
    job = job_submit(
        db(),
        who,
        file_name=original,
        stored_path=str(stored),
        kind=form.kind.data,
        profile=form.profile.data or None,
        settings=form.fixed_values(),
    )
    db().commit()
    _runner().submit(job.id)
    return redirect(url_for("upload.job", job_id=job.id))


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> Response | str:
    """Show a job's progress; once it is in, go to the import it became."""
    who = require("import.upload")
    view = _job(who, job_id)
    if view.finished and view.source_file_id is not None:
        if view.outcome == import_jobs.ALREADY:
            flash(_("This file was imported before; nothing changed."), "warning")
        return redirect(url_for("upload.import_detail", import_id=view.source_file_id))
    rows = _runner().rows(job_id)
    return render_template(
        "upload/job.html", job=view, percent=view.percent(rows), label=_label(view, rows)
    )


@bp.get("/jobs/<int:job_id>.json")
def job_json(job_id: int) -> Response:
    """Report a job's progress to its page: percent, label, finished and where to go next."""
    who = require("import.upload")
    view = _job(who, job_id)
    rows = _runner().rows(job_id)
    return jsonify(
        percent=view.percent(rows),
        label=_label(view, rows),
        finished=view.finished,
        status=view.state,
        next=url_for("upload.job", job_id=job_id),
    )


@bp.get("/imports")
def imports() -> str:
    """List imports, newest first, a page at a time."""
    who = require("import.view")
    page = request.args.get("page", 1, type=int) or 1
    history = import_history(db(), who, page, int(current_app.config["PAGE_SIZE"]))
    return render_template("upload/imports.html", history=history)


@bp.get("/imports/<int:import_id>", endpoint="import_detail")
def import_page(import_id: int) -> str:
    """Show an import's result: counts, header and mapping, the first rejected rows, and for a
    stock file the products that matched no drug identity."""
    who = require("import.view")
    detail = import_detail(db(), who, import_id)  # checks the permission and that it exists
    unmatched = unmatched_items(db(), import_id) if detail.row.kind == STOCK_REPORTS else None
    return render_template("upload/import.html", detail=detail, unmatched=unmatched)


@bp.get("/imports/<int:import_id>/errors.xlsx", endpoint="import_errors")
def import_errors_xlsx(import_id: int) -> Response:
    """Download every row error beside the row's original values."""
    who = require("import.view")
    errors = import_errors(db(), who, import_id)
    detail = import_detail(db(), who, import_id)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "errors.xlsx"
        write_errors_xlsx(errors, path)
        data = path.read_bytes()
    return _attachment(Response(data, mimetype=XLSX), f"{Path(detail.row.name).stem}-errors.xlsx")


@bp.get("/imports/<int:import_id>/file", endpoint="import_file")
def import_original_file(import_id: int) -> Response:
    """Download the file as it was uploaded, under its own name."""
    who = require("import.view")
    original = import_original(db(), who, import_id)
    kind = mimetypes.guess_type(original.name)[0] or "application/octet-stream"
    response = Response(_blocks(original.path), mimetype=kind)
    response.content_length = original.path.stat().st_size
    return _attachment(response, original.name)


@bp.get("/imports/<int:import_id>/withdraw", endpoint="import_withdraw")
def import_withdraw_confirm(import_id: int) -> str:
    """Ask before withdrawing an import."""
    who = require("import.withdraw")
    detail = import_detail(db(), who, import_id)
    if not detail.can_withdraw:
        abort(403)
    return render_template("upload/withdraw.html", detail=detail, form=ConfirmForm())


@bp.post("/imports/<int:import_id>/withdraw", endpoint="import_withdraw_post")
def import_withdraw_post(import_id: int) -> Response:
    """Withdraw an import: its lines leave the database, its record stays, marked."""
    who = require("import.withdraw")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    detail = import_detail(db(), who, import_id)
    if detail.row.status == source_files.WITHDRAWN:
        flash(_("This import was withdrawn already."), "warning")
        return redirect(url_for("upload.import_detail", import_id=import_id))
    removed = import_withdraw(db(), who, import_id)
    db().commit()
    lines = sum(n for name, n in removed.items() if name not in ("row_errors", "flags_closed"))
    flash(_("Import withdrawn: %(count)s lines removed.", count=number(lines)), "success")
    return redirect(url_for("upload.import_detail", import_id=import_id))


def _form_page(form: UploadForm, who: Actor) -> str:
    return render_template(
        "upload/upload.html",
        form=form,
        jobs=job_list(db(), who),
        limit=current_app.config.get("MAX_CONTENT_LENGTH"),
    )


def _job(who: Actor, job_id: int) -> import_jobs.JobView:
    """Return a job; one this process is not running may be found interrupted and failed."""
    alive = _runner().owns(job_id)
    view = job_status(db(), who, job_id, None if alive else stale_after(current_app))
    db().commit()
    return view


def _label(view: import_jobs.JobView, live: int | None) -> str:
    if view.state in ("refused", "failed"):
        return in_language(view.message_en, view.message_vi) or _("The import failed.")
    if view.finished:
        return _("Finished.")  # what the rules found is not the uploader's to see
    if view.status == "queued":
        return _("Waiting for a free import worker…")
    if view.message_en:
        return in_language(view.message_en, view.message_vi)
    rows = view.rows_done if live is None else live
    if not rows and not view.rows_total:
        return _("Opening the file…")
    if view.rows_total:
        return _(
            "%(done)s of about %(total)s rows read…",
            done=number(rows),
            total=number(view.rows_total),
        )
    return _("%(done)s rows read…", done=number(rows))


def _plain_name(filename: str) -> str:
    """Keep the name the officer sees (Vietnamese letters too), without any folder part or
    control character (PostgreSQL refuses a NUL in text)."""
    printable = "".join(c for c in filename if unicodedata.category(c) != "Cc")
    name = printable.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "upload"


def _blocks(path: Path) -> Iterator[bytes]:
    """Stream a file; it is opened only when the response is sent, and closed after."""
    with path.open("rb") as handle:
        while block := handle.read(1 << 16):
            yield block


def _attachment(response: Response, name: str) -> Response:
    """Name the download; a Vietnamese name travels as RFC 5987 UTF-8 beside an ASCII one."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    options = {"filename": ascii_name.replace("\\", "_").replace('"', "_") or "download"}
    if ascii_name != name:
        options["filename*"] = f"UTF-8''{quote(name, safe='')}"
    response.headers.set("Content-Disposition", "attachment", **options)
    return response


def _runner() -> ImportRunner:
    return current_app.extensions["import_runner"]
