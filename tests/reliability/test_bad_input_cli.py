"""The bad-input corpus fed to `procurement import`: a refusal is one sentence, exit 1, and
nothing written; any other file is imported with its bad rows reported row by row."""

from __future__ import annotations

import resource
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.cli import main
from tests.reliability.corpus import (
    BOMB_MEGABYTES,
    REFUSED,
    assert_rows_outcome,
    by_id,
    case_ids,
    stored_lines,
    written,
)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write every case once per session (the bomb and the big files included)."""
    folder = tmp_path_factory.mktemp("corpus-cli")
    return {case_id: by_id(case_id).build(folder / case_id) for case_id in case_ids()}


@pytest.mark.parametrize("case_id", case_ids())
def test_cli_refuses_or_reports_row_by_row(
    case_id: str,
    corpus: dict[str, Path],
    runner: CliRunner,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    case = by_id(case_id)
    result = runner.invoke(main, ["import", str(corpus[case_id])])
    output = result.output  # stdout and stderr, as the officer's terminal shows them
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    found = written(sessions, tmp_path / "data")
    if case.expect == REFUSED:
        assert result.exit_code == 1, output
        assert "REFUSED" in output and case.refusal in output, output
        assert output.count("REFUSED") == 1
        assert found.nothing, found
    else:
        assert result.exit_code == 0, output
        assert "imported as #1" in output, output
        assert f"{case.accepted:,} accepted" in output
        assert (found.lines, found.imported) == (case.accepted, 1)
        assert_rows_outcome(case, found, stored_lines(sessions, tmp_path))


def test_zip_bomb_is_refused_before_it_inflates(
    corpus: dict[str, Path], sessions: sessionmaker[Session]
) -> None:
    bomb = corpus["zip-bomb"]
    inflated = BOMB_MEGABYTES * 1024**2
    assert bomb.stat().st_size < inflated / 500
    tracemalloc.start()
    try:
        outcome = import_file(bomb, sessions)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome.status == "refused" and outcome.refusal is not None
    assert "over 2 GB" in outcome.refusal.note_en  # the sentence names the bound
    assert peak < 16 * 1024**2  # Python allocations: nothing was inflated
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    assert max_rss < inflated / 2  # nor by any native reader, at any time in this process
