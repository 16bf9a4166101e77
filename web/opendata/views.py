"""The open-data page and its downloads; every file is built once per data version."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from flask import Response, current_app, render_template, url_for
from werkzeug.exceptions import NotFound

from procurement.config import data_dir
from procurement.services.ocds import OCID_PREFIX, ocds_export
from procurement.services.open_data import cached_file, open_data_file
from procurement.services.public_cache import version_token
from web.database import db
from web.opendata import bp
from web.opendata.dictionary import DICTIONARIES
from web.opendata.targets import pack_targets

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLOCK = 256 * 1024


@bp.get("/open-data")
def index() -> str:
    """List the downloads, each with its data dictionary."""
    return render_template(
        "opendata/index.html", dictionaries=DICTIONARIES, ocid_prefix=OCID_PREFIX
    )


@bp.get("/open-data/awards.csv")
def awards_csv() -> Response:
    """Every award line as CSV."""
    return _download("awards.csv", CSV)


@bp.get("/open-data/awards.xlsx")
def awards_xlsx() -> Response:
    """Every award line as an Excel workbook."""
    return _download("awards.xlsx", XLSX)


@bp.get("/open-data/domestic-shares.csv")
def shares_csv() -> Response:
    """Domestic shares of every buyer, province, level and the nation, per year."""
    return _download("domestic-shares.csv", CSV)


@bp.get("/open-data/confirmed-flags.csv")
def flags_csv() -> Response:
    """Confirmed flags with the auditor's public comment."""
    return _download("confirmed-flags.csv", CSV)


@bp.get("/open-data/ocds.json")
def ocds() -> Response:
    """The OCDS 1.1 release package: one release per tender."""
    uri = url_for("opendata.ocds", _external=True)
    path = cached_file(
        _folder(), "ocds.json", version_token(db()), lambda p: ocds_export(db(), p, uri)
    )
    return _stream(path, "application/json", None)


@bp.get("/open-data/<dataset>-dictionary.csv")
def dictionary(dataset: str) -> Response:
    """A download's data dictionary as CSV: column, meaning, type, unit."""
    entries = DICTIONARIES.get(dataset)
    if entries is None:
        raise NotFound()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["column", "meaning", "type", "unit"])
    for column, meaning, kind, unit in entries:
        writer.writerow([column, str(meaning), kind, str(unit)])
    response = Response("\ufeff" + text.getvalue(), mimetype=CSV)
    name = f"{dataset}-dictionary.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _download(name: str, mimetype: str) -> Response:
    path = open_data_file(db(), _folder(), name, pack_targets())
    return _stream(path, mimetype, name)


def _stream(path: Path, mimetype: str, attachment: str | None) -> Response:
    """Send a file in blocks (opened when the first block is asked for, closed after)."""

    def blocks() -> Iterator[bytes]:
        with path.open("rb") as handle:
            while block := handle.read(BLOCK):
                yield block

    response = Response(blocks(), mimetype=mimetype)
    response.headers["Content-Length"] = str(path.stat().st_size)
    if attachment:
        response.headers["Content-Disposition"] = f'attachment; filename="{attachment}"'
    return response


def _folder() -> Path:
    return Path(current_app.config.get("OPEN_DATA_FOLDER") or data_dir() / "open-data")
