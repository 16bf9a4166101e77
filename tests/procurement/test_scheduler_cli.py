"""`procurement scheduler`, `procurement check --stock` and stock flags in `procurement flags`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from procurement.cli import main
from procurement.models.schedule import FAILED, MANUAL, SUCCEEDED
from procurement.scheduler.jobs import JOBS
from tests.procurement.scheduler_world import (
    CountingJob,
    FlagJob,
    failing_job,
    runs,
    stock_finding,
)


@pytest.fixture
def stock_flags(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    job = FlagJob({("STK-01", "high"): [stock_finding("PARA500", "Paracetamol 500 mg")]})
    monkeypatch.setitem(JOBS, "stock", job)


def test_flags_show_the_facility_and_product_of_a_stock_flag(
    runner: CliRunner, stock_flags: None, tmp_path: Path
) -> None:
    checked = runner.invoke(main, ["check", "--stock"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[1].split()[:7] == [
        "STK-01", "high", "1", "0", "1", "0", "0",
    ]  # fmt: skip
    listed = runner.invoke(main, ["flags", "--rule", "STK-01"])
    assert listed.exit_code == 0, listed.output
    assert (
        "STK-01  high   open      Trung tâm Y tế huyện Nam Đàn | PARA500 Paracetamol 500 mg | "
        "2026-10-01: Paracetamol 500 mg hết hàng tại Trung tâm Y tế huyện Nam Đàn tháng 10/2026"
    ) in listed.output
    out = tmp_path / "flags.csv"
    runner.invoke(main, ["flags", "--rule", "STK-01", "--format", "csv", "-o", str(out)])
    with out.open(encoding="utf-8-sig") as handle:
        row = next(csv.DictReader(handle))
    assert (row["buyer"], row["product_code"], row["product"], row["period"]) == (
        "Trung tâm Y tế huyện Nam Đàn",
        "PARA500",
        "Paracetamol 500 mg",
        "2026-10-01",
    )


def test_check_stock_is_recorded_as_a_manual_stock_run(
    runner: CliRunner,
    sessions: sessionmaker[Session],
    stock_flags: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full = CountingJob()
    monkeypatch.setitem(JOBS, "full", full)
    assert runner.invoke(main, ["check", "--stock"]).exit_code == 0
    [run] = runs(sessions)
    assert (run.job, run.trigger, run.scheduled_for, run.status, run.new) == (
        "stock",
        MANUAL,
        None,
        SUCCEEDED,
        1,
    )
    assert full.days == []  # the full pack did not run


def test_check_stock_refuses_rules_of_other_families(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--stock", "--rules", "PRC-01"])
    assert result.exit_code == 1
    assert "not stock rules: PRC-01" in result.output


def test_scheduler_once_runs_a_job_now_and_prints_one_line(
    runner: CliRunner, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(JOBS, "stock", CountingJob())
    result = runner.invoke(main, ["scheduler", "--once", "stock"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("stock (manual, now): succeeded, 2 new, 1 unchanged, 0 updated")
    assert [(r.job, r.trigger) for r in runs(sessions)] == [("stock", MANUAL)]
    monkeypatch.setitem(JOBS, "stock", failing_job)
    failed = runner.invoke(main, ["scheduler", "--once", "stock"])
    assert failed.exit_code == 1
    assert "failed: ZeroDivisionError: months of stock over no consumption" in failed.output
    assert runs(sessions)[-1].status == FAILED


def test_scheduler_refuses_an_unknown_job_and_a_bad_configuration(
    runner: CliRunner, tmp_path: Path
) -> None:
    unknown = runner.invoke(main, ["scheduler", "--once", "stocks"])
    assert unknown.exit_code == 2 and "unknown job 'stocks'" in unknown.output
    bad = tmp_path / "scheduler.yaml"
    bad.write_text("jobs:\n  stock:\n    cron: '0 6 * * *'\n    when: daily\n", encoding="utf-8")
    result = runner.invoke(main, ["scheduler", "--config", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: key 'jobs.stock.when': unknown key (known: cron, enabled)" in result.output
