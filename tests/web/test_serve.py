"""`procurement serve` runs the app under gunicorn, a production WSGI server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_over_http_with_a_generated_secret(db_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, PROCUREMENT_DATABASE_URL=db_url, PROCUREMENT_DATA_DIR=str(tmp_path))
    procurement = Path(sys.executable).parent / "procurement"
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [procurement, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in") as response:
                    body = response.read().decode()
                    server_header = response.headers.get("Server", "")
                break
            except OSError:
                time.sleep(0.2)
        assert "Đăng nhập" in body, (tmp_path / "serve.log").read_text()
        assert "gunicorn" in server_header
        settings = (tmp_path / "instance" / "settings.py").read_text()
        assert "SECRET_KEY" in settings
        assert oct((tmp_path / "instance" / "settings.py").stat().st_mode)[-3:] == "600"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
