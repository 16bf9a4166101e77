"""`procurement scheduler`: run the stock checks every morning and the full pack every night."""

from __future__ import annotations

import click

from procurement.cli.options import CliContext


@click.command("scheduler")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Scheduler YAML (default: $PROCUREMENT_SCHEDULER_CONFIG, else "
    "var/instance/scheduler.yaml if present, else stock 06:00 and full 01:00).",
)
@click.option("--pack", type=click.Path(dir_okay=False, exists=True), help="A rule pack YAML.")
@click.option("--once", "once", metavar="JOB", help="Run this job now (e.g. stock) and exit.")
@click.pass_obj
def scheduler(ctx: CliContext, config_path: str | None, pack: str | None, once: str | None) -> None:
    """Run the configured jobs at their cron times until stopped (SIGTERM or Ctrl-C).

    A run missed while the scheduler was down runs once at start. Each run is recorded in the
    database, and a database lock keeps two schedulers (or a manual check) from running the
    same job at once. One line is printed per run.
    """
    from procurement.models.schedule import FAILED, MANUAL
    from procurement.scheduler.config import ConfigError, load_config
    from procurement.scheduler.jobs import JOBS
    from procurement.scheduler.lock import LockBusy
    from procurement.scheduler.loop import Scheduler
    from procurement.scheduler.runs import JobRunner
    from rules.engine.pack import PackError, load_pack

    try:
        config = load_config(config_path, set(JOBS))
        load_pack(pack)  # refuse a broken pack now, not at 06:00
    except (ConfigError, PackError) as exc:
        raise click.ClickException(str(exc)) from None
    runner = JobRunner(ctx.sessions(), config, pack)
    loop = Scheduler(runner, echo=click.echo)
    if once is not None:
        if once not in JOBS:
            raise click.UsageError(f"unknown job {once!r} (known: {', '.join(sorted(JOBS))})")
        try:
            result = runner.run(once, MANUAL, None, loop.today())
        except LockBusy as busy:
            click.echo(busy.sentence(config.timezone), err=True)
            raise SystemExit(1) from None
        click.echo(result.line(config.timezone))
        raise SystemExit(1 if result.status == FAILED else 0)
    for job in config.jobs:
        state = f"cron {job.cron!r}" if job.enabled else "disabled"
        click.echo(f"{job.name}: {state} ({config.timezone.key}); next {_next(loop, job.name)}")
    loop.run_forever()
    click.echo("scheduler stopped")


def _next(loop: object, name: str) -> str:
    moment = getattr(loop, "next_fire", {}).get(name)
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "never"
