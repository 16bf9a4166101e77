"""`procurement db`: schema migrations."""

from __future__ import annotations

import click

from procurement.cli.options import CliContext
from procurement.db import make_engine
from procurement.migrate import current_revision, head_revision, upgrade


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(ctx: CliContext, revision: str) -> None:
    """Create or migrate the schema to the newest revision."""
    upgrade(ctx.database_url, revision)
    url = make_engine(ctx.database_url).url.render_as_string(hide_password=True)
    click.echo(f"database {url} at revision {current_revision(ctx.database_url)}")


@db.command("current")
@click.pass_obj
def db_current(ctx: CliContext) -> None:
    """Print the schema revision of the database and the newest one shipped."""
    click.echo(f"current {current_revision(ctx.database_url)}, head {head_revision()}")
