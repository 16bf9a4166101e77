"""The public pages in a real browser: a visitor follows links and sees drawn charts."""

from __future__ import annotations

from flask import Flask

from procurement.db import session_factory
from procurement.services import public_cache
from tests.procurement.public_world import PUBLIC_COMMENT, UPLOADER, build
from tests.web.browser.conftest import screenshot


def _charts_drawn(page, count: int) -> None:  # type: ignore[no-untyped-def]
    charts = page.locator("svg.public-chart")
    assert charts.count() == count
    for n in range(count):
        chart = charts.nth(n)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert chart.locator("rect.bar, circle, polyline").count() > 0


def test_a_visitor_reads_the_dashboard_a_medicine_a_buyer_and_the_domestic_ranking(
    app: Flask,
    live_server: str,
    page,  # type: ignore[no-untyped-def]
) -> None:
    public_cache.clear()
    ids = build(session_factory(app.config["DATABASE_URL"]))
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/")
    page.click("text=English")
    _charts_drawn(page, 2)
    assert page.locator("a[href='/sign-in']").count() == 1
    screenshot(page, "40-public-home")

    page.fill("#q", "paracetamol")
    page.click("form.public-search button")
    assert "/medicines?q=paracetamol" in page.url
    page.locator("table.medicines tbody a").first.click()
    assert "/medicines/" in page.url
    _charts_drawn(page, 2)
    assert page.locator("svg.public-chart line.median").count() == 1
    screenshot(page, "41-public-medicine")

    page.locator("table.lines tbody td a[href^='/buyers/']").first.click()
    assert "/buyers/" in page.url
    _charts_drawn(page, 2)
    screenshot(page, "42-public-buyer")
    page.goto(f"{live_server}/buyers/{ids['buyer']}")
    assert PUBLIC_COMMENT in page.content()
    page.locator("details.chart-table summary").first.click()
    assert page.locator("details.chart-table table").first.is_visible()
    screenshot(page, "43-public-buyer-flag")

    page.click("nav.mainnav >> text=Domestic production")
    assert page.url.endswith("/domestic")
    _charts_drawn(page, 2)
    assert page.locator("svg.public-chart line.target").count() == 2
    screenshot(page, "44-public-domestic")
    page.locator("table.data tbody a[href^='/provinces/']").first.click()
    assert "/provinces/" in page.url
    _charts_drawn(page, 2)

    page.click("nav.mainnav >> text=Confirmed flags")
    assert PUBLIC_COMMENT in page.content()
    screenshot(page, "45-public-flags")
    page.click("nav.mainnav >> text=Methodology")
    assert page.locator("article.method-rule").count() > 5
    screenshot(page, "46-public-methodology")
    assert UPLOADER not in page.content()
    assert problems == []
