"""The public pages: a visitor sees the figures, charts and confirmed flags, and no secret."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from procurement.db import session_factory
from procurement.models import AwardLine, Buyer, Product, Supplier
from procurement.services import public_cache
from tests.procurement.public_world import (
    AUDITOR,
    FILE_NAME,
    NOTES,
    PUBLIC_COMMENT,
    SECRETS,
    UPLOADER,
    build,
)

_SVG = re.compile(r"<svg[^>]*class=\"public-chart\".*?</svg>", re.S)


@pytest.fixture
def public(app: Flask) -> dict[str, object]:
    """Return ids of the public world's things, and paths of every public page."""
    public_cache.clear()
    ids: dict[str, object] = dict(build(session_factory(app.config["DATABASE_URL"])))
    with session_factory(app.config["DATABASE_URL"])() as session:
        line = session.get(AwardLine, ids["line"])
        assert line is not None
        ids["identity"] = line.identity_key
        ids["supplier"] = line.supplier_id
        ids["province"] = session.scalar(
            select(Buyer.province_code).where(Buyer.id == ids["buyer"])
        )
    ids["pages"] = [
        "/",
        "/medicines",
        "/medicines?q=para",
        f"/medicines/{quote(str(ids['identity']))}",
        f"/buyers/{ids['buyer']}",
        f"/suppliers/{ids['supplier']}",
        f"/provinces/{ids['province']}",
        "/domestic",
        "/flags",
        "/methodology",
        f"/sources/{ids['source']}",
    ]
    return ids


def _text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_every_public_page_renders_for_a_visitor(client: FlaskClient, public) -> None:  # type: ignore[no-untyped-def]
    for path in public["pages"]:
        _text(client, path)


def test_the_dashboard_shows_awards_shares_flags_and_imports(client: FlaskClient, public) -> None:  # type: ignore[no-untyped-def]
    page = _text(client, "/")
    charts = _SVG.findall(page)
    assert len(charts) == 2 and all("<rect" in c or "<circle" in c for c in charts)
    assert "chart-table" in page  # each chart has its table
    assert FILE_NAME in page
    assert 'href="/flags?family=' in page
    assert 'href="/open-data"' in page and 'href="/sign-in"' in page


def test_search_finds_by_ingredient_brand_and_registration_without_marks(
    app: Flask,
    client: FlaskClient,
    public,  # type: ignore[no-untyped-def]
) -> None:
    with session_factory(app.config["DATABASE_URL"])() as session:
        product = session.scalars(
            select(Product).where(Product.identity_key == public["identity"])
        ).first()
        assert product is not None
    link = f'href="/medicines/{quote(str(public["identity"]))}"'
    for query in (product.active_ingredients, product.name, product.registration_number):
        assert link in _text(client, f"/medicines?q={quote(str(query).upper())}"), query
    assert "0 medicines" in _text(client, "/medicines?q=zzzz-nothing") or "0 thuốc" in _text(
        client, "/medicines?q=zzzz-nothing"
    )


def test_a_folded_query_finds_a_name_with_marks(client: FlaskClient, public) -> None:  # type: ignore[no-untyped-def]
    from procurement.services.public_medicines import search_medicines

    with session_factory(client.application.config["DATABASE_URL"])() as session:
        every = search_medicines(session, "", 1, 10_000).medicines
        marked = next((m for m in every if m.ingredients != _ascii(m.ingredients)), None)
        if marked is None:
            pytest.skip("no ingredient with diacritics in the generated lines")
        found = search_medicines(session, _ascii(marked.ingredients), 1, 10_000).medicines
    assert marked.identity in {m.identity for m in found}


def _ascii(text: str) -> str:
    from procurement.textkey import strip_marks

    return strip_marks(text)


def test_a_medicine_page_draws_the_spread_and_the_trend_and_links_each_line(
    client: FlaskClient,
    public,  # type: ignore[no-untyped-def]
) -> None:
    page = _text(client, f"/medicines/{quote(str(public['identity']))}")
    charts = _SVG.findall(page)
    assert len(charts) == 2
    assert 'class="median"' in charts[0] and charts[0].count("<circle") >= 1
    assert f'href="/sources/{public["source"]}?row=' in page
    assert f'href="/buyers/{public["buyer"]}"' in page or "/buyers/" in page
    assert FILE_NAME in page


def test_a_buyer_page_shows_spend_shares_partners_and_only_the_confirmed_flag(
    client: FlaskClient,
    public,  # type: ignore[no-untyped-def]
) -> None:
    page = _text(client, f"/buyers/{public['buyer']}")
    assert len(_SVG.findall(page)) == 2
    assert PUBLIC_COMMENT in page
    assert "/suppliers/" in page
    for secret in (*SECRETS.values(), *NOTES):
        assert secret not in page


def test_flags_lists_confirmed_flags_with_the_confirming_comment_only(
    client: FlaskClient,
    public,  # type: ignore[no-untyped-def]
) -> None:
    page = _text(client, "/flags")
    assert PUBLIC_COMMENT in page
    assert f'id="flag-{public["confirmed"]}"' in page
    for other in ("open", "dismissed", "escalated"):
        assert f'id="flag-{public[other]}"' not in page
    for secret in (*SECRETS.values(), *NOTES):
        assert secret not in page


def test_no_secret_reaches_any_public_page(app: Flask, client: FlaskClient, public) -> None:  # type: ignore[no-untyped-def]
    for language in ("vi", "en"):
        with client.session_transaction() as session:
            session["language"] = language
        for path in public["pages"]:
            page = _text(client, path)
            for secret in (
                UPLOADER,
                AUDITOR.username,
                AUDITOR.display_name,
                *SECRETS.values(),
                *NOTES,
            ):
                assert secret not in page, (path, secret)


def test_domestic_ranks_provinces_and_buyers_against_the_target(
    client: FlaskClient,
    public,  # type: ignore[no-untyped-def]
) -> None:
    page = _text(client, "/domestic")
    charts = _SVG.findall(page)
    assert len(charts) == 2
    assert all('class="target"' in c and 'class="bar"' in c for c in charts)
    assert f'href="/provinces/{public["province"]}"' in page


def test_a_supplier_and_a_province_page_show_their_partners(client: FlaskClient, public) -> None:  # type: ignore[no-untyped-def]
    supplier = _text(client, f"/suppliers/{public['supplier']}")
    assert "/buyers/" in supplier and _SVG.search(supplier)
    province = _text(client, f"/provinces/{public['province']}")
    assert "/buyers/" in province and len(_SVG.findall(province)) == 2


def test_methodology_explains_every_rule_of_the_pack_and_origin(
    client: FlaskClient,
    public,  # type: ignore[no-untyped-def]
) -> None:
    from rules.engine.pack import load_pack

    page = _text(client, "/methodology")
    for code, settings in load_pack().rules.items():
        if settings.enabled:
            assert f'id="{code}"' in page
            assert escape(settings.spec.title_vi) in page and escape(settings.spec.title_en) in page
    assert "893" in page and "window_days" in page


def test_unknown_things_are_404(client: FlaskClient, public) -> None:  # type: ignore[no-untyped-def]
    for path in ("/medicines/nothing%7Chere", "/buyers/999999", "/suppliers/999999",
                 "/provinces/nowhere", "/sources/999999"):  # fmt: skip
        assert client.get(path).status_code == 404, path


def test_a_decision_refreshes_the_cached_pages(app: Flask, client: FlaskClient, public) -> None:  # type: ignore[no-untyped-def]
    from procurement.services.flag_review import flag_decide

    assert SECRETS["open"] not in _text(client, "/flags")
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        flag_decide(session, AUDITOR, int(public["open"]), "confirmed", "now public")  # type: ignore[call-overload]
    page = _text(client, "/flags")
    assert "now public" in page and SECRETS["open"] in page


def test_signed_in_users_see_the_public_pages_and_their_own_nav(login_as, public) -> None:  # type: ignore[no-untyped-def]
    client = login_as("auditor")
    page = _text(client, "/")
    assert 'href="/review"' in page
    assert client.get("/home").headers["Location"] == "/review"


def test_a_supplier_page_of_a_supplier_without_lines_still_renders(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        supplier = Supplier(name="Công ty Không Bán", name_key="cong ty khong ban")
        session.add(supplier)
        session.flush()
        supplier_id = supplier.id
    assert "Công ty Không Bán" in _text(client, f"/suppliers/{supplier_id}")
    assert _text(client, "/") and _text(client, "/domestic")  # an empty database too
