"""Uploading in a real browser: the form, the progress page's polling, the result, withdrawal."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from tests.importers.published import AUGMENTIN, PARACETAMOL, hospital_list, save_xlsx
from tests.web.browser.conftest import screenshot
from tests.web.conftest import PASSWORD


def test_an_officer_uploads_follows_the_import_and_withdraws_it(
    live_server: str, page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    lines = [replace(PARACETAMOL, price=420, planned=400), AUGMENTIN, replace(AUGMENTIN, price="x")]
    path = save_xlsx(tmp_path / "Danh mục.xlsx", {"DS": hospital_list({"I": lines})})
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server}/sign-in")
    page.fill("#username", "officer")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.click("text=English")
    page.goto(f"{live_server}/upload")
    page.select_option("#kind", "reference-prices")
    assert page.locator("#profile option[value=hospital-result-list]").is_hidden()
    page.select_option("#kind", "awards")
    page.set_input_files("#file", str(path))
    screenshot(page, "20-upload-form")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+$"), timeout=60_000)  # the progress page moved on
    assert "Rejected rows" in page.content()
    screenshot(page, "21-import-result")
    page.click("text=Withdraw this import")
    screenshot(page, "22-withdraw-confirmation")
    page.once("dialog", lambda dialog: dialog.dismiss())  # data-confirm asks; "no" keeps it
    page.click("main button[type=submit]")
    assert "/withdraw" in page.url
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    assert "Import withdrawn" in page.content()
    page.goto(f"{live_server}/imports")
    assert page.locator("table.data tbody tr .badge.withdrawn").count() == 1
    screenshot(page, "23-import-history")
    assert errors == []  # no CSP violation, no script error
