"""`procurement users`: add users, set passwords, disable, list (acting as an administrator)."""

from __future__ import annotations

import click

from procurement.cli.options import CliContext
from procurement.models.user import ROLES
from procurement.services.permissions import CLI
from procurement.services.users import (
    UserError,
    user_add,
    user_disable,
    user_list,
    user_set_password,
)


@click.group()
def users() -> None:
    """Manage the people who sign in to the web app."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", "display_name", default="", help="Full name shown in histories.")
@click.password_option(help="At least 10 characters; asked for when not given.")
@click.pass_obj
def add(ctx: CliContext, username: str, role: str, display_name: str, password: str) -> None:
    """Add a user with a role."""
    with _errors(), ctx.sessions()() as session, session.begin():
        user = user_add(session, CLI, username, display_name, role, password)
    click.echo(f"added {user.username} ({user.role})")


@users.command("set-password")
@click.argument("username")
@click.password_option(help="At least 10 characters; asked for when not given.")
@click.pass_obj
def set_password(ctx: CliContext, username: str, password: str) -> None:
    """Replace a user's password."""
    with _errors(), ctx.sessions()() as session, session.begin():
        user_set_password(session, CLI, username, password)
    click.echo(f"password of {username} changed")


@users.command("disable")
@click.argument("username")
@click.pass_obj
def disable(ctx: CliContext, username: str) -> None:
    """Stop a user from signing in (their name stays in every history)."""
    with _errors(), ctx.sessions()() as session, session.begin():
        user_disable(session, CLI, username)
    click.echo(f"{username} disabled")


@users.command("list")
@click.pass_obj
def list_users(ctx: CliContext) -> None:
    """List users with their role and last sign-in."""
    with ctx.sessions()() as session:
        for user in user_list(session, CLI):
            state = "active" if user.active else "disabled"
            last = user.last_sign_in.strftime("%d/%m/%Y %H:%M") if user.last_sign_in else "never"
            click.echo(f"{user.username:<20} {user.role:<8} {state:<8} {last}  {user.display_name}")


class _errors:
    """Turn a refused request into one sentence and exit status 1."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> bool:
        if isinstance(error, UserError):
            raise click.ClickException(str(error))
        return False
