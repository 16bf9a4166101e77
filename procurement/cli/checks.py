"""`procurement check | flags`: run the rule pack and list what it raised."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procurement.cli.options import CliContext
from procurement.services.flag_list import HEADERS, flag_rows, flags_export

if TYPE_CHECKING:
    from rules.engine.runner import RuleReport


@click.command()
@click.option("--rules", "codes", help="Comma-separated rule codes, e.g. PRC-01,CMP-01.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
    help="Only findings from this date's year on (and only their flags close).",
)
@click.option("--pack", type=click.Path(dir_okay=False, exists=True), help="A rule pack YAML.")
@click.option(
    "--stock",
    is_flag=True,
    help="Run only the stock and delivery rules (STK), as the scheduler's morning job does.",
)
@click.pass_obj
def check(ctx: CliContext, codes: str | None, since: object, pack: str | None, stock: bool) -> None:
    """Run the rules and store their flags; print what each rule did.

    The run takes the job's lock ("stock" with --stock, else "full") and is recorded like a
    scheduled one; if the scheduler is running that job, the check says so and exits 1.
    """
    from procurement.models.schedule import FAILED, MANUAL
    from procurement.scheduler.config import ConfigError, load_config
    from procurement.scheduler.jobs import JOBS, STOCK_FAMILY
    from procurement.scheduler.lock import LockBusy
    from procurement.scheduler.runs import JobRunner
    from rules.engine.pack import PackError, load_pack

    try:
        rule_pack = load_pack(pack)
        config = load_config(None, set(JOBS))
    except (PackError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    wanted = {c.strip().upper() for c in codes.split(",")} if codes else None
    unknown = (wanted or set()) - set(rule_pack.rules)
    if unknown:
        raise click.ClickException(f"unknown rule(s): {', '.join(sorted(unknown))}")
    others = {c for c in wanted or () if rule_pack.rules[c].spec.family != STOCK_FAMILY}
    if stock and others:
        raise click.ClickException(f"not stock rules: {', '.join(sorted(others))}")
    day = since.date() if since is not None else None  # type: ignore[attr-defined]
    runner = JobRunner(ctx.sessions(), config, pack)
    as_of = datetime.now(config.timezone).date()
    job = "stock" if stock else "full"
    try:
        result = runner.run(job, MANUAL, None, as_of, frozenset(wanted) if wanted else None, day)
    except LockBusy as busy:
        click.echo(busy.sentence(config.timezone), err=True)
        raise SystemExit(1) from None
    if result.status == FAILED:
        raise click.ClickException(f"the check failed: {result.error}")
    _print_reports(result.reports)
    if result.alerts:
        click.echo(f"alerts: {result.alerts}")


def _print_reports(reports: Sequence[RuleReport]) -> None:
    click.echo(
        f"{'rule':<7} {'severity':<8} {'evaluated':>10} {'n/a':>8} {'new':>6} "
        f"{'unchanged':>9} {'updated':>7} {'closed':>6}  not applicable because"
    )
    for r in reports:
        reasons = "; ".join(f"{k} {v:,}" for k, v in r.not_applicable.items() if v)
        click.echo(
            f"{r.code:<7} {r.severity:<8} {r.evaluated:>10,} {sum(r.not_applicable.values()):>8,} "
            f"{r.new:>6,} {r.unchanged:>9,} {r.updated:>7,} {r.closed:>6,}  {reasons}"
        )


@click.command()
@click.option("--rule")
@click.option(
    "--status", type=click.Choice(["open", "closed", "confirmed", "dismissed", "escalated"])
)
@click.option("--severity", type=click.Choice(["low", "medium", "high"]))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "xlsx", "json"]),
    default="table",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False))
@click.pass_obj
def flags(
    ctx: CliContext,
    rule: str | None,
    status: str | None,
    severity: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """List flags with the buyer, product, supplier, price and source file and row."""
    filters = {"rule": rule, "status": status, "severity": severity}
    with ctx.sessions()() as session:
        if fmt != "table":
            if not output:
                raise click.UsageError("-o PATH is needed for csv, xlsx and json")
            count = flags_export(session, fmt, Path(output), **filters)
            click.echo(f"{count:,} flags written to {output}")
            return
        rows = list(flag_rows(session, **filters))
    index = {name: i for i, name in enumerate(HEADERS)}
    for row in rows:
        where = _where(row, index)
        click.echo(
            f"#{row[0]:<6} {row[1]:<7} {row[2]:<6} {row[3]:<9} {where}: {row[index['message_vi']]}"
        )
    click.echo(f"{len(rows):,} flags")


def _where(row: tuple[object, ...], index: dict[str, int]) -> str:
    """Say where a flag points: the source row of a line, or a stock flag's facility, product
    (code and name) and period."""
    if row[index["source_file"]]:
        return f"{row[index['source_file']]}!{row[index['source_row']]}"
    if row[index["product_code"]] or row[index["period"]]:
        product = " ".join(str(v) for v in (row[index["product_code"]], row[index["product"]]) if v)
        parts = (row[index["buyer"]], product, row[index["period"]])
        return " | ".join(str(p) for p in parts if p)
    return str(row[index["subject_type"]])


@click.command("rules")
@click.option("--pack", type=click.Path(dir_okay=False, exists=True), help="A rule pack YAML.")
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(file_okay=False),
    help="Write one Markdown page per rule, and index.md, to this directory.",
)
def rules_command(pack: str | None, docs_dir: str | None) -> None:
    """Describe the pack's rules, or write their documentation pages with --docs."""
    from rules.engine.docs import index_markdown, rule_docs
    from rules.engine.examples import load_examples
    from rules.engine.pack import PackError, load_pack

    try:
        rule_pack = load_pack(pack)
    except PackError as exc:
        raise click.ClickException(str(exc)) from None
    if docs_dir:
        try:
            pages = rule_docs(rule_pack, load_examples())
        except ValueError as exc:  # a docstring without a section, an example missing
            raise click.ClickException(str(exc)) from None
        out = Path(docs_dir)
        out.mkdir(parents=True, exist_ok=True)
        for page in pages:
            (out / page.filename).write_text(page.to_markdown(), encoding="utf-8")
        (out / "index.md").write_text(index_markdown(pages, rule_pack.name), encoding="utf-8")
        click.echo(f"{len(pages)} rule pages and index.md written to {out}")
        return
    for code, settings in sorted(rule_pack.rules.items()):
        spec = settings.spec
        state = "on " if settings.enabled else "off"
        click.echo(
            f"{code} v{spec.version} {state} {settings.severity:<6} {spec.title_en} / "
            f"{spec.title_vi}"
        )
        for name, value in vars(settings.params).items():
            click.echo(f"    {name} = {value}")
