"""`procurement export`: open data out of the database."""

from __future__ import annotations

from pathlib import Path

import click

from procurement.cli.options import CliContext
from procurement.services.award_export import FORMATS, awards_export


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
