"""`procurement shares`: the domestic share by value and quantity against the pack's targets."""

from __future__ import annotations

from typing import Any

import click

from procurement.cli.options import CliContext
from procurement.domestic import CATEGORIES, SCOPES, check_targets, counted_categories
from procurement.services.domestic_share import shares_report


@click.command()
@click.option(
    "--by",
    "scope",
    type=click.Choice(SCOPES),
    default="buyer",
    show_default=True,
    help="One row per buyer, province, buyer level or the nation, per year.",
)
@click.option("--year", type=click.IntRange(1900, 2999), help="Only this year's decisions.")
@click.option(
    "--pack",
    type=click.Path(dir_okay=False, exists=True),
    help="A rule pack YAML whose targets to compare with (default: the built-in).",
)
@click.pass_obj
def shares(ctx: CliContext, scope: str, year: int | None, pack: str | None) -> None:
    """Print each year's domestic share by value and by quantity against the targets."""
    from rules.engine.pack import PackError, load_pack

    try:
        targets = load_pack(pack).targets
        check_targets(targets)
        categories = counted_categories(targets)
    except (PackError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    with ctx.sessions()() as session:
        rows = shares_report(session, scope, year, targets)
    if not rows:
        click.echo("no award lines" + (f" in {year}" if year else ""))
        return
    click.echo(
        f"{'year':<5} {scope:<40} {'value':>7} {'target':>7} {'quantity':>8} "
        f"{'target':>7} {'lines':>7} {'unknown origin':>18}  status"
    )
    for row in rows:
        click.echo(
            f"{row['year']:<5} {_name(row):<40} {_share(row['value_share']):>7} "
            f"{_share(row['value_target']):>7} {_share(row['quantity_share']):>8} "
            f"{_share(row['quantity_target']):>7} {row['lines']:>7,} "
            f"{_money(row['unknown_value']):>18}  {_status(row)}"
        )
    below = sum(1 for row in rows if row["met"] is False)
    click.echo(
        f"{len(rows):,} rows, {below:,} below target. Lines of unknown origin are left "
        "out of both shares; quantity counts base units (tablet, vial, dose, ...)."
    )
    click.echo(_counted(categories, rows))


def _counted(categories: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    """Say which categories the shares count, and what the rows leave out, so a reader of a
    lower share than expected knows vaccines (say) were not in it."""
    text = f"Counted: {', '.join(categories)} (targets.domestic_share.categories)"
    left = [c for c in CATEGORIES if c not in categories]
    if not left:
        return text + "."
    lines = sum(int(row["excluded_lines"]) for row in rows)
    value = sum(float(row["excluded_value"]) for row in rows)
    worth = f" worth {_money(value)}" if value else ""
    return (
        f"{text}; left out: {lines:,} {' and '.join(left)} line{'s' if lines != 1 else ''}{worth}."
    )


def _name(row: dict[str, Any]) -> str:
    name = str(row["name"])
    return name if len(name) <= 40 else name[:39] + "…"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _money(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") + " ₫" if value else "-"


def _status(row: dict[str, Any]) -> str:
    if row["met"] is None:
        return "n/a"
    if row["met"]:
        return "met"
    short = [m for m in ("value", "quantity") if row[f"{m}_met"] is False]
    return f"BELOW ({', '.join(short)})"
