"""The signed-in user as Flask-Login sees it, and the actor services receive."""

from __future__ import annotations

from flask import abort
from flask_login import UserMixin, current_user

from procurement.services.permissions import Actor, can
from procurement.services.users import actor_for
from web.database import db
from web.extensions import login_manager


class WebUser(UserMixin):
    """An actor wrapped for Flask-Login; the cookie holds only the user name."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def get_id(self) -> str:
        """Return what the session stores: the user name."""
        return self.actor.username


@login_manager.user_loader
def _load(username: str) -> WebUser | None:
    actor = actor_for(db(), username)
    return None if actor is None else WebUser(actor)


def actor() -> Actor | None:
    """Return the signed-in actor, or None for a visitor."""
    return current_user.actor if current_user.is_authenticated else None


def require(permission: str) -> Actor:
    """Return the signed-in actor if they hold the permission; otherwise 403.

    Services check again; this only turns a missing permission into the right page early.
    """
    who = actor()
    if who is None:
        abort(login_manager.unauthorized())
    if not can(permission, who):
        abort(403)
    return who
