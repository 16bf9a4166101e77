"""The cheap row count behind the upload page's progress bar."""

from __future__ import annotations

from pathlib import Path

from importers.reading.estimate import estimate_rows
from importers.run import import_file
from tests.importers.files import write_csv, write_xls, write_xlsx
from tests.importers.published import hospital_list, save_xlsx


def test_an_xlsx_counts_the_rows_of_every_sheet_as_the_importer_reads_them(
    tmp_path: Path, sessions
) -> None:  # type: ignore[no-untyped-def]
    grid = hospital_list()
    path = save_xlsx(tmp_path / "list.xlsx", {"DS": grid, "DS2": hospital_list({"I": []})})
    assert estimate_rows(path) == len(grid.rows) + len(hospital_list({"I": []}).rows)
    assert estimate_rows(path) == import_file(path, sessions).tally.rows_read


def test_csv_counts_line_breaks_with_or_without_a_final_one(tmp_path: Path) -> None:
    rows = [["Tên thuốc", "Đơn giá"], ["Hapacol", "1.000"], ["Augmentin", "15.500"]]
    path = write_csv(tmp_path / "list.csv", rows)
    assert estimate_rows(path) == 3
    path.write_bytes(path.read_bytes().rstrip(b"\r\n"))
    assert estimate_rows(path) == 3


def test_no_cheap_count_is_none(tmp_path: Path) -> None:
    assert estimate_rows(write_xls(tmp_path / "old.xls", {"S": [["a", 1]]})) is None
    assert estimate_rows(tmp_path / "missing.xlsx") is None
    assert estimate_rows(write_xlsx(tmp_path / "empty.xlsx", {"S": []})) in (None, 1)
