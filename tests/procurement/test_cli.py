"""The command line as an officer uses it: exit codes, sentences, reports and exports."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from procurement.cli import main
from tests.importers.published import AUGMENTIN, PARACETAMOL, hospital_list, save_xlsx


def _bad_list(tmp_path: Path) -> Path:
    lines = [replace(PARACETAMOL, price="abc"), replace(AUGMENTIN, name='=HYPERLINK("x")')]
    return save_xlsx(tmp_path / "list.xlsx", {"DS": hospital_list({"I": lines})})


def test_import_prints_counts_and_errors_and_exits_zero(runner: CliRunner, tmp_path: Path) -> None:
    path = _bad_list(tmp_path)
    result = runner.invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 accepted, 1 rejected" in result.output
    assert "'abc'" in result.output and "không phải là số" in result.output
    again = runner.invoke(main, ["import", str(path)])  # the same bytes (openpyxl stamps times)
    assert "already imported as #1" in again.output


def test_a_refused_file_exits_nonzero_with_one_sentence(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    result = runner.invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert "REFUSED" in result.output
    assert "Traceback" not in result.output


def test_errors_export_keeps_the_original_values(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["import", str(_bad_list(tmp_path))])
    report = tmp_path / "errors.xlsx"
    result = runner.invoke(main, ["errors", "1", "-o", str(report)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("Trang / Sheet", "Dòng / Row")
    record = dict(zip(header, rows[1], strict=True))
    assert (record["Dòng / Row"], record["Cột / Column"], record["Giá trị / Value"]) == (
        12,
        "O",
        "abc",
    )
    assert record["Tên thuốc"] == "Hapacol 500"


def test_export_awards_in_three_formats_neutralizes_formulas(
    runner: CliRunner, tmp_path: Path
) -> None:
    runner.invoke(main, ["import", str(_bad_list(tmp_path))])
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"awards.{fmt}"
        result = runner.invoke(main, ["export", "awards", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "1 award lines" in result.output
    with (tmp_path / "awards.csv").open(encoding="utf-8-sig") as handle:
        row = next(csv.DictReader(handle))
    assert row["product_name"] == '\'=HYPERLINK("x")'
    assert (row["origin"], row["source_row"]) == ("imported", "13")
    data = json.loads((tmp_path / "awards.json").read_text(encoding="utf-8"))
    assert data[0]["unit_price"] == 15500
    sheet = load_workbook(tmp_path / "awards.xlsx").active
    assert sheet.freeze_panes == "A2"
    names = [c.value for c in sheet[1]]
    assert sheet.cell(2, names.index("product_name") + 1).data_type == "s"


def test_withdraw_removes_the_lines_and_allows_reimport(runner: CliRunner, tmp_path: Path) -> None:
    path = _bad_list(tmp_path)
    runner.invoke(main, ["import", str(path)])
    result = runner.invoke(main, ["withdraw", "1", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 award lines" in result.output
    listing = runner.invoke(main, ["imports"])
    assert "withdrawn" in listing.output
    again = runner.invoke(main, ["import", str(path)])
    assert "imported as #1" in again.output
