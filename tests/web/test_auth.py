"""Signing in and out: sessions, throttling, CSRF, redirects and security headers."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, sign_in, token


def test_a_user_signs_in_and_lands_on_their_roles_page(client: FlaskClient) -> None:
    response = sign_in(client, "auditor")
    assert response.status_code == 302
    assert client.get("/home").headers["Location"] == "/review"


def test_the_session_is_new_after_sign_in(client: FlaskClient) -> None:
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before sign-in"
    sign_in(client, "officer")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == "officer"


def test_a_wrong_password_is_refused_and_six_in_a_row_are_throttled(client: FlaskClient) -> None:
    for _ in range(5):
        assert sign_in(client, "officer", "wrong password!").status_code == 401
    throttled = sign_in(client, "officer", PASSWORD)  # even the right one, for a while
    assert throttled.status_code == 429
    assert "Too many failed attempts" in throttled.get_data(as_text=True) or "Quá nhiều" in (
        throttled.get_data(as_text=True)
    )


def test_posting_without_the_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"username": "officer", "password": PASSWORD})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_sign_out_needs_the_token_too(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("officer")
    assert client.post("/sign-out").status_code == 400
    assert client.post("/sign-out", data={"csrf_token": token(client, "/")}).status_code == 302
    assert client.get("/imports").status_code == 302  # back to sign-in


def test_a_disabled_user_cannot_sign_in(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    from procurement.db import session_factory
    from procurement.services.permissions import CLI
    from procurement.services.users import user_disable

    with session_factory(app.config["DATABASE_URL"])() as session, session.begin():
        user_disable(session, CLI, "officer")
    assert sign_in(client, "officer").status_code == 401


def test_next_never_leaves_the_site(client: FlaskClient) -> None:
    data = {"username": "officer", "password": PASSWORD, "csrf_token": token(client)}
    response = client.post("/sign-in?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/home"


def test_pages_carry_the_security_headers_and_cookies_are_httponly(client: FlaskClient) -> None:
    response = sign_in(client, "officer")
    headers = client.get("/sign-in").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_language_switch_changes_the_page(client: FlaskClient) -> None:
    vietnamese = client.get("/sign-in").get_data(as_text=True)
    assert 'lang="vi"' in vietnamese and "Đăng nhập" in vietnamese
    client.post("/language/en", data={"csrf_token": token(client), "next": "/sign-in"})
    english = client.get("/sign-in").get_data(as_text=True)
    assert 'lang="en"' in english and "Sign in" in english
