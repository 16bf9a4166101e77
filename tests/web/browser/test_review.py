"""Reviewing flags in a real browser: the queue, a price flag's page, a decision, a bulk one."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from procurement.db import session_factory
from procurement.models import Flag, FlagHistory
from tests.procurement.flag_world import market
from tests.web.browser.conftest import screenshot
from tests.web.conftest import PASSWORD


def _sign_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/sign-in")
    page.fill("#username", "auditor")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/review")
    page.click("text=English")


def test_an_auditor_reviews_a_price_flag_and_decides_in_bulk(
    app: Flask, live_server: str, page
) -> None:  # type: ignore[no-untyped-def]
    sessions = session_factory(app.config["DATABASE_URL"])
    with sessions() as session, session.begin():
        market(session)
        flag_id = session.scalars(
            select(Flag.id).where(Flag.rule == "PRC-02").order_by(Flag.id)
        ).first()
    _sign_in(page, live_server)
    page.goto(f"{live_server}/review?rule=PRC-02")
    screenshot(page, "10-review-queue")
    page.goto(f"{live_server}/flags/{flag_id}")
    assert page.locator(".chart svg g.flagged-price").count() == 1
    screenshot(page, "11-price-flag")
    page.click("#decision button[value=confirmed]")  # no comment: the browser refuses
    assert page.url.endswith(f"/flags/{flag_id}")
    page.fill("#comment", "Paid well above every peer")
    page.click("#decision button[value=confirmed]")
    page.wait_for_load_state()
    assert "Paid well above every peer" in page.locator("table.history").inner_text()
    page.goto(f"{live_server}/review?rule=PRC-02&sort=id")
    page.check("input[data-select-all=ids]")  # ticks every flag on the page
    ticked = page.locator("input[name=ids]:checked").count()
    page.fill("#bulk-comment", "Same supplier, same week")
    page.click("fieldset.bulk button[value=dismissed]")
    page.wait_for_load_state()
    screenshot(page, "12-after-bulk-decision")
    with sessions() as session:
        comments = session.scalars(
            select(FlagHistory.comment).where(FlagHistory.comment == "Same supplier, same week")
        ).all()
        confirmed = session.get(Flag, flag_id)
    assert len(comments) == ticked > 1
    assert confirmed is not None and confirmed.status == "confirmed"  # not on the open page
