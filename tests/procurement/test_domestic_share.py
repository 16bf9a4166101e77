"""The domestic share report and `procurement shares` on imported award files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from importers.run import import_file
from procurement.cli.options import CliContext
from procurement.cli.shares import shares
from procurement.services.domestic_share import shares_report
from tests.importers.published import AUGMENTIN, PARACETAMOL, VACCINE, hospital_list, save_xlsx

TARGETS = {"domestic_share": {"nation": {"value": 0.70, "quantity": 0.80}}}
DISTRICT = {"buyer": "Trung tâm Y tế huyện Quỳnh Lưu", "decision_date": "02/01/2024",
            "province": "Nghệ An"}  # fmt: skip


def _lines(domestic: int, imported: int) -> list:
    """Tablets at 100 VND each: `domestic` Hapacol (domestic), `imported` Augmentin."""
    return [replace(PARACETAMOL, quantity=domestic, price=100, planned=120),
            replace(AUGMENTIN, quantity=imported, price=100, planned=120)]  # fmt: skip


@pytest.fixture
def imported_files(tmp_path: Path, sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """A provincial hospital in 2025 at 70% domestic; a district centre in 2024 at 90%.

    The provincial hospital also buys 400 doses of an imported vaccine at 100 VND: counted,
    they would bring its shares down to 50%.
    """
    vaccine = replace(VACCINE, quantity=400, price=100, planned=120)
    provincial = hospital_list({"I": _lines(700, 300), "II": [vaccine]})
    assert import_file(save_xlsx(tmp_path / "bv.xlsx", {"DS": provincial}), sessions).status == (
        "imported"
    )  # fmt: skip
    unknown = replace(PARACETAMOL, name="Thuốc X", registration="", country="", quantity=5,
                      price=1000, planned=2000)  # fmt: skip
    district = hospital_list({"I": [*_lines(900, 100), unknown]}, title=False)
    path = save_xlsx(tmp_path / "ttyt.xlsx", {"DS": district})
    assert import_file(path, sessions, settings=DISTRICT).status == "imported"
    return sessions


def test_report_by_buyer_with_shares_targets_and_met(imported_files: sessionmaker[Session]) -> None:
    with imported_files() as session:
        rows = shares_report(session, "buyer", None, TARGETS)
    assert [(r["year"], r["name"], r["level"]) for r in rows] == [
        (2024, "Trung tâm Y tế huyện Quỳnh Lưu", "district"),
        (2025, "BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN", "provincial"),
    ]  # fmt: skip
    district, provincial = rows
    assert (district["value_share"], district["quantity_share"], district["met"]) == (
        0.9,
        0.9,
        True,
    )
    assert (district["unknown_value"], district["unknown_lines"], district["lines"]) == (5000, 1, 3)
    assert (provincial["value_share"], provincial["quantity_share"]) == (0.7, 0.7)
    assert (provincial["lines"], provincial["total_value"]) == (2, 100_000)
    assert (provincial["excluded_lines"], provincial["excluded_value"]) == (1, 40_000)
    assert (district["excluded_lines"], district["excluded_value"]) == (0, 0)
    assert (provincial["value_target"], provincial["quantity_target"]) == (0.7, 0.8)
    assert (provincial["value_met"], provincial["quantity_met"], provincial["met"]) == (
        True, False, False,
    )  # fmt: skip


def test_report_for_one_year_and_level_targets(imported_files: sessionmaker[Session]) -> None:
    targets = {"domestic_share": {**TARGETS["domestic_share"],
                                  "levels": {"district": {"value": 0.95}}}}  # fmt: skip
    with imported_files() as session:
        nation = shares_report(session, "nation", 2025, targets)
        levels = shares_report(session, "level", None, targets)
        provinces = shares_report(session, "province", None, {})
    assert [(r["key"], r["year"], r["total_value"]) for r in nation] == [("nation", 2025, 100_000)]
    district = levels[0]
    assert (district["key"], district["value_target"], district["value_met"]) == (
        "district", 0.95, False,
    )  # fmt: skip
    assert [(r["key"], r["met"]) for r in provinces] == [("nghe-an", None), ("nghe-an", None)]


def test_shares_command_prints_the_table(
    imported_files: sessionmaker[Session], runner: CliRunner
) -> None:
    result = runner.invoke(shares, ["--by", "buyer"], obj=CliContext(None))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["year", "buyer", "value"]
    assert lines[1].startswith("2024  Trung tâm Y tế huyện Quỳnh Lưu")
    assert lines[1].split()[-8:] == ["90.0%", "70.0%", "90.0%", "80.0%", "3", "5.000", "₫", "met"]
    assert "70.0%   70.0%    70.0%   80.0%" in lines[2]
    assert lines[2].endswith("BELOW (quantity)")
    assert lines[3].startswith("2 rows, 1 below target.")
    assert lines[4] == (
        "Counted: medicine (targets.domestic_share.categories); left out: 1 vaccine line worth "
        "40.000 ₫."
    )


def test_shares_command_counts_vaccines_when_the_pack_says_so(
    imported_files: sessionmaker[Session], runner: CliRunner, tmp_path: Path
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("targets:\n  domestic_share:\n    nation: {value: 0.7, quantity: 0.8}\n"
                    "    categories: [medicine, vaccine]\n", encoding="utf-8")  # fmt: skip
    result = runner.invoke(shares, ["--year", "2025", "--pack", str(pack)], obj=CliContext(None))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split()[-9:] == [
        "50.0%", "70.0%", "50.0%", "80.0%", "3", "-", "BELOW", "(value,", "quantity)",
    ]  # fmt: skip
    assert lines[-1] == "Counted: medicine, vaccine (targets.domestic_share.categories)."
    with imported_files() as session:
        targets = {"domestic_share": {"nation": {"value": 0.7}, "categories": ["vaccine"]}}
        (row,) = shares_report(session, "buyer", 2025, targets)
    assert (row["lines"], row["value_share"], row["excluded_lines"]) == (1, 0.0, 2)


def test_shares_command_reads_the_packs_targets(
    imported_files: sessionmaker[Session], runner: CliRunner, tmp_path: Path
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("targets:\n  domestic_share:\n    nation: {value: 0.5, quantity: 0.5}\n",
                    encoding="utf-8")  # fmt: skip
    result = runner.invoke(shares, ["--by", "nation", "--pack", str(pack)],
                                obj=CliContext(None))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 below target" in result.output
    empty = runner.invoke(shares, ["--year", "2030"], obj=CliContext(None))
    assert empty.output.strip() == "no award lines in 2030"


@pytest.mark.parametrize(
    ("targets", "message"),
    [("nation: {value: 70}", "targets.domestic_share.nation.value must be a share between 0 and 1"),
     ("levels: {centrl: {value: 0.3}}", "targets.domestic_share.levels: unknown key 'centrl'"),
     ("categories: [medicine, vacine]",
      "key 'targets': targets.domestic_share.categories: unknown category 'vacine' (known: "
      "medicine, vaccine)")],
    ids=["percent-not-share", "misspelt-level", "misspelt-category"],
)  # fmt: skip
def test_shares_command_refuses_bad_targets_in_one_sentence(
    runner: CliRunner, tmp_path: Path, targets: str, message: str
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(f"targets:\n  domestic_share:\n    {targets}\n", encoding="utf-8")
    result = runner.invoke(shares, ["--pack", str(pack)], obj=CliContext(None))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
