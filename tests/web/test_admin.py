"""Administrators' pages: users and roles, the rule pack and each rule's page, own password."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, sign_in, token

NEW_PASSWORD = "a longer new passphrase"
DEFAULT_CODES = (
    "CEN-01", "CMP-01", "CMP-02", "CMP-03", "CMP-04", "DOM-01", "DOM-02", "DOM-03", "DQ-01",
    "PLN-01", "PRC-01", "PRC-02", "PRC-03", "PRC-04", "PRC-05", "STK-01", "STK-02", "STK-03",
    "STK-04", "STK-05", "STK-06", "STK-07", "STK-08",
)  # fmt: skip

Login = Callable[[str], FlaskClient]


@pytest.fixture
def admin(login_as: Login) -> FlaskClient:
    """Return a client signed in as the administrator, reading English."""
    client = login_as("admin")
    client.post("/language/en", data={"csrf_token": token(client, "/admin/users")})
    return client


def _add(client: FlaskClient, **fields: str):  # type: ignore[no-untyped-def]
    data = {
        "username": "lan.nguyen",
        "display_name": "Nguyễn Thị Lan",
        "role": "auditor",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        **fields,
    }
    return client.post(
        "/admin/users/new", data={**data, "csrf_token": token(client, "/admin/users/new")}
    )


def _edit(client: FlaskClient, username: str, **fields: str):  # type: ignore[no-untyped-def]
    path = f"/admin/users/{username}"
    return client.post(path, data={**fields, "csrf_token": token(client, path)})


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_a_user_added_through_the_form_can_sign_in(admin: FlaskClient, client: FlaskClient) -> None:
    response = _add(admin)
    assert response.status_code == 302
    listing = _text(admin.get("/admin/users"))
    assert "lan.nguyen" in listing and "Nguyễn Thị Lan" in listing
    assert sign_in(client, "lan.nguyen", NEW_PASSWORD).status_code == 302
    assert client.get("/admin/rules").status_code == 200  # an auditor's page
    assert client.get("/admin/users").status_code == 403


def test_a_short_password_is_refused_with_the_sentence(admin: FlaskClient) -> None:
    response = _add(admin, password="short", confirm="short")
    assert response.status_code == 422
    assert "A password has at least 10 characters." in _text(response)
    assert "lan.nguyen" not in _text(admin.get("/admin/users"))


def test_two_different_passwords_are_refused(admin: FlaskClient) -> None:
    response = _add(admin, confirm="something else entirely")
    assert response.status_code == 422
    assert "The two passwords differ." in _text(response)


def test_a_user_name_in_use_is_refused(admin: FlaskClient) -> None:
    response = _add(admin, username="Officer")
    assert response.status_code == 422
    assert "The user name officer is taken already." in _text(response)


def test_a_user_name_with_a_slash_is_refused(admin: FlaskClient) -> None:
    response = _add(admin, username="lan/nguyen")
    assert response.status_code == 422
    assert "A user name is 1 to 100 letters, digits" in _text(response)


def test_changing_a_role_takes_effect_on_the_users_next_request(
    admin: FlaskClient, login_as: Login
) -> None:
    officer = login_as("officer")
    assert officer.get("/admin/rules").status_code == 403
    response = _edit(admin, "officer", display_name="An Nguyễn", role="auditor", active="y")
    assert response.status_code == 302
    page = _text(admin.get("/admin/users/officer"))
    assert "An Nguyễn" in page and '<option selected value="auditor">' in page
    assert officer.get("/admin/rules").status_code == 200


def test_a_disabled_user_cannot_sign_in_and_their_session_ends(
    admin: FlaskClient, login_as: Login, client: FlaskClient
) -> None:
    officer = login_as("officer")
    assert officer.get("/imports").status_code == 200
    response = _edit(admin, "officer", display_name="Demo officer", role="officer")  # unticked
    assert response.status_code == 302
    assert "disabled" in _text(admin.get("/admin/users"))
    following = officer.get("/imports")
    assert following.status_code == 302 and "/sign-in" in following.headers["Location"]
    assert sign_in(client, "officer").status_code == 401


def test_an_administrator_cannot_disable_themself_or_change_their_role(
    admin: FlaskClient,
) -> None:
    disabled = _edit(admin, "admin", display_name="Demo admin", role="admin")
    demoted = _edit(admin, "admin", display_name="Demo admin", role="auditor", active="y")
    for response in (disabled, demoted):
        assert response.status_code == 422
        assert "You cannot disable yourself or change your own role." in _text(response)
    assert admin.get("/admin/users").status_code == 200  # still an active administrator


def test_an_administrator_sets_a_new_password_for_a_user(
    admin: FlaskClient, client: FlaskClient
) -> None:
    path = "/admin/users/officer/password"
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = admin.post(path, data={**data, "csrf_token": token(admin, "/admin/users/officer")})
    assert response.status_code == 302
    assert sign_in(client, "officer").status_code == 401
    assert sign_in(client, "officer", NEW_PASSWORD).status_code == 302


def test_an_unknown_user_is_404(admin: FlaskClient) -> None:
    assert admin.get("/admin/users/nobody").status_code == 404


def test_an_auditor_reads_the_rules_but_not_the_users(login_as: Login) -> None:
    auditor = login_as("auditor")
    assert auditor.get("/admin/rules").status_code == 200
    assert auditor.get("/admin/rules/PRC-01").status_code == 200
    assert auditor.get("/admin/users").status_code == 403
    assert auditor.get("/admin/users/officer").status_code == 403


def test_the_rules_page_lists_every_rule_with_its_version_and_parameters(
    admin: FlaskClient,
) -> None:
    page = _text(admin.get("/admin/rules"))
    listed = re.findall(r'<tr id="([A-Z]{2,3}-\d{2})">', page)
    assert tuple(listed) == DEFAULT_CODES
    assert "pack.yaml" in page  # the file it was read from
    prc02 = page.split('<tr id="PRC-02">')[1].split("</tr>")[0]
    assert "Price far above peers" in prc02
    assert '<td class="num">1</td>' in prc02  # its version
    assert "<code>window_days</code> = 365" in prc02
    dom01 = page.split('<tr id="DOM-01">')[1].split("</tr>")[0]
    assert '<td class="num">2</td>' in dom01


def test_the_rules_page_shows_titles_in_vietnamese_by_default(login_as: Login) -> None:
    page = _text(login_as("auditor").get("/admin/rules"))
    assert "Giá cao bất thường so với các đơn vị khác" in page


def test_the_rules_page_reads_the_configured_pack(app, admin: FlaskClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pack = tmp_path / "strict.yaml"
    pack.write_text("name: strict\nrules:\n  PRC-02:\n    params: {window_days: 90}\n")
    app.config["RULE_PACK"] = str(pack)
    page = _text(admin.get("/admin/rules"))
    assert "strict" in page and "<code>window_days</code> = <strong>90</strong>" in page
    assert 'badge withdrawn">off' in page.split('<tr id="PRC-01">')[1].split("</tr>")[0]


def test_a_rule_page_shows_its_worked_example(admin: FlaskClient) -> None:
    page = _text(admin.get("/admin/rules/PRC-02"))
    assert "PRC-02: Price far above peers" in page
    assert "Why it is a red flag" in page and "Tukey fence" in page
    assert "<code>min_peers</code>" in page  # the parameter table
    # the example's award lines, as a table, and what fires on them
    assert "<td>Bệnh viện F</td>" in page and "<td>15/03/2025</td>" in page
    assert "line 6" in page and "<code>fence</code> = 460" in page
    assert "too few peers: 5" in page


def test_a_rule_page_shows_the_examples_reference_table(admin: FlaskClient) -> None:
    page = _text(admin.get("/admin/rules/DOM-03"))
    assert "Reference-list items" in page and "<td>domestic-only</td>" in page


def test_an_unknown_rule_is_404(admin: FlaskClient) -> None:
    assert admin.get("/admin/rules/XYZ-99").status_code == 404


def test_changing_ones_own_password(login_as: Login, client: FlaskClient) -> None:
    officer = login_as("officer")
    path = "/account/password"
    wrong = officer.post(
        path,
        data={
            "current": "not my password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": token(officer, path),
        },
    )
    assert wrong.status_code == 422
    data = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    changed = officer.post(path, data={**data, "csrf_token": token(officer, path)})
    assert changed.status_code == 302
    assert sign_in(client, "officer").status_code == 401  # the old password
    assert sign_in(client, "officer", NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_is_refused_with_the_sentence(admin: FlaskClient) -> None:
    path = "/account/password"
    data = {"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = admin.post(path, data={**data, "csrf_token": token(admin, path)})
    assert response.status_code == 422
    assert "The current password is not right." in _text(response)
