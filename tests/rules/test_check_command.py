"""`procurement check` and `procurement flags` on an imported list."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from procurement.cli import main
from tests.importers.published import AUGMENTIN, PARACETAMOL, VACCINE, hospital_list, save_xlsx


def _import(runner: CliRunner, tmp_path: Path, *options: str) -> str:
    lines = [replace(PARACETAMOL, price=420, planned=400), AUGMENTIN]
    path = save_xlsx(tmp_path / "list.xlsx", {"DS": hospital_list({"I": lines})})
    result = runner.invoke(main, ["import", str(path), *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_check_twice_raises_once_and_lists_the_flag(runner: CliRunner, tmp_path: Path) -> None:
    _import(runner, tmp_path, "--no-check")
    first = runner.invoke(main, ["check", "--rules", "PRC-01"])
    assert first.exit_code == 0, first.output
    row = next(line for line in first.output.splitlines() if line.startswith("PRC-01"))
    assert row.split()[2:7] == ["2", "0", "1", "0", "0"]
    second = runner.invoke(main, ["check", "--rules", "PRC-01"])
    row = next(line for line in second.output.splitlines() if line.startswith("PRC-01"))
    assert row.split()[4:7] == ["0", "1", "0"]
    out = tmp_path / "flags.csv"
    listed = runner.invoke(main, ["flags", "--rule", "PRC-01", "--format", "csv", "-o", str(out)])
    assert "1 flags written" in listed.output
    with out.open(encoding="utf-8-sig") as handle:
        flag = next(csv.DictReader(handle))
    assert (flag["product"], flag["unit_price"], flag["source_row"]) == (
        "Hapacol 500",
        "420.0",
        "12",
    )
    assert flag["buyer"] == "BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN"


def test_an_unknown_rule_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--rules", "PRC-77"])
    assert result.exit_code != 0
    assert "unknown rule(s): PRC-77" in result.output


def test_an_award_import_checks_what_it_touched_and_closes_nothing_else(
    runner: CliRunner, tmp_path: Path
) -> None:
    output = _import(runner, tmp_path)
    assert "checked 15 rules on 2 identities and 1 buyers" in output
    listed = runner.invoke(main, ["flags", "--rule", "PRC-01", "--status", "open"])
    assert "1 flags" in listed.output
    other = save_xlsx(tmp_path / "other.xlsx", {"DS": hospital_list({"I": [VACCINE]})})
    second = runner.invoke(main, ["import", str(other)])
    assert "checked 15 rules on 1 identities and 1 buyers" in second.output
    listed = runner.invoke(main, ["flags", "--rule", "PRC-01", "--status", "open"])
    assert "1 flags" in listed.output  # a line outside the second import's scope stays open
