"""Users: add, change password, disable, list, and sign in with throttling.

Passwords are hashed with werkzeug's scrypt. Failed sign-ins are counted in the database, per
user name, since the last success: after MAX_FAILURES in THROTTLE_WINDOW the next attempt is
refused without checking the password, whichever worker process receives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from procurement.models.base import utcnow
from procurement.models.user import ROLES, SignInAttempt, User
from procurement.services.permissions import Actor, authorize

MIN_PASSWORD = 10
MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
# Letters, digits and . _ @ -: a user name is part of page addresses (/admin/users/<name>).
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,99}")


class UserError(ValueError):
    """A request about users that cannot be done; the message is for the person who asked.

    `reason` is a stable kebab-case name and `values` fill its sentence, so the web app can say
    the same thing in the reader's language; str(error) is the English sentence the CLI prints.
    """

    def __init__(self, reason: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.values = values


class Throttled(Exception):
    """Too many failed sign-ins for this name; try again after `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


@dataclass(frozen=True)
class UserView:
    """A user as pages and the command line show it."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: datetime
    last_sign_in: datetime | None


def user_add(
    session: Session, actor: Actor, username: str, display_name: str, role: str, password: str
) -> UserView:
    """Create a user with a role."""
    authorize("user.manage", actor)
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise UserError(
            "bad-username",
            "a user name is 1 to 100 letters, digits and . _ @ -, starting with a letter or digit",
        )
    _check_role(role)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise UserError("user-exists", f"user {username!r} exists already", username=username)
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        password_hash=_hash(password),
        active=True,
    )
    session.add(user)
    session.flush()
    return _view(user)


def user_set_password(session: Session, actor: Actor, username: str, password: str) -> None:
    """Replace a user's password (an administrator, or the user for themself)."""
    if actor.username != username:
        authorize("user.manage", actor)
    _get(session, username).password_hash = _hash(password)


def user_change_password(session: Session, actor: Actor, current: str, new: str) -> None:
    """Replace the actor's own password, given the current one."""
    user = _get(session, actor.username)
    if not user.active or not check_password_hash(user.password_hash, current):
        raise UserError("wrong-password", "the current password is not right")
    user.password_hash = _hash(new)


def user_update(
    session: Session, actor: Actor, username: str, *, role: str, display_name: str, active: bool
) -> UserView:
    """Change a user's role, name or whether they may sign in."""
    authorize("user.manage", actor)
    _check_role(role)
    user = _get(session, username)
    if user.username == actor.username and (not active or role != user.role):
        raise UserError("own-account", "you cannot disable yourself or change your own role")
    user.role, user.display_name, user.active = role, display_name.strip() or username, active
    return _view(user)


def user_disable(session: Session, actor: Actor, username: str) -> None:
    """Stop a user from signing in; their name stays in every history they wrote."""
    authorize("user.manage", actor)
    user = _get(session, username)
    if user.username == actor.username:
        raise UserError("own-account", "you cannot disable yourself")
    user.active = False


def user_list(session: Session, actor: Actor) -> list[UserView]:
    """Return every user, by name."""
    authorize("user.manage", actor)
    return [_view(u) for u in session.scalars(select(User).order_by(User.username))]


def user_get(session: Session, actor: Actor, username: str) -> UserView:
    """Return one user."""
    authorize("user.manage", actor)
    return _view(_get(session, username))


def authenticate(
    session: Session, username: str, password: str, address: str | None = None
) -> Actor | None:
    """Return the actor for a correct name and password, None otherwise; raise Throttled."""
    username = username.strip().lower()
    now = utcnow()
    failures, last = _recent_failures(session, username, now)
    if failures >= MAX_FAILURES and last is not None:
        raise Throttled(last + THROTTLE_WINDOW)
    user = session.scalar(select(User).where(User.username == username))
    ok = user is not None and user.active and check_password_hash(user.password_hash, password)
    session.add(SignInAttempt(username=username, address=address, at=now, succeeded=ok))
    if not ok or user is None:
        return None
    user.last_sign_in = now
    return Actor(user.username, user.role, user.display_name)


def actor_for(session: Session, username: str) -> Actor | None:
    """Return the actor of an active user (a session cookie names one), else None."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    return None if user is None else Actor(user.username, user.role, user.display_name)


def _recent_failures(session: Session, username: str, now: datetime) -> tuple[int, datetime | None]:
    since = now - THROTTLE_WINDOW
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.username == username, SignInAttempt.succeeded.is_(True)
        )
    )
    if last_success is not None and _aware(last_success) > since:
        since = _aware(last_success)
    failed = select(SignInAttempt.at).where(
        SignInAttempt.username == username,
        SignInAttempt.succeeded.is_(False),
        SignInAttempt.at > since,
    )
    times = [_aware(t) for t in session.scalars(failed)]
    return len(times), max(times, default=None)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(
            "short-password",
            f"a password has at least {MIN_PASSWORD} characters",
            count=MIN_PASSWORD,
        )
    return generate_password_hash(password)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError("unknown-role", f"role must be one of {', '.join(ROLES)}", role=role)


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise UserError("no-user", f"no user {username!r}", username=username)
    return user


def _view(user: User) -> UserView:
    return UserView(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.active,
        user.created_at,
        user.last_sign_in,
    )
