"""The stock pages in a real browser: an auditor's stock-risk table, the public summary, the
scheduler's runs for an administrator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from procurement.db import session_factory
from procurement.models import JobRun
from procurement.services import public_cache
from tests.web.browser.conftest import screenshot
from tests.web.conftest import PASSWORD
from tests.web.stock_world import FACILITY_A, build


def _sign_in(page, base: str, role: str, landing: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/sign-in")
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{landing}")
    with page.expect_navigation():
        page.click("text=English")


def _watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Collect console errors (a CSP violation is one) and failed requests (but those a
    navigation cut short: leaving a page aborts what it was still loading)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "requestfailed",
        lambda r: None if "ERR_ABORTED" in (r.failure or "") else problems.append(r.url),
    )
    return problems


def test_an_auditor_filters_the_stock_risk_table_and_follows_a_flag(
    app: Flask, live_server: str, page
) -> None:  # type: ignore[no-untyped-def]
    public_cache.clear()
    ids = build(session_factory(app.config["DATABASE_URL"]))
    problems = _watch(page)
    _sign_in(page, live_server, "auditor", "/review")
    page.click("nav.mainnav >> text=Stock")
    assert page.url.endswith("/review/stock")
    table = page.locator("table.stock-risk tbody tr")
    assert table.count() == 8
    assert table.first.locator(".band").first.inner_text() == "Stocked out"
    screenshot(page, "60-stock-risk")

    page.select_option("#category", "vaccine")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/review/stock?**category=vaccine**")
    assert table.count() == 2
    spark = table.first.locator("svg.sparkline")
    assert spark.is_visible()
    box = spark.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 20
    assert spark.locator("polyline").count() == 1
    assert "VX-BCG" in table.first.inner_text()
    screenshot(page, "61-stock-risk-vaccines")

    page.click("form.filters a.button")  # show all
    para = page.locator("table.stock-risk tbody tr", has_text="PARA500").first
    assert FACILITY_A in para.inner_text()
    para.locator("a.flag-link", has_text="STK-01").click()
    page.wait_for_url(f"{live_server}/flags/{ids['flag_stockout']}")
    assert "STK-01" in page.content()
    screenshot(page, "62-stock-flag")
    with page.expect_navigation():
        page.click("text=Tiếng Việt")
    page.goto(f"{live_server}/review/stock")
    assert page.locator("h1").inner_text() == "Rủi ro tồn kho"
    screenshot(page, "66-stock-risk-vi")
    assert problems == []


def test_a_visitor_reads_the_stock_security_summary(app: Flask, live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    public_cache.clear()
    build(session_factory(app.config["DATABASE_URL"]))
    problems = _watch(page)
    page.goto(f"{live_server}/stock")  # Vietnamese, as every visitor first sees it
    assert page.locator("h1").inner_text() == "Bảo đảm nguồn cung thuốc và vắc xin"
    screenshot(page, "63-public-stock-vi")
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.click("text=English")
    overview = page.locator("svg#chart-stock-overview")
    assert overview.is_visible() and overview.locator("polyline").count() == 4
    page.locator("section.public-stock-block").screenshot(
        path=str(screenshot(page, "63-public-home").with_name("63-public-home-stock.png"))
    )
    page.click("nav.mainnav >> text=Stock security")
    assert page.url.endswith("/stock")
    charts = page.locator("svg.public-chart")
    assert charts.count() == 2
    for n in range(2):
        chart = charts.nth(n)
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert chart.locator("circle.point").count() > 0
        assert chart.locator("polyline.share-line").count() >= 1
    assert "Vaccines" in page.locator("h2").first.inner_text()  # vaccines first
    page.locator("details.chart-table summary").first.click()
    assert page.locator("details.chart-table table").first.is_visible()
    screenshot(page, "64-public-stock")
    assert FACILITY_A not in page.content()
    assert problems == []


def test_an_administrator_reads_the_scheduler_runs(app: Flask, live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        session.add_all([
            JobRun(job="stock", trigger="schedule", scheduled_for=start, started_at=start,
                   finished_at=start + timedelta(seconds=42), status="succeeded", new=4,
                   unchanged=118, updated=3, closed=2, host="monitor-1:3117",
                   alerts="E-mail digest sent to 2 recipients; webhook answered 200"),
            JobRun(job="full", trigger="catch-up", scheduled_for=start - timedelta(hours=5),
                   started_at=start - timedelta(hours=4), status="failed",
                   finished_at=start - timedelta(hours=4) + timedelta(minutes=2),
                   error="Traceback (most recent call last):\n  File \"rules/engine/runner.py\"\n"
                         "OperationalError: could not connect to server"),
            JobRun(job="stock", trigger="manual", scheduled_for=start - timedelta(days=1),
                   started_at=start - timedelta(days=1), status="running"),
        ])  # fmt: skip
    problems = _watch(page)
    _sign_in(page, live_server, "admin", "/admin/users")
    page.click("nav.mainnav >> text=Scheduler")
    assert page.url.endswith("/admin/scheduler")
    assert page.locator("table.runs tbody tr").count() == 3
    page.locator("details.run-error summary").click()
    assert page.locator("details.run-error pre").is_visible()
    screenshot(page, "65-admin-scheduler")
    assert problems == []
