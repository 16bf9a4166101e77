"""Catalog compilation at start-up, as several gunicorn workers do it at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from babel.messages.mofile import read_mo

from web.i18n import SOURCE, compile_catalogs


def _compile_together(barrier, target: Path) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()  # every worker past its imports: they compile at the same moment
    compile_catalogs(SOURCE, target)


def test_workers_compiling_at_the_same_time_all_start(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(8)
    workers = [
        context.Process(target=_compile_together, args=(barrier, tmp_path)) for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0] * 8
    compiled = tmp_path / "vi" / "LC_MESSAGES" / "messages.mo"
    with compiled.open("rb") as handle:
        assert read_mo(handle).get("Sign in").string == "Đăng nhập"
    assert list(compiled.parent.glob("*.part")) == []
