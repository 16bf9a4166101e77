"""The `procurement` command: the composition root that wires importers and services together."""

from __future__ import annotations

import click

from procurement.cli.checks import check, flags, rules_command
from procurement.cli.database import db
from procurement.cli.demo import demo
from procurement.cli.exports import export
from procurement.cli.imports import errors, import_command, imports, withdraw
from procurement.cli.options import CliContext
from procurement.cli.scheduler import scheduler
from procurement.cli.serve import serve
from procurement.cli.shares import shares
from procurement.cli.users import users


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    envvar="PROCUREMENT_DATABASE_URL",
    help="SQLAlchemy URL; default sqlite at var/procurement.sqlite3 ($PROCUREMENT_DATABASE_URL).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Procurement Monitor: import award spreadsheets and check medicine and vaccine purchases."""
    ctx.obj = CliContext(database_url)


for command in (
    db,
    import_command,
    imports,
    errors,
    withdraw,
    export,
    demo,
    check,
    flags,
    rules_command,
    scheduler,
    serve,
    shares,
    users,
):
    main.add_command(command)
