"""`procurement demo`: build the demo database through the real importer."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.engine import make_url

from importers.run import import_file
from procurement.cli.options import CliContext
from procurement.config import data_dir, database_url
from procurement.db import dispose_engines
from procurement.services.summary import database_summary

# Reference data first, so the award checks that use it have it. Framework agreements come
# after the awards: a buyer keeps the province of the first file that names it, and an
# agreement names its holder (the national centre) without one, which would leave the
# centre's awards outside Hà Nội. The pack runs once all files are in, so no finding changes.
# Stock reports come last: their items match the identities the awards and agreements made
# known. The stock checks are for the day after the demo's latest month was reported
# (procurement.demo.stock_plan.AS_OF), so a demo built today flags what it planted.
KIND_ORDER = {
    "reference-list": 0, "reference-prices": 1, "framework-agreements": 2, "awards": 3,
    "stock-reports": 4,
}  # fmt: skip


@click.command()
@click.option("--out", type=click.Path(file_okay=False), help="Where to write the demo files.")
@click.option("--lines", default=24000, show_default=True, help="Award lines to generate.")
@click.option("--seed", default=20251, show_default=True)
@click.option(
    "--fresh/--keep", default=True, show_default=True, help="Start from an empty SQLite database."
)
@click.pass_obj
def demo(ctx: CliContext, out: str | None, lines: int, seed: int, fresh: bool) -> None:
    """Generate realistic award spreadsheets and import them into the database."""
    from procurement.demo import build_demo_files

    if fresh:
        _remove_sqlite(ctx.database_url)
    folder = Path(out) if out else data_dir() / "demo-files"
    folder.mkdir(parents=True, exist_ok=True)
    files, anomalies = build_demo_files(folder, seed=seed, lines=lines)
    click.echo(f"{len(files)} demo files written to {folder} ({len(anomalies)} planted anomalies)")
    sessions = ctx.sessions()
    for demo_file in sorted(files, key=lambda f: (KIND_ORDER[f.kind], str(f.path))):
        outcome = import_file(
            demo_file.path,
            sessions,
            kind=demo_file.kind,
            profile=demo_file.profile,
            settings=demo_file.set_fields,
            uploaded_by="demo",
        )
        tally = outcome.tally
        state = outcome.status if outcome.ok else f"REFUSED: {outcome.refusal.sentence()}"
        click.echo(
            f"  {demo_file.path.name:<48} {demo_file.kind:<20} {tally.accepted:>6,} accepted"
            f" {tally.rejected:>4,} rejected {tally.skipped:>4,} skipped  {state}"
        )
    with sessions() as session:
        summary = database_summary(session)
    _print_summary(summary)
    _check(sessions)
    _users(sessions)


DEMO_USERS = (
    ("officer", "Nguyễn Văn An", "officer-demo-2025"),
    ("auditor", "Trần Thị Bình", "auditor-demo-2025"),
    ("admin", "Lê Minh Châu", "admin-demo-2025"),
)


def _users(sessions) -> None:  # type: ignore[no-untyped-def]
    """Create one user per role and print how to sign in (a demo database only)."""
    from procurement.services.permissions import CLI
    from procurement.services.users import UserError, user_add, user_set_password

    with sessions() as session, session.begin():
        for role, name, password in DEMO_USERS:
            try:
                user_add(session, CLI, role, name, role, password)
            except UserError:  # kept from an earlier demo run: reset its password
                user_set_password(session, CLI, role, password)
    click.echo("Sign in as (user name / password):")
    for role, name, password in DEMO_USERS:
        click.echo(f"  {role:<8} / {password:<18} {name}")


def _check(sessions) -> None:  # type: ignore[no-untyped-def]
    """Run the default rule pack over the demo and print the open flags per rule."""
    from procurement.demo.stock_plan import AS_OF
    from rules.engine.pack import load_pack
    from rules.engine.runner import run_rules

    with sessions() as session, session.begin():
        reports = run_rules(session, load_pack(), as_of=AS_OF)
    raised = ", ".join(f"{r.code} {r.new + r.unchanged + r.updated}" for r in reports)
    click.echo(f"Rules: {raised} (procurement flags lists them)")


def _remove_sqlite(url: str | None) -> None:
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        dispose_engines()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)


def _print_summary(summary: dict) -> None:
    share = summary["domestic_share_value"]
    click.echo(
        f"\nDatabase: {summary['award_lines']:,} award lines from {summary['imports']} imports; "
        f"{summary['buyers']} buyers in {summary['provinces']} provinces; "
        f"{summary['suppliers']} suppliers; {summary['products']} products of "
        f"{summary['identities']} identities; years {', '.join(map(str, summary['years']))}."
    )
    click.echo(
        f"Award value {summary['value_total']:,.0f} VND; domestic share by value "
        + (f"{share:.1%}" if share is not None else "n/a")
    )
