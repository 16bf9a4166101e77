"""The users service: refusals name a stable reason, and a user changes their own password."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from procurement.services.permissions import CLI, Actor
from procurement.services.users import (
    UserError,
    authenticate,
    user_add,
    user_change_password,
)

OLD, NEW = "the first password", "the second password"


@pytest.mark.parametrize(
    ("username", "password", "reason", "values"),
    [
        ("lan/nguyen", OLD, "bad-username", {}),
        ("", OLD, "bad-username", {}),
        ("lan", "short", "short-password", {"count": 10}),
    ],
    ids=["slash-in-name", "empty-name", "password-of-5-characters"],
)
def test_a_refusal_names_its_reason_and_values(
    sessions: sessionmaker[Session], username: str, password: str, reason: str, values: dict
) -> None:
    with sessions() as session, pytest.raises(UserError) as refused:
        user_add(session, CLI, username, "", "officer", password)
    assert (refused.value.reason, refused.value.values) == (reason, values)


def test_a_name_in_use_is_refused_whatever_its_case(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        user_add(session, CLI, "lan", "", "officer", OLD)
        with pytest.raises(UserError) as refused:
            user_add(session, CLI, " LAN ", "", "auditor", OLD)
    assert refused.value.reason == "user-exists" and refused.value.values == {"username": "lan"}


def test_a_user_changes_their_password_given_the_current_one(
    sessions: sessionmaker[Session],
) -> None:
    lan = Actor("lan", "officer")
    with sessions() as session, session.begin():
        user_add(session, CLI, "lan", "", "officer", OLD)
    with sessions() as session, session.begin():
        with pytest.raises(UserError) as refused:
            user_change_password(session, lan, "a guess at it", NEW)
        assert refused.value.reason == "wrong-password"
        user_change_password(session, lan, OLD, NEW)
    with sessions() as session:
        assert authenticate(session, "lan", OLD) is None
        assert authenticate(session, "lan", NEW) is not None
