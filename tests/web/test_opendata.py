"""Open-data downloads, their dictionaries, and the JSON API: filters, pages, errors, OpenAPI."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from procurement.db import session_factory
from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import AwardLine, Product
from procurement.services.open_data import HEADERS
from web.opendata.dictionary import DICTIONARIES


@pytest.fixture
def lines(app: Flask) -> int:
    """Store 120 generated lines, one product renamed to start a formula; return its line id."""
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        store_lines(session, "awards.xlsx", award_lines(5, 120))
        line = session.scalars(select(AwardLine).order_by(AwardLine.id)).first()
        session.get(Product, line.product_id).name = '=HYPERLINK("http://x")'
        return line.id


def test_every_download_column_is_in_its_dictionary_and_back() -> None:
    for dataset, headers in HEADERS.items():
        assert [column for column, *_ in DICTIONARIES[dataset]] == list(headers), dataset


def test_downloads_never_start_a_formula(client: FlaskClient, lines: int) -> None:
    rows = list(csv.reader(io.StringIO(client.get("/open-data/awards.csv").get_data(as_text=True))))
    names = {row[rows[0].index("product_name")] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names and not any(n.startswith("=") for n in names)
    book = load_workbook(io.BytesIO(client.get("/open-data/awards.xlsx").get_data()))
    cells = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(value.startswith(("=", "+", "-", "@")) for value in cells)
    assert len(rows) == 121


def test_the_page_lists_every_download_with_its_dictionary(client: FlaskClient) -> None:
    page = client.get("/open-data").get_data(as_text=True)
    for path in ("awards.csv", "awards.xlsx", "domestic-shares.csv", "confirmed-flags.csv",
                 "ocds.json", "awards-dictionary.csv", "/api/v1/openapi.json"):  # fmt: skip
        assert path in page
    assert "<code>standard_unit_price</code>" in page
    assert client.get("/open-data/nothing-dictionary.csv").status_code == 404


def test_awards_filter_and_paginate_with_total_and_next_links(
    app: Flask, client: FlaskClient, lines: int
) -> None:
    with session_factory(app.config["DATABASE_URL"])() as session:
        buyer = session.scalar(select(AwardLine.buyer_id).order_by(AwardLine.id))
        total = session.scalar(select(func.count()).where(AwardLine.buyer_id == buyer))
    first = client.get(f"/api/v1/awards?buyer={buyer}&per_page=2").get_json()
    assert first["total"] == total and len(first["data"]) == min(2, total)
    assert all(row["buyer_id"] == buyer for row in first["data"])
    if total > 2:
        following = client.get(first["links"]["next"]).get_json()
        assert following["page"] == 2 and following["data"][0]["id"] > first["data"][-1]["id"]
    assert client.get("/api/v1/awards?year=1999").get_json()["total"] == 0


def test_medicines_shares_and_flags_answer(client: FlaskClient, lines: int) -> None:
    medicines = client.get("/api/v1/medicines?q=a&per_page=5").get_json()
    assert medicines["total"] > 0 and len(medicines["data"]) <= 5
    identity = medicines["data"][0]["identity"]
    awards = client.get("/api/v1/awards", query_string={"identity": identity}).get_json()
    assert awards["total"] == medicines["data"][0]["lines"]
    nation = client.get("/api/v1/shares").get_json()["data"]
    assert nation and all(row["scope"] == "nation" for row in nation)
    assert client.get("/api/v1/flags").get_json()["total"] == 0


@pytest.mark.parametrize(
    "url",
    ["/api/v1/awards?year=abc", "/api/v1/awards?page=0", "/api/v1/awards?per_page=100000",
     "/api/v1/awards?yaer=2024", "/api/v1/shares?by=galaxy", "/api/v1/medicines?page=x"],
)  # fmt: skip
def test_a_bad_parameter_is_a_400_with_a_message(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"] == 400 and response.get_json()["message"]


def test_the_openapi_document_describes_every_api_route_and_no_other(
    app: Flask, client: FlaskClient
) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    routes = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert set(document["paths"]) == routes
