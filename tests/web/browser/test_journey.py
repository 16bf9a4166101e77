"""The issue's journey in a real Chromium: an officer uploads a list with bad rows and reads the
errors; an auditor opens the flag the upload raised, sees its chart, confirms it with a comment
and exports the queue to Excel, which openpyxl reads back."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from flask import Flask
from openpyxl import load_workbook

from procurement.db import session_factory
from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from tests.importers.published import AUGMENTIN, PARACETAMOL, hospital_list, save_xlsx
from tests.web.browser.conftest import screenshot
from tests.web.conftest import PASSWORD


def _sign_in(page, base: str, role: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/sign-in")
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("header form[action$='/sign-out'] button")
    page.wait_for_url(re.compile(r"/sign-in$"))


def test_upload_then_review_then_export(app: Flask, live_server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        store_lines(session, "market.xlsx", award_lines(seed=5, n=3_000))  # the flag's peers
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    lines = [
        replace(PARACETAMOL, price=420, planned=400),  # awarded above its planned price: PRC-01
        AUGMENTIN,
        replace(AUGMENTIN, quantity="mười hai"),  # text in a number column: a rejected row
    ]
    path = save_xlsx(tmp_path / "Kết quả trúng thầu.xlsx", {"DS": hospital_list({"I": lines})})

    _sign_in(page, live_server, "officer")
    page.goto(f"{live_server}/upload")
    page.set_input_files("#file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+$"), timeout=60_000)
    result = page.content()
    assert "mười hai" in result  # the rejected row, with its value and reason
    screenshot(page, "30-journey-import-result")
    with page.expect_download() as download:
        page.click("a[href$='/errors.xlsx']")
    report = tmp_path / "errors.xlsx"
    download.value.save_as(report)
    cells = [c for row in load_workbook(report).active.iter_rows(values_only=True) for c in row]
    assert "mười hai" in cells
    _sign_out(page)

    _sign_in(page, live_server, "auditor")
    page.goto(f"{live_server}/review?rule=PRC-01")
    screenshot(page, "31-journey-queue")
    page.click("table.data tbody tr a[href*='/flags/']")
    page.wait_for_url(re.compile(r"/flags/\d+$"))
    chart = page.locator(".chart svg")
    assert chart.count() == 1 and chart.locator("circle, rect, line").count() > 0
    screenshot(page, "32-journey-flag")
    page.fill("#comment", "Giá trúng thầu vượt giá kế hoạch 5%")
    page.click("button[value=confirmed]")
    page.wait_for_load_state()
    assert "Giá trúng thầu vượt giá kế hoạch 5%" in page.locator("table.history").inner_text()
    screenshot(page, "33-journey-confirmed")

    page.goto(f"{live_server}/review?rule=PRC-01&status=confirmed")
    with page.expect_download() as download:
        page.click("a[href*='/review/export.xlsx']")
    exported = tmp_path / "flags.xlsx"
    download.value.save_as(exported)
    book = load_workbook(exported)
    flags = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(flags) == 2  # the header and the confirmed flag
    assert any(cell == "PRC-01" for cell in flags[1]) and "confirmed" in [str(c) for c in flags[1]]
    assert book.worksheets[1].max_row > 1  # its evidence
    assert problems == []  # no CSP violation, no script error
