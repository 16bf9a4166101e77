"""`procurement import | imports | errors | withdraw`: the officer's commands."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from importers.profiles import ProfileError
from importers.run import ImportOutcome, import_file
from procurement.cli.options import CliContext
from procurement.services.error_report import write_errors_xlsx
from procurement.services.permissions import CLI
from procurement.services.source_files import (
    NotFound,
    import_errors,
    import_get,
    import_withdraw,
    imports_list,
)


def _settings(values: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected FIELD=VALUE", param_hint="--set")
        settings[name.strip()] = value.strip()
    return settings


class _Progress:
    """A row counter on stderr, only when it is a terminal."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.live = sys.stderr.isatty()

    def __call__(self, rows: int) -> None:
        if self.live:
            click.echo(f"\r{self.name}: {rows:,} rows read…", nl=False, err=True)

    def done(self) -> None:
        if self.live:
            click.echo("\r\033[K", nl=False, err=True)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(
        ["awards", "reference-prices", "reference-list", "framework-agreements", "stock-reports"]
    ),
    default="awards",
    show_default=True,
)
@click.option("--profile", help="A shipped profile's name or a path to your own YAML profile.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Give a field for the whole file, e.g. --set buyer='Bệnh viện X'.",
)
@click.option("--strict", is_flag=True, help="Import nothing if any row is rejected.")
@click.option("--user", default="cli", show_default=True, help="Recorded as the uploader.")
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Run the rules on what an award, stock or framework import touched.",
)
@click.pass_obj
def import_command(
    ctx: CliContext,
    paths: tuple[str, ...],
    kind: str,
    profile: str | None,
    sets: tuple[str, ...],
    strict: bool,
    user: str,
    check: bool,
) -> None:
    """Import award, reference, framework-agreement or stock-report files (.xlsx, .xls, .csv)."""
    settings = _settings(sets)
    sessions = ctx.sessions()
    refused = 0
    for path in map(Path, paths):
        progress = _Progress(path.name)
        try:
            outcome = import_file(
                path,
                sessions,
                kind=kind,
                profile=profile,
                settings=settings,
                uploaded_by=user,
                strict=strict,
                progress=progress,
            )
        except ProfileError as exc:
            raise click.ClickException(str(exc)) from None
        progress.done()
        _report(outcome)
        refused += not outcome.ok
        if check and outcome.status == "imported":
            _check_import(sessions, outcome.source_file_id, kind)
    if refused:
        sys.exit(1)


def _check_import(sessions, source_file_id: int | None, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Run the rules on what the import touched (shared with the upload page)."""
    from rules.engine.import_check import check_import

    assert source_file_id is not None
    checked = check_import(sessions, source_file_id, kind)
    if checked is not None:
        click.echo(f"  {checked.sentence()}")


def _report(outcome: ImportOutcome) -> None:
    name, tally = outcome.path.name, outcome.tally
    if outcome.status == "refused":
        assert outcome.refusal is not None
        click.echo(f"{name}: REFUSED: {outcome.refusal.sentence()}", err=True)
        _first_errors(outcome)
        return
    if outcome.status == "already-imported":
        click.echo(f"{name}: already imported as #{outcome.source_file_id}; nothing changed")
        return
    skipped = ", ".join(f"{k} {v:,}" for k, v in sorted(tally.skipped_by.items()))
    click.echo(
        f"{name}: imported as #{outcome.source_file_id} (profile {outcome.profile}) in "
        f"{outcome.seconds:.1f} s: {tally.rows_read:,} rows read, {tally.accepted:,} accepted, "
        f"{tally.rejected:,} rejected, {tally.skipped:,} skipped ({skipped or 'none'}), "
        f"{tally.duplicates:,} duplicates"
    )
    if outcome.unmatched:
        shown = "; ".join(" ".join(filter(None, item)) for item in outcome.unmatched[:10])
        more = f" and {len(outcome.unmatched) - 10} more" if len(outcome.unmatched) > 10 else ""
        click.echo(
            f"  {len(outcome.unmatched):,} products matched no drug identity and are kept under "
            f"the file's own codes (still checked by the stock rules): {shown}{more}"
        )
    _first_errors(outcome)


def _first_errors(outcome: ImportOutcome) -> None:
    for error in outcome.first_errors[:10]:
        where = f"{error.sheet}!{error.column or ''}{error.row_number}"
        click.echo(
            f"  row {error.row_number} ({where}) {error.field or ''} {error.cell!r}: "
            f"{error.note_vi} / {error.note_en}"
        )
    more = outcome.tally.rejected - len({e.row_number for e in outcome.first_errors[:10]})
    if outcome.first_errors and more > 0:
        click.echo(f"  … and more: procurement errors {outcome.source_file_id or ''}".rstrip())


@click.command()
@click.option("--limit", default=50, show_default=True)
@click.pass_obj
def imports(ctx: CliContext, limit: int) -> None:
    """List imports, newest first."""
    with ctx.sessions()() as session:
        rows = imports_list(session, CLI, limit)
    click.echo(
        f"{'id':>5}  {'status':<10} {'kind':<16} {'accepted':>9} {'rejected':>9} "
        f"{'skipped':>8}  {'uploaded':<16} {'by':<10} name"
    )
    for row in rows:
        click.echo(
            f"{row['id']:>5}  {row['status']:<10} {row['kind']:<16} {row['accepted']:>9,} "
            f"{row['rejected']:>9,} {row['skipped']:>8,}  "
            f"{row['uploaded_at']:%d/%m/%Y %H:%M} {row['uploaded_by'][:10]:<10} {row['name']}"
        )


@click.command()
@click.argument("import_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write an .xlsx report.")
@click.pass_obj
def errors(ctx: CliContext, import_id: int, output: str | None) -> None:
    """Show an import's rejected rows, or export them with the original values to .xlsx."""
    with ctx.sessions()() as session:
        try:
            rows = import_errors(session, CLI, import_id)
        except NotFound as exc:
            raise click.ClickException(str(exc)) from None
    if output:
        write_errors_xlsx(rows, Path(output))
        click.echo(f"{len(rows):,} row errors written to {output}")
        return
    for row in rows:
        click.echo(
            f"{row['sheet']}!{row['column'] or ''}{row['row']}  {row['type']:<14} "
            f"{row['value']!r}: {row['note_vi']} / {row['note_en']}"
        )
    click.echo(f"{len(rows):,} row errors")


@click.command()
@click.argument("import_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--user", default="cli", show_default=True)
@click.pass_obj
def withdraw(ctx: CliContext, import_id: int, yes: bool, user: str) -> None:
    """Withdraw an import: remove every line it brought in (the record stays, marked)."""
    sessions = ctx.sessions()
    with sessions() as session:
        try:
            source = import_get(session, import_id)
        except NotFound as exc:
            raise click.ClickException(str(exc)) from None
        if not yes:
            click.confirm(
                f"Withdraw import #{import_id} ({source.name}, {source.accepted:,} lines)?",
                abort=True,
            )
        removed = import_withdraw(session, replace(CLI, username=user), import_id)
        session.commit()
    click.echo(
        f"import #{import_id} withdrawn: "
        + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in removed.items())
    )
