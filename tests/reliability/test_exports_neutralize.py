"""Cells that start with = + - @ come out of every export as text Excel will not run.

The corpus file with formula-like names and suppliers (one line flagged, one row rejected) is
imported through the command line; then every download an officer, auditor or visitor can take
is opened as Excel would open it: no cell is a formula and no text starts a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from procurement.cli import main
from procurement.db import session_factory
from procurement.models import Flag
from procurement.services.flag_review import CONFIRMED
from procurement.services.tabular import FORMULA_STARTS
from tests.reliability.corpus import FORMULAS, by_id
from tests.web.conftest import app, login_as, token  # noqa: F401  (fixtures used here)

COMMENT = '=HYPERLINK("http://evil.example","xem") giá cao hơn kế hoạch'


def assert_inert(cells: Iterable[object], where: str) -> list[str]:
    """Assert no text starts a formula; return the texts (the neutralized ones included)."""
    texts = [str(c) for c in cells if isinstance(c, str)]
    armed = [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert not armed, f"{where}: {armed}"
    return texts


def csv_cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def xlsx_cells(data: bytes, where: str) -> list[object]:
    """Return every cell value of every sheet, asserting none is a formula."""
    book = load_workbook(io.BytesIO(data))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: {cell.coordinate} is a formula"
                values.append(cell.value)
    return values


def assert_neutralized(texts: list[str], expected: Iterable[str], where: str) -> None:
    """Assert each formula-like text is there, behind an apostrophe."""
    for text in expected:
        assert "'" + text in texts, f"{where}: {text!r} missing"


@pytest.fixture
def imported(runner: CliRunner, tmp_path: Path) -> int:  # type: ignore[no-untyped-def]
    """Import the formula-like corpus file; return its import id."""
    path = by_id("formula-text-cells").build(tmp_path / "corpus")
    result = runner.invoke(main, ["import", str(path)])
    assert result.exit_code == 0 and "imported as #1" in result.output, result.output
    return 1


def test_cli_award_exports(runner: CliRunner, imported: int, tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"awards.{fmt}"
        result = runner.invoke(main, ["export", "awards", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
    texts = assert_inert(csv_cells((tmp_path / "awards.csv").read_bytes()), "awards.csv")
    assert_neutralized(texts, FORMULAS, "awards.csv")
    data = (tmp_path / "awards.xlsx").read_bytes()
    texts = assert_inert(xlsx_cells(data, "awards.xlsx"), "awards.xlsx")
    assert_neutralized(texts, FORMULAS, "awards.xlsx")
    lines = json.loads((tmp_path / "awards.json").read_text(encoding="utf-8"))
    assert {line["product_name"] for line in lines} == set(FORMULAS)  # JSON keeps data exact


def test_cli_error_report(runner: CliRunner, imported: int, tmp_path: Path) -> None:
    out = tmp_path / "errors.xlsx"
    result = runner.invoke(main, ["errors", str(imported), "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = assert_inert(xlsx_cells(out.read_bytes(), "errors.xlsx"), "errors.xlsx")
    assert_neutralized(texts, ["=1+1"], "errors.xlsx")  # the rejected price, as typed


def test_web_downloads(
    imported: int,
    app: Flask,  # noqa: F811
    login_as: Callable[[str], FlaskClient],  # noqa: F811
) -> None:
    officer, auditor, visitor = login_as("officer"), login_as("auditor"), app.test_client()
    with session_factory(app.config["DATABASE_URL"])() as session:
        flag = session.scalars(select(Flag.id).where(Flag.rule == "PRC-01")).first()
    assert flag is not None
    before = [
        (officer, f"/imports/{imported}/errors.xlsx", ["=1+1"]),
        (auditor, "/review/export.xlsx", [FORMULAS[0]]),
        (visitor, "/open-data/awards.csv", list(FORMULAS)),
        (visitor, "/open-data/awards.xlsx", list(FORMULAS)),
    ]
    after = [  # once an auditor confirms with a comment that may start a formula too
        (auditor, "/review/export.xlsx?status=confirmed", [FORMULAS[0]]),
        (visitor, "/open-data/confirmed-flags.csv", [COMMENT]),
    ]
    for client, url, expected in before:
        assert_download_neutralized(client, url, expected)
    form = {"decision": CONFIRMED, "comment": COMMENT, "csrf_token": token(auditor, "/review")}
    assert auditor.post(f"/flags/{flag}/decide", data=form).status_code == 302
    for client, url, expected in after:
        assert_download_neutralized(client, url, expected)


def assert_download_neutralized(client: FlaskClient, url: str, expected: list[str]) -> None:
    """Download a CSV or a workbook and check every cell of it."""
    response = client.get(url)
    assert response.status_code == 200, url
    if url.split("?")[0].endswith(".csv"):
        cells: list[object] = list(csv_cells(response.data))
    else:
        cells = xlsx_cells(response.data, url)
    assert_neutralized(assert_inert(cells, url), expected, url)
