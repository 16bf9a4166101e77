"""`procurement users`: add, set-password, disable and list, with refusals in one sentence."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.cli import main
from procurement.models import User
from procurement.services.users import authenticate


def test_add_then_sign_in_with_the_password(
    runner: CliRunner, sessions: sessionmaker[Session]
) -> None:
    added = runner.invoke(
        main, ["users", "add", "An", "--role", "officer", "--name", "Nguyễn Văn An",
               "--password", "mật khẩu đủ dài"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "added an (officer)" in added.output
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == "an"))
        assert user is not None and user.password_hash != "mật khẩu đủ dài"
        assert authenticate(session, "an", "mật khẩu đủ dài") is not None


def test_refusals_say_why_and_exit_1(runner: CliRunner) -> None:
    short = runner.invoke(main, ["users", "add", "b", "--role", "auditor", "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    runner.invoke(main, ["users", "add", "b", "--role", "auditor", "--password", "long enough!"])
    again = runner.invoke(
        main, ["users", "add", "b", "--role", "admin", "--password", "long enough!"]
    )
    assert again.exit_code == 1 and "exists already" in again.output
    missing = runner.invoke(main, ["users", "disable", "nobody"])
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output


def test_set_password_and_disable(runner: CliRunner, sessions: sessionmaker[Session]) -> None:
    runner.invoke(main, ["users", "add", "c", "--role", "auditor", "--password", "first password"])
    changed = runner.invoke(main, ["users", "set-password", "c", "--password", "second password"])
    assert changed.exit_code == 0
    with sessions() as session:
        assert authenticate(session, "c", "first password") is None
        assert authenticate(session, "c", "second password") is not None
        session.commit()
    assert runner.invoke(main, ["users", "disable", "c"]).exit_code == 0
    listed = runner.invoke(main, ["users", "list"])
    assert "disabled" in listed.output.splitlines()[0]
    with sessions() as session:
        assert authenticate(session, "c", "second password") is None
