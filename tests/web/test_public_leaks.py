"""No open, closed, dismissed or escalated flag, and no uploader or user name, is ever public.

Data with a flag in every status (each carrying secret text in its message and in its history)
and an import uploaded by "secret-officer"; then every route of the public, opendata and api
blueprints is fetched with sample arguments, each download unpacked, and every body scanned.
"""

from __future__ import annotations

import io
import zipfile

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procurement.db import session_factory
from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import AwardLine, Buyer, Flag, FlagHistory, SourceFile
from procurement.models.flag import CLOSED, CONFIRMED, DISMISSED, ESCALATED, OPEN
from procurement.services import public_cache
from tests.web.stock_world import build as build_stock

SECRETS = ("SECRET", "secret-officer", "secret-auditor")
PUBLIC_BLUEPRINTS = ("public", "opendata", "api")
PUBLIC_COMMENT = "Price confirmed above the plan after checking the decision."


def _world(app: Flask) -> dict[str, object]:
    sessions = session_factory(app.config["DATABASE_URL"])
    stock = build_stock(sessions)  # the stock summary is drawn: aggregates, no facility, no flag
    with sessions() as session, session.begin():
        session.get(Buyer, stock["A"]).name = "SECRET stock facility"
        for flag in session.scalars(select(Flag).where(Flag.family == "STK")):
            flag.message_en, flag.message_vi = "SECRET stock flag en", "SECRET stock flag vi"
    with sessions() as session, session.begin():
        source_id = store_lines(session, "awards-2024.xlsx", award_lines(11, 200))
        session.get(SourceFile, source_id).uploaded_by = "secret-officer"
        line = session.scalars(select(AwardLine).order_by(AwardLine.id)).first()
        buyer = session.get(Buyer, line.buyer_id)
        for number, status in enumerate((OPEN, CLOSED, DISMISSED, ESCALATED, CONFIRMED)):
            public = status == CONFIRMED
            flag = Flag(
                fingerprint=f"leak-{status}", rule="PRC-01", rule_version=1, family="price",
                severity="high", status=status, subject_type="line", subject_key=str(line.id),
                line_id=line.id, buyer_id=line.buyer_id, year=2024, observed=10.0 + number,
                benchmark=5.0, message_en="Confirmed finding" if public else f"SECRET {status} en",
                message_vi="Phát hiện đã xác nhận" if public else f"SECRET {status} vi",
            )  # fmt: skip
            session.add(flag)
            session.flush()
            session.add(
                FlagHistory(
                    flag_id=flag.id, actor="secret-auditor", event="decision", from_status=OPEN,
                    to_status=ESCALATED, comment=f"SECRET internal note on {status}",
                )
            )  # fmt: skip
            if public:
                session.add(
                    FlagHistory(
                        flag_id=flag.id, actor="secret-auditor", event="decision",
                        from_status=ESCALATED, to_status=CONFIRMED, comment=PUBLIC_COMMENT,
                    )
                )  # fmt: skip
        return {
            "identity": line.identity_key,
            "buyer_id": line.buyer_id,
            "supplier_id": line.supplier_id,
            "code": buyer.province_code,
            "source_id": source_id,
            "dataset": "awards",
        }


def _body(response) -> str:  # type: ignore[no-untyped-def]
    data = response.get_data()
    if data[:2] == b"PK":  # an Excel workbook: read every part of it
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8", "replace")


def _public_urls(app: Flask, samples: dict[str, object]) -> list[str]:
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if rule.endpoint.split(".")[0] not in PUBLIC_BLUEPRINTS or "GET" not in rule.methods:
                continue
            missing = set(rule.arguments) - samples.keys()
            assert not missing, f"{rule.endpoint}: add a sample for {missing}"
            urls.append(url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments}))
    extra = ["/api/v1/flags?per_page=500", "/api/v1/awards?per_page=500", "/api/v1/shares?by=buyer"]
    extra += [
        f"/open-data/{name}-dictionary.csv" for name in ("domestic-shares", "confirmed-flags")
    ]
    return urls + extra


def test_no_unconfirmed_flag_or_user_name_reaches_any_public_response(
    app: Flask, client: FlaskClient
) -> None:
    public_cache.clear()
    samples = _world(app)
    urls = _public_urls(app, samples)
    assert any(url.startswith("/api/v1/") for url in urls) and "/open-data/ocds.json" in urls
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = _body(response)
        leaked = [secret for secret in SECRETS if secret in bodies[url]]
        assert not leaked, f"{url} shows {leaked}"
    assert "chart-stock-vaccine" in bodies["/stock"]  # the summary had stock to draw
    # the confirmed flag and its public comment are published where flags are
    for url in ("/open-data/confirmed-flags.csv", "/api/v1/flags"):
        assert PUBLIC_COMMENT in bodies[url] and "Confirmed finding" in bodies[url]
