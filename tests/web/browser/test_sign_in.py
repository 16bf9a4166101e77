"""Signing in with a real browser: the form, a wrong password, the language switch."""

from __future__ import annotations

from tests.web.browser.conftest import screenshot
from tests.web.conftest import PASSWORD


def test_an_auditor_signs_in_and_switches_to_english(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/sign-in")
    screenshot(page, "01-sign-in")
    page.fill("#username", "auditor")
    page.fill("#password", "not the password")
    page.click("main button[type=submit]")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.content()
    page.fill("#username", "auditor")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/review")
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.mainnav").inner_text().split() == [
        "Imports",
        "Review",
        "Stock",
        "Rules",
    ]
    screenshot(page, "02-review-in-english")
