"""The stock pages: the auditors' stock-risk table, the public summary, the scheduler's runs.

The series of tests/web/stock_world.py are inserted as rows; every band, month of stock and
projected month asserted here is worked out by hand in that module's table.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procurement.db import session_factory
from procurement.models import JobRun, SourceFile, StockReport
from procurement.services import public_cache
from procurement.services.public_stock import stock_security
from tests.web.conftest import token
from tests.web.stock_world import FACILITY_A, FACILITY_B, FLAG_MESSAGE, build

_ROW = re.compile(r'<tr class="band-row-([\w-]+)">(.*?)</tr>', re.S)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def stock(app: Flask) -> dict[str, Any]:
    """Return the ids of the stock world, built afresh (and the public cache emptied)."""
    public_cache.clear()
    return build(session_factory(app.config["DATABASE_URL"]))


def english(client: FlaskClient) -> FlaskClient:
    """Switch a client to English, as the header's button does."""
    client.post("/language/en", data={"csrf_token": token(client, "/"), "next": "/"})
    return client


def _text(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def rows(page: str) -> list[dict[str, str]]:
    """Return the stock-risk table's rows: band, facility, product, ..., flags (as text)."""
    names = ("facility", "product", "category", "period", "closing", "amc", "mos", "spark",
             "projected", "flags")  # fmt: skip
    found = []
    for band, body in _ROW.findall(page):
        cells = [_text(c) for c in _CELL.findall(body)][1:]
        found.append({"band": band, **dict(zip(names, cells, strict=True)), "html": body})
    return found


def _facility(row: dict[str, str]) -> str:
    return row["facility"].removesuffix(" Nghệ An")  # the province is under the name


def test_the_table_bands_every_series_with_its_amc_months_of_stock_and_projection(
    login_as, stock: dict[str, Any]
) -> None:
    auditor = english(login_as("auditor"))
    page = auditor.get("/review/stock").get_data(as_text=True)
    table = [
        (r["band"], r["facility"].split(" Nghệ An")[0], r["product"].split()[0]) for r in rows(page)
    ]
    assert table == [  # riskiest first; within a band the fewest months of stock first
        ("stocked-out", FACILITY_A, "PARA500"),
        ("stocked-out", FACILITY_A, "ORS"),
        ("below-emergency", FACILITY_A, "AMOX500"),
        ("below-minimum", FACILITY_A, "VX-BCG"),
        ("projected-stockout", FACILITY_B, "PARA500"),
        ("overstock", FACILITY_B, "AMOX500"),
        ("no-consumption", FACILITY_B, "VX-BCG"),
        ("ok", FACILITY_B, "ORS"),
    ]
    by_key = {(_facility(r), r["product"].split()[0]): r for r in rows(page)}
    figures = {key: (r["closing"], r["amc"], r["mos"], r["projected"]) for key, r in by_key.items()}
    assert figures == {
        (FACILITY_A, "PARA500"): ("0", "100,0", "0,0", "now"),
        # October's 100 used over 25 days with stock: N = 100 x 30 / 25 = 120;
        # AMC = (100 + 100 + 120) / 3 = 106,7; stock-out days make it a stock-out at 20 left
        (FACILITY_A, "ORS"): ("20", "106,7", "0,2", "now"),
        # AMC of the three months with consumption: (90 + 120 + 150) / 3 = 120; 30 / 120
        (FACILITY_A, "AMOX500"): ("30", "120,0", "0,2", "11/2026"),
        # 1.000 doses / 200 a month = 5 months, below the vaccines' minimum of 6
        (FACILITY_A, "VX-BCG"): ("1.000", "200,0", "5,0", "—"),
        # 250 - 100 a month: 150, 50, then -50 in the third month, January 2027
        (FACILITY_B, "PARA500"): ("250", "100,0", "2,5", "01/2027"),
        (FACILITY_B, "AMOX500"): ("100", "10,0", "10,0", "—"),
        (FACILITY_B, "VX-BCG"): ("500", "—", "—", "—"),  # no consumption: MOS undefined
        (FACILITY_B, "ORS"): ("400", "100,0", "4,0", "—"),
    }
    assert all(r["period"] == "10/2026" for r in rows(page))
    # the sparkline: the last four closings, the stock-out month a red dot
    para = by_key[(FACILITY_A, "PARA500")]["html"]
    assert para.count('<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"') == 1
    assert "07/2026: 300; 08/2026: 200; 09/2026: 100; 10/2026: 0" in para
    assert para.count('class="empty"') == 1
    assert 'class="stat' in page and "8 series match the filter." in page


def test_each_series_links_its_standing_stock_flags_only(login_as, stock: dict[str, Any]) -> None:
    page = login_as("auditor").get("/review/stock").get_data(as_text=True)
    table = rows(page)
    para = table[0]
    assert para["flags"] == "STK-01 STK-08"  # by evidence item_key, and by subject key prefix
    assert f'href="/flags/{stock["flag_stockout"]}"' in para["html"]
    assert f'href="/flags/{stock["flag_balance"]}"' in para["html"]
    assert f'href="/flags/{stock["flag_closed"]}"' not in page  # closed: the stock recovered
    assert all(r["flags"] == "–" for r in table[1:])  # B's paracetamol is another series


def test_a_stock_flag_page_leads_back_to_its_series(login_as, stock: dict[str, Any]) -> None:
    auditor = english(login_as("auditor"))
    flag_page = auditor.get(f"/flags/{stock['flag_stockout']}").get_data(as_text=True)
    link = flag_page.split("stock-risk table")[0].rsplit('href="', 1)[1].split('"')[0]
    assert link == f"/review/stock?facility={stock['A']}&amp;q=PARA500"
    table = rows(auditor.get(link.replace("&amp;", "&")).get_data(as_text=True))
    assert [r["product"].split()[0] for r in table] == ["PARA500"]  # A's paracetamol only
    assert f'href="/flags/{stock["flag_stockout"]}"' in table[0]["html"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "vaccine"}, {("below-minimum", "VX-BCG"), ("no-consumption", "VX-BCG")}),
        ({"band": "overstock"}, {("overstock", "AMOX500")}),
        ({"q": "paracetamol"}, {("stocked-out", "PARA500"), ("projected-stockout", "PARA500")}),
        ({"q": "VAC XIN"}, {("below-minimum", "VX-BCG"), ("no-consumption", "VX-BCG")}),
        ({"q": "ors", "band": "ok"}, {("ok", "ORS")}),
        (
            {"province": "nghe-an", "band": "stocked-out"},
            {("stocked-out", "PARA500"), ("stocked-out", "ORS")},
        ),
    ],
)
def test_the_filters_narrow_the_table(
    login_as, stock: dict[str, Any], query: dict[str, str], expected: set[tuple[str, str]]
) -> None:
    page = login_as("auditor").get("/review/stock", query_string=query).get_data(as_text=True)
    assert {(r["band"], r["product"].split()[0]) for r in rows(page)} == expected


def test_the_facility_filter_and_the_band_counts(login_as, stock: dict[str, Any]) -> None:
    auditor = english(login_as("auditor"))
    page = auditor.get("/review/stock", query_string={"facility": stock["B"]}).get_data(
        as_text=True
    )
    assert {_facility(r) for r in rows(page)} == {FACILITY_B}
    found = re.findall(r'<span class="value">(\d+)</span><span class="label"><span class="band '
                       r'band-([\w-]+)">', page)  # fmt: skip
    counts = {band: count for count, band in found}
    assert counts == {
        "stocked-out": "0", "below-emergency": "0", "below-minimum": "0",
        "projected-stockout": "1", "overstock": "1", "no-consumption": "1", "ok": "1",
    }  # fmt: skip
    vaccines_first = re.search(r'<select id="category".*?</select>', page, re.S)
    assert vaccines_first and vaccines_first.group(0).index("Vaccines") < vaccines_first.group(
        0
    ).index("Medicines")


def test_an_injection_in_the_search_is_only_text(
    app: Flask, login_as, stock: dict[str, Any]
) -> None:
    auditor = login_as("auditor")
    for attack in ("'; DROP TABLE stock_report; --", "%' OR '1'='1", "<script>alert(1)</script>"):
        response = auditor.get("/review/stock", query_string={"q": attack})
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert rows(page) == []
        assert "<script>alert(1)</script>" not in page
    with session_factory(app.config["DATABASE_URL"])() as session:
        assert session.scalar(select(func.count()).select_from(StockReport)) == 32
    assert len(rows(auditor.get("/review/stock").get_data(as_text=True))) == 8


def test_the_public_summary_gives_the_shares_of_reporting_facilities(
    app: Flask, client: FlaskClient, stock: dict[str, Any]
) -> None:
    with session_factory(app.config["DATABASE_URL"])() as session:
        summary = stock_security(session)
    assert [c.category for c in summary.categories] == ["vaccine", "medicine"]
    assert summary.months[0] == date(2025, 11, 1) and summary.months[-1] == date(2026, 10, 1)
    shares = {
        c.category: [
            (m.month.month, m.reporting, m.stocked_out_share, m.below_minimum_share)
            for m in c.months
            if m.reporting
        ]
        for c in summary.categories
    }
    assert shares == {
        # B's BCG at 0 in September; A's BCG at 1.200 / 200 = 6 months in September (not
        # below 6), 5 in October; stock-outs count as below the minimum too
        "vaccine": [(7, 2, 0.0, 0.0), (8, 2, 0.0, 0.0), (9, 2, 0.5, 0.5), (10, 2, 0.0, 0.5)],
        # A's paracetamol: 100 / 100 = 1 month in September (below 2), out in October
        "medicine": [(7, 2, 0.0, 0.0), (8, 2, 0.0, 0.0), (9, 2, 0.0, 0.5), (10, 2, 0.5, 0.5)],
    }
    page = english(client).get("/stock").get_data(as_text=True)
    assert page.count('class="public-chart" id="chart-stock-') == 2
    assert page.index("chart-stock-vaccine") < page.index("chart-stock-medicine")
    assert "<td>09/2026</td>" in page and "50,0%" in page
    for private in (FACILITY_A, FACILITY_B, "PARA500", FLAG_MESSAGE):
        assert private not in page  # aggregates only
    home = client.get("/").get_data(as_text=True)
    assert 'id="chart-stock-overview"' in home and 'href="/stock"' in home


def test_a_stock_import_or_a_withdrawal_refreshes_the_public_summary(
    app: Flask, stock: dict[str, Any]
) -> None:
    sessions = session_factory(app.config["DATABASE_URL"])
    with sessions() as session:
        assert stock_security(session).months[-1] == date(2026, 10, 1)
    with sessions() as session, session.begin():
        later = SourceFile(sha256="6" * 64, name="ton-kho-11-2026.xlsx", kind="stock-reports",
                           file_format="xlsx", size_bytes=10, uploaded_by="officer")  # fmt: skip
        session.add(later)
        session.flush()
        first = session.scalars(select(StockReport).order_by(StockReport.id)).first()
        assert first is not None
        session.add(
            StockReport(source_file_id=later.id, source_row=2, buyer_id=first.buyer_id,
                        stock_item_id=first.stock_item_id, period=date(2026, 11, 1), months=1,
                        issued=100, closing=0)
        )  # fmt: skip
        later_id = later.id
    with sessions() as session:
        assert stock_security(session).months[-1] == date(2026, 11, 1)
    with sessions() as session, session.begin():
        withdrawn = session.get(SourceFile, later_id)
        assert withdrawn is not None
        withdrawn.status = "withdrawn"
    with sessions() as session:
        assert stock_security(session).months[-1] == date(2026, 10, 1)


def test_the_public_summary_says_so_when_nothing_is_imported(client: FlaskClient) -> None:
    public_cache.clear()
    page = english(client).get("/stock").get_data(as_text=True)
    assert "No stock report has been imported yet." in page
    assert "public-chart" not in page


def test_the_administrator_reads_the_scheduler_runs_newest_first(app: Flask, login_as) -> None:
    start = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 06:00 in Hồ Chí Minh City
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        session.add_all([
            JobRun(job="stock", trigger="schedule", scheduled_for=start, started_at=start,
                   finished_at=start + timedelta(seconds=12), status="succeeded", new=3,
                   unchanged=40, updated=2, closed=1, alerts="e-mail digest sent: 3 flags",
                   host="worker-1:4242"),
            JobRun(job="full", trigger="catch-up", scheduled_for=start - timedelta(hours=5),
                   started_at=start + timedelta(minutes=1), status="failed",
                   finished_at=start + timedelta(minutes=3, seconds=5),
                   error="Traceback (most recent call last):\nRuleError: STK-04 failed"),
        ])  # fmt: skip
    admin = english(login_as("admin"))
    page = admin.get("/admin/scheduler").get_data(as_text=True)
    table = page.split('<table class="data runs">', 1)[1]
    assert table.index("<code>full</code>") < table.index("<code>stock</code>")  # newest first
    assert "catch-up" in table and "on schedule" in table
    assert "24/11/2026 06:00" in table and "12,0 s" in table and "2 min 5 s" in table
    assert '<details class="run-error"><summary>Error</summary>' in table
    assert "RuleError: STK-04 failed" in table and "e-mail digest sent: 3 flags" in table
    assert "2 runs recorded." in page
    # the configured schedules (the defaults here), with the next time each fires
    schedules = page.split('<table class="data schedules">', 1)[1].split("</table>", 1)[0]
    assert "<code>0 6 * * *</code>" in schedules and "<code>stock</code>" in schedules
    assert login_as("auditor").get("/admin/scheduler").status_code == 403


def test_the_scheduler_page_pages_and_reports_a_broken_configuration(
    app: Flask, login_as, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "scheduler.yaml"
    broken.write_text("jobs:\n  stock: {cron: 'every morning'}\n", encoding="utf-8")
    monkeypatch.setenv("PROCUREMENT_SCHEDULER_CONFIG", str(broken))
    app.config["PAGE_SIZE"] = 2
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        session.add_all(
            JobRun(job="stock", trigger="manual", scheduled_for=moment + timedelta(days=n),
                   started_at=moment + timedelta(days=n), status="succeeded")
            for n in range(3)
        )  # fmt: skip
    admin = english(login_as("admin"))
    first = admin.get("/admin/scheduler").get_data(as_text=True)
    assert "cannot be read" in first and "scheduler.yaml" in first and "jobs.stock.cron" in first
    assert "Page 1 of 2" in first and first.count('<tr class="run-') == 2
    second = admin.get("/admin/scheduler?page=2").get_data(as_text=True)
    assert second.count('<tr class="run-') == 1 and "01/11/2026" in second


def test_the_import_page_of_a_stock_file_lists_its_unmatched_products(
    login_as, stock: dict[str, Any]
) -> None:
    officer = english(login_as("officer"))
    page = officer.get(f"/imports/{stock['source']}").get_data(as_text=True)
    section = page.split('<section class="panel unmatched">', 1)[1].split("</section>", 1)[0]
    assert "2 products matched no drug identity" in section
    assert "<code>AMOX500</code> Amoxicillin 500mg" in section
    assert "<code>ORS</code> Oresol 245" in section
    assert "PARA500" not in section and "still checks them" in section


def test_a_quantity_on_order_arrives_in_the_projection(
    app: Flask, login_as, stock: dict[str, Any]
) -> None:
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        report = session.scalars(
            select(StockReport).where(
                StockReport.buyer_id == stock["B"],
                StockReport.period == date(2026, 10, 1),
                StockReport.closing == 250,
            )
        ).one()
        report.on_order = 100
        session.add(  # a new import (here: a file row) is what refreshes the cached table
            SourceFile(sha256="7" * 64, name="x.xlsx", kind="awards", file_format="xlsx",
                       size_bytes=1, uploaded_by="officer")
        )  # fmt: skip
    page = login_as("auditor").get("/review/stock", query_string={"q": "PARA500"})
    para_b = [r for r in rows(page.get_data(as_text=True)) if _facility(r) == FACILITY_B]
    # 250 - 100 + 100 = 250, then 150, 50: no stock-out within three months
    assert [(r["band"], r["mos"], r["projected"]) for r in para_b] == [("ok", "2,5", "—")]
