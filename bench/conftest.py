"""Benchmark inputs: large award lists written by the demo generator, cached between runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from procurement.demo.generator import award_lines
from procurement.demo.layouts import write_hospital_list

CACHE = Path(os.environ.get("PROCUREMENT_BENCH_CACHE", Path(__file__).parent / ".cache"))
BUYER = {"name": "Bệnh viện Đa khoa tỉnh Nghệ An", "parent": "SỞ Y TẾ TỈNH NGHỆ AN"}
DECISION = {"number": "215/QĐ-BV", "date": "15/03/2025", "tender_name": "Thuốc generic 2025"}


def award_list(lines: int) -> Path:
    """Return a hospital result list with `lines` award lines, writing it once."""
    path = CACHE / f"hospital-list-{lines}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.xlsx")
        write_hospital_list(partial, BUYER, DECISION, award_lines(seed=7, n=lines))
        partial.replace(path)
    return path


@pytest.fixture(scope="session")
def list_200k() -> Path:
    """A 200,000-line list: the import-speed benchmark's input."""
    return award_list(200_000)
