"""Who may do what: one named permission per service, checked inside the service itself.

The web views, the CLI and any later API call the same services, so the check lives here and not
in a view decorator; a test holds every service and every entry of ACCESS together (CKAN's auth
functions, one per action).
"""

from __future__ import annotations

from dataclasses import dataclass

from procurement.models.user import ADMIN, AUDITOR, OFFICER

ACCESS: dict[str, frozenset[str]] = {
    "import.upload": frozenset({OFFICER, ADMIN}),
    "import.view": frozenset({OFFICER, AUDITOR, ADMIN}),
    "import.withdraw": frozenset({OFFICER, ADMIN}),
    "flag.view": frozenset({AUDITOR, ADMIN}),
    "flag.decide": frozenset({AUDITOR}),  # separation of duties: admins manage, auditors judge
    "flag.export": frozenset({AUDITOR, ADMIN}),
    "rules.view": frozenset({AUDITOR, ADMIN}),
    "user.manage": frozenset({ADMIN}),
    "scheduler.view": frozenset({ADMIN}),  # the scheduler's runs and schedules
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the command line acting as an administrator."""

    username: str
    role: str
    display_name: str = ""


CLI = Actor("cli", ADMIN, "Command line")


class Forbidden(PermissionError):
    """The actor's role does not carry the permission."""


def can(permission: str, actor: Actor | None) -> bool:
    """Tell whether an actor holds a permission (unknown permissions are a programming error)."""
    allowed = ACCESS[permission]
    return actor is not None and actor.role in allowed


def authorize(permission: str, actor: Actor | None) -> None:
    """Raise Forbidden unless the actor holds the permission."""
    if not can(permission, actor):
        raise Forbidden(permission)
