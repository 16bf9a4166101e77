"""Auditors' pages: the queue, a flag's page, decisions and the Excel export, as a browser
uses them."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from procurement.db import session_factory
from procurement.models import Flag, FlagHistory
from tests.procurement.flag_world import market
from tests.web.conftest import token


def _sessions(app: Flask):  # type: ignore[no-untyped-def]
    return session_factory(app.config["DATABASE_URL"])


@pytest.fixture
def price_flag(app: Flask) -> int:
    """A generated market checked by the whole pack; return a PRC-02 flag's id."""
    with _sessions(app)() as session, session.begin():
        market(session)
        return session.scalars(
            select(Flag.id).where(Flag.rule == "PRC-02").order_by(Flag.id)
        ).first()


def _history(app: Flask, flag_id: int) -> list[tuple]:
    with _sessions(app)() as session:
        rows = session.execute(
            select(FlagHistory.actor, FlagHistory.to_status, FlagHistory.comment)
            .where(FlagHistory.flag_id == flag_id)
            .order_by(FlagHistory.id)
        )
        return [tuple(r) for r in rows]


def _status(app: Flask, flag_id: int) -> str:
    with _sessions(app)() as session:
        return session.get(Flag, flag_id).status  # type: ignore[union-attr]


def _flag_links(html: str) -> list[int]:
    return [int(n) for n in dict.fromkeys(re.findall(r'href="/flags/(\d+)"', html))]


def _hidden_fields(html: str, action: str) -> dict[str, str]:
    """Return the hidden inputs of the page's form posting to `action`, as a browser sends them."""
    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    fields = re.findall(r'<input[^>]*type="hidden"[^>]*>', form)
    found = {}
    for field in fields:
        name = re.search(r'name="([^"]+)"', field)
        value = re.search(r'value="([^"]*)"', field)
        assert name is not None
        found[name.group(1)] = value.group(1).replace("&amp;", "&") if value else ""
    return found


def _count(html: str, badge: str) -> int:
    """Read a count off the queue's counters (the number beside a status or severity badge)."""
    found = re.search(
        rf'<span class="value">([\d.]+)</span><span class="label"><span class="badge {badge}">',
        html,
    )
    assert found, f"no {badge} counter"
    return int(found.group(1).replace(".", ""))


def test_the_queue_lists_open_flags_with_badges_counts_and_no_inline_style(
    login_as, world: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    page = login_as("auditor").get("/review?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _flag_links(html) == [world["flag"]]
    assert 'class="badge high"' in html and 'class="badge open"' in html
    assert "PRC-01" in html and "420 ₫" in html  # the price paid, as money
    assert 'style="' not in html and "<script>" not in html  # the CSP would block them


def test_filters_sorting_and_pages_work_through_links(
    app: Flask, login_as, price_flag: int
) -> None:  # type: ignore[no-untyped-def]
    app.config["PAGE_SIZE"] = 10
    client = login_as("auditor")
    with _sessions(app)() as session:
        prc02 = session.scalars(
            select(Flag.id)
            .where(Flag.rule == "PRC-02", Flag.status == "open")
            .order_by(Flag.id.desc())
        ).all()
    first = client.get("/review?rule=PRC-02&sort=-id").get_data(as_text=True)
    assert _flag_links(first) == list(prc02[:10])
    assert _count(first, "open") == len(prc02)
    second = client.get("/review?rule=PRC-02&sort=-id&page=2").get_data(as_text=True)
    assert _flag_links(second) == list(prc02[10:20])
    assert 'href="/review?rule=PRC-02&amp;sort=-id&amp;page=3"' in second  # next keeps the filter
    ascending = client.get("/review?rule=PRC-02&sort=id").get_data(as_text=True)
    assert _flag_links(ascending)[0] == min(prc02)
    header_link = re.search(r'href="([^"]*sort=id[^"]*)"', first)
    assert header_link is not None  # clicking the # header again reverses the order
    unknown_year = client.get("/review?rule=PRC-02&sort=-id&year=1999")
    assert unknown_year.status_code == 200  # a year not offered is ignored, not an error
    assert _flag_links(unknown_year.get_data(as_text=True)) == list(prc02[:10])
    text = client.get("/review?q=no+such+words+anywhere").get_data(as_text=True)
    assert _flag_links(text) == []


def test_the_flag_page_shows_why_the_evidence_and_the_original_row(
    login_as, world: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("auditor")
    html = client.get(f"/flags/{world['flag']}").get_data(as_text=True)
    row = html[html.index('class="data original-row"') :]
    row = row[: row.index("</table>")]
    assert "<td>B</td><td>Tên thuốc</td><td>Hapacol 500</td>" in row  # under the file's header
    assert "<td>O</td><td>Giá (VND) / Đơn giá trúng thầu</td><td>420</td>" in row
    assert "420 ₫" in html and "400 ₫" in html  # paid and planned, as money
    assert f'href="/imports/{world["import"]}/file"' in html
    assert "rules-engine" in html  # the history's first entry
    assert 'style="' not in html


def test_a_price_flag_page_draws_the_peer_prices_with_this_price_marked(
    app: Flask, login_as, price_flag: int
) -> None:  # type: ignore[no-untyped-def]
    with _sessions(app)() as session:
        flag = session.get(Flag, price_flag)
        assert flag is not None
        price, peers = flag.evidence["standard_unit_price"], flag.evidence["peer_count"]
    html = login_as("auditor").get(f"/flags/{price_flag}").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="flagged-price"' in svg and f'data-price="{price:g}"' in svg
    assert svg.count("<circle") >= peers  # every peer, plus the legend's dot
    assert 'class="median"' in svg and 'class="fence"' in svg and 'class="iqr"' in svg
    assert "₫" in svg and 'style="' not in svg


def test_deciding_needs_a_comment_and_lands_in_the_history(
    app: Flask, login_as, world: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    client = login_as("auditor")
    url = f"/flags/{world['flag']}"
    form = _hidden_fields(client.get(url).get_data(as_text=True), f"{url}/decide")
    assert set(form) == {"csrf_token"}  # the decision comes from the button pressed
    refused = client.post(f"{url}/decide", data={**form, "decision": "confirmed"})
    assert refused.status_code == 400
    assert _status(app, world["flag"]) == "open" and len(_history(app, world["flag"])) == 1
    done = client.post(
        f"{url}/decide",
        data={**form, "decision": "confirmed", "comment": "Paid above the plan"},
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert _status(app, world["flag"]) == "confirmed"
    assert _history(app, world["flag"])[-1] == ("auditor", "confirmed", "Paid above the plan")
    assert "Paid above the plan" in done.get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_only_auditors_can_decide(app: Flask, login_as, world: dict[str, int], role: str) -> None:  # type: ignore[no-untyped-def]
    client = login_as(role)
    data = {
        "decision": "dismissed",
        "comment": "not mine to judge",
        "csrf_token": token(client, "/"),
    }
    assert client.post(f"/flags/{world['flag']}/decide", data=data).status_code == 403
    data["ids"] = str(world["flag"])
    assert client.post("/review/decide", data=data).status_code == 403
    assert _status(app, world["flag"]) == "open"
    if role == "admin":  # an admin reads the flag but is shown no decision buttons
        html = client.get(f"/flags/{world['flag']}").get_data(as_text=True)
        assert 'value="confirmed"' not in html


def test_bulk_decision_on_ticked_flags(app: Flask, login_as, price_flag: int) -> None:  # type: ignore[no-untyped-def]
    client = login_as("auditor")
    html = client.get("/review?rule=PRC-02&sort=id").get_data(as_text=True)
    ticked = _flag_links(html)[:3]
    data = {
        **_hidden_fields(html, "/review/decide"),
        "ids": [str(i) for i in ticked],
        "decision": "escalated",
        "comment": "Three outliers from one supplier",
    }
    refused = client.post("/review/decide", data={**data, "comment": ""})
    assert refused.status_code == 302 and all(_status(app, i) == "open" for i in ticked)
    response = client.post("/review/decide", data=data)
    assert response.headers["Location"] == "/review?rule=PRC-02&sort=id"
    assert [_status(app, i) for i in ticked] == ["escalated"] * 3
    assert _history(app, ticked[0])[-1] == (
        "auditor",
        "escalated",
        "Three outliers from one supplier",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _count(page, "escalated") == 3
    assert ticked[0] not in _flag_links(page)  # the queue shows open flags by default
    escalated = client.get("/review?status=escalated").get_data(as_text=True)
    assert set(ticked) <= set(_flag_links(escalated))


def test_the_export_downloads_the_current_filter(app: Flask, login_as, price_flag: int) -> None:  # type: ignore[no-untyped-def]
    response = login_as("auditor").get("/review/export.xlsx?rule=PLN-01&status=")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Flags", "Evidence"]
    rules = {row[1] for row in book["Flags"].iter_rows(min_row=2, values_only=True)}
    assert rules == {"PLN-01"}
    with _sessions(app)() as session:
        count = len(session.scalars(select(Flag.id).where(Flag.rule == "PLN-01")).all())
    assert book["Flags"].max_row == count + 1


def test_a_missing_flag_is_a_404(login_as) -> None:  # type: ignore[no-untyped-def]
    assert login_as("auditor").get("/flags/999999").status_code == 404


def test_a_flag_page_opens_for_every_rule_that_fired(app: Flask, login_as, price_flag: int) -> None:  # type: ignore[no-untyped-def]
    client = login_as("auditor")
    with _sessions(app)() as session:
        firsts = session.execute(
            select(Flag.rule, Flag.id, Flag.message_vi).order_by(Flag.id)
        ).all()
    seen: dict[str, tuple[int, str]] = {}
    for rule, flag_id, message in firsts:
        seen.setdefault(rule, (flag_id, message))
    assert {"DOM-01", "PLN-01", "PRC-02"} <= seen.keys()
    for rule, (flag_id, message) in seen.items():
        page = client.get(f"/flags/{flag_id}")
        assert page.status_code == 200, rule
        html = page.get_data(as_text=True)
        assert message.replace("&", "&amp;") in html.replace("&#39;", "'"), rule
        assert ("<svg" in html) == (rule != "DOM-01"), rule  # PLN-01 and PRC-02 are prices
