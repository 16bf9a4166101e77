"""`procurement export`: open data out of the database."""

from __future__ import annotations

from pathlib import Path

import click

from procurement.cli.options import CliContext
from procurement.services.award_export import FORMATS, awards_export
from procurement.services.ocds import DEFAULT_URI, OCID_PREFIX, ocds_export


@click.group()
def export() -> None:
    """Export data."""


@export.command("awards")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.pass_obj
def export_awards(ctx: CliContext, fmt: str, output: str) -> None:
    """Write every award line with its normalized fields, origin and reason, file and row."""
    with ctx.sessions()() as session:
        count = awards_export(session, fmt, Path(output))
    click.echo(f"{count:,} award lines written to {output}")


@export.command("ocds")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--uri",
    default=DEFAULT_URI,
    show_default=True,
    help="Where the package will be published (the package's `uri`).",
)
@click.pass_obj
def export_ocds(ctx: CliContext, output: str, uri: str) -> None:
    """Write an OCDS 1.1 release package: one release per tender, ocid prefix ocds-pmvnmd-."""
    with ctx.sessions()() as session:
        count = ocds_export(session, Path(output), uri)
    click.echo(f"{count:,} releases ({OCID_PREFIX}...) written to {output}")
