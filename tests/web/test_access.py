"""The access matrix: every route of the app, against a visitor and each role.

A route without an entry fails `test_every_route_has_an_entry`, so a new page cannot ship
without deciding who may open it. 302 for a visitor is the redirect to sign in.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import token

ANON, OFFICER, AUDITOR, ADMIN = "anon", "officer", "auditor", "admin"


def _statuses(anon: int, officer: int, auditor: int, admin: int) -> dict[str, int]:
    return {ANON: anon, OFFICER: officer, AUDITOR: auditor, ADMIN: admin}


# endpoint: (method, URL arguments ("{import}" and "{flag}" come from the world), form data,
#            expected status per role)
EXPECTED: dict[str, tuple[str, dict[str, Any], dict[str, str], dict[str, int]]] = {
    "auth.index": ("GET", {}, {}, _statuses(302, 302, 302, 302)),  # /home: each role's page
    "auth.sign_in": ("GET", {}, {}, _statuses(200, 302, 302, 302)),
    "auth.sign_out": ("POST", {}, {}, _statuses(302, 302, 302, 302)),
    "auth.language": ("POST", {"code": "en"}, {}, _statuses(302, 302, 302, 302)),
    # --- officers: web/upload ---
    "upload.upload": ("GET", {}, {}, _statuses(302, 200, 403, 200)),
    "upload.submit": ("POST", {}, {}, _statuses(302, 422, 403, 422)),  # no file: the form again
    # the world's job is done: its page goes on to the import
    "upload.job": ("GET", {"job_id": "{job}"}, {}, _statuses(302, 302, 403, 302)),
    "upload.job_json": ("GET", {"job_id": "{job}"}, {}, _statuses(302, 200, 403, 200)),
    "upload.imports": ("GET", {}, {}, _statuses(302, 200, 200, 200)),
    "upload.import_detail": ("GET", {"import_id": "{import}"}, {}, _statuses(302, 200, 200, 200)),
    "upload.import_errors": ("GET", {"import_id": "{import}"}, {}, _statuses(302, 200, 200, 200)),
    "upload.import_file": ("GET", {"import_id": "{import}"}, {}, _statuses(302, 200, 200, 200)),
    "upload.import_withdraw": ("GET", {"import_id": "{import}"}, {}, _statuses(302, 200, 403, 200)),
    "upload.import_withdraw_post": (
        "POST",
        {"import_id": "{import}"},
        {},
        _statuses(302, 302, 403, 302),
    ),
    # --- auditors: web/review ---
    "review.queue": ("GET", {}, {}, _statuses(302, 403, 200, 200)),
    "review.flag": ("GET", {"flag_id": "{flag}"}, {}, _statuses(302, 403, 200, 200)),
    "review.export": ("GET", {}, {}, _statuses(302, 403, 200, 200)),
    # deciding is the auditor's alone (separation of duties); with no comment the form is
    # refused (400) or sent back to the queue (302), and nothing is decided
    "review.decide": ("POST", {"flag_id": "{flag}"}, {}, _statuses(302, 403, 400, 403)),
    "review.decide_many": ("POST", {}, {}, _statuses(302, 403, 302, 403)),
    "review.stock": ("GET", {}, {}, _statuses(302, 403, 200, 200)),
    # --- administrators: web/admin ---
    "admin.users": ("GET", {}, {}, _statuses(302, 403, 403, 200)),
    "admin.rules": ("GET", {}, {}, _statuses(302, 403, 200, 200)),
    "admin.rule": ("GET", {"code": "PRC-02"}, {}, _statuses(302, 403, 200, 200)),
    "admin.user_new": ("GET", {}, {}, _statuses(302, 403, 403, 200)),
    "admin.user_edit": ("GET", {"username": "officer"}, {}, _statuses(302, 403, 403, 200)),
    # an empty form: the administrator gets it back with its mistakes
    "admin.user_password": ("POST", {"username": "officer"}, {}, _statuses(302, 403, 403, 422)),
    "admin.scheduler": ("GET", {}, {}, _statuses(302, 403, 403, 200)),
    "auth.password": ("GET", {}, {}, _statuses(302, 200, 200, 200)),
    # --- public: pages (web/public); the world's paracetamol line, its buyer and supplier ---
    "public.home": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "public.medicines": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "public.medicine": (
        "GET",
        {"identity": "paracetamol|500mg|tablet"},
        {},
        _statuses(200, 200, 200, 200),
    ),
    "public.buyer": ("GET", {"buyer_id": 1}, {}, _statuses(200, 200, 200, 200)),
    "public.supplier": ("GET", {"supplier_id": 1}, {}, _statuses(200, 200, 200, 200)),
    "public.province": ("GET", {"code": "nghe-an"}, {}, _statuses(200, 200, 200, 200)),
    "public.domestic": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "public.stock": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "public.flags": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "public.methodology": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "public.source": ("GET", {"source_id": "{import}"}, {}, _statuses(200, 200, 200, 200)),
    # --- public: open data (web/opendata) and the JSON API (web/api) ---
    "opendata.index": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "opendata.awards_csv": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "opendata.awards_xlsx": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "opendata.shares_csv": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "opendata.flags_csv": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "opendata.ocds": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "opendata.dictionary": ("GET", {"dataset": "awards"}, {}, _statuses(200, 200, 200, 200)),
    "api.medicines": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "api.awards": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "api.shares": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "api.flags": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
    "api.openapi": ("GET", {}, {}, _statuses(200, 200, 200, 200)),
}


def test_every_route_has_an_entry(app: Flask) -> None:
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes - EXPECTED.keys() == set(), "add these routes to EXPECTED"
    assert EXPECTED.keys() - routes == set(), "these entries have no route"


@pytest.mark.parametrize("role", [ANON, OFFICER, AUDITOR, ADMIN])
def test_each_role_gets_the_expected_status_on_every_route(
    app: Flask,
    login_as,
    world: dict[str, int],
    role: str,  # type: ignore[no-untyped-def]
) -> None:
    wrong = {}
    for endpoint, (method, arguments, data, expected) in sorted(EXPECTED.items()):
        client = app.test_client() if role == ANON else login_as(role)
        with app.test_request_context():
            from flask import url_for

            values = {
                k: world[v[1:-1]] if str(v).startswith("{") else v for k, v in arguments.items()
            }
            url = url_for(endpoint, **values)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**data, "csrf_token": token(client)})
        if response.status_code != expected[role]:
            wrong[endpoint] = (method, url, response.status_code, expected[role])
    assert wrong == {}
