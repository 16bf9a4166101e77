"""`procurement serve`: run the web app under gunicorn, a production WSGI server."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from pathlib import Path

import click

from procurement.cli.options import CliContext
from procurement.config import data_dir, database_url


@click.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="Address and port.")
@click.option("--workers", default=2, show_default=True, help="Worker processes.")
@click.option("--threads", default=4, show_default=True, help="Threads per worker.")
@click.option(
    "--insecure-cookies",
    is_flag=True,
    help="Send session cookies over plain http (the demo on this machine); never in production.",
)
@click.pass_obj
def serve(ctx: CliContext, bind: str, workers: int, threads: int, insecure_cookies: bool) -> None:
    """Serve the web app with gunicorn on the configured database."""
    ctx.sessions()  # migrate before the workers start
    settings = instance_settings()
    env = dict(os.environ, PROCUREMENT_DATABASE_URL=database_url(ctx.database_url))
    if insecure_cookies:
        env.update(
            PROCUREMENT_SESSION_COOKIE_SECURE="false", PROCUREMENT_REMEMBER_COOKIE_SECURE="false"
        )
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    click.echo(f"Serving http://{bind}/ (settings: {settings}); Ctrl+C stops.")
    arguments = [gunicorn, "--bind", bind, "--workers", str(workers), "--threads", str(threads)]
    arguments += ["--access-logfile", "-", "web:create_app()"]
    os.execvpe(gunicorn, arguments, env)


def instance_settings() -> Path:
    """Return the instance settings file, writing one with a random secret key if missing.

    The key signs session cookies and CSRF tokens; it stays on this machine, in var/instance.
    """
    path = data_dir() / "instance" / "settings.py"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "# Written by `procurement serve`; keep it secret. Settings here override defaults.\n"
            f'SECRET_KEY = "{secrets.token_hex(32)}"\n',
            encoding="utf-8",
        )
        path.chmod(0o600)
    return path
