"""The flag page's parts on their own: the peer chart's SVG and reading a file's original row."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from procurement.services.flag_peers import PeerPrices
from procurement.services.flag_review import SourceRef
from web.review.chart import peer_chart, ticks
from web.review.source_row import (
    MAX_STREAMED_ROW,
    MISSING,
    NOT_FOUND,
    NOT_STORED,
    TOO_DEEP,
    original_row,
)


def _peers(prices: list[float], price: float, **changes) -> PeerPrices:  # type: ignore[no-untyped-def]
    values = {
        "flag_id": 7, "price": price, "unit": "tablet", "prices": sorted(prices),
        "window_from": date(2024, 1, 1), "window_to": date(2024, 12, 31), "median": 100.0,
        "q1": 90.0, "q3": 110.0, "fence": 140.0, "iqr_k": 1.5, "benchmark": 140.0,
        "from_rule": True, "capped": False,
    }  # fmt: skip
    return PeerPrices(**{**values, **changes})


def _x(svg: str, css_class: str) -> float:
    found = re.search(rf'<line class="{css_class}" x1="([\d.]+)"', svg)
    assert found, css_class
    return float(found.group(1))


def test_the_chart_places_the_band_median_fence_and_price_in_order(app: Flask) -> None:
    with app.test_request_context():
        svg = str(peer_chart(_peers([85, 95, 100, 105, 120], 180.0)))
    assert _x(svg, "median") < _x(svg, "fence")
    flagged = re.search(r'class="flagged-price" data-price="180"><title>([^<]+)</title>', svg)
    assert flagged and "180 ₫" in flagged.group(1)
    assert 'class="benchmark"' not in svg  # the same value as the fence is drawn once
    assert svg.count("<circle cx=") == 5 and 'style="' not in svg and "<script" not in svg


def test_a_wide_price_range_gets_a_log_axis_and_many_peers_are_thinned(app: Flask) -> None:
    prices = [float(p) for p in range(10, 5000, 2)]  # 2,495 peers over 500x
    with app.test_request_context():
        svg = str(peer_chart(_peers(prices, 9000.0, from_rule=False)))
    axis = re.findall(r'text-anchor="middle" fill="#5d6b78">([^<]+)</text>', svg)
    assert axis == ["10 ₫", "100 ₫", "1.000 ₫"]  # decades: a linear axis would hide the cheap
    assert svg.count("<circle cx=") <= 600


@pytest.mark.parametrize(
    ("low", "high", "log", "expected"),
    [
        (0.0, 100.0, False, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
        (212.0, 251.0, False, [220.0, 230.0, 240.0, 250.0]),
        (30.0, 1000.0, True, [50.0, 100.0, 200.0, 500.0, 1000.0]),
        (10.0, 5000.0, True, [10.0, 100.0, 1000.0]),  # 1-2-5 would crowd: decades
    ],
)
def test_ticks_are_round_numbers(low: float, high: float, log: bool, expected: list) -> None:
    assert ticks(low, high, log) == pytest.approx(expected)


def _source(path: Path | None, row: int, fmt: str = "csv") -> SourceRef:
    return SourceRef(
        file_id=1, name="list.csv", file_format=fmt, size_bytes=0,
        stored_path=str(path) if path else None, status="imported", sheet=None, row=row,
        columns=[("A", "Tên thuốc"), ("B", "Đơn giá")],
    )  # fmt: skip


def test_the_original_row_is_read_under_the_files_headers(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Tên thuốc,Đơn giá,Ghi chú\nHapacol 500,420,\nAugmentin 1g,15500,gấp\n")
    row = original_row(_source(path, 3))
    assert [(c.column, c.header, c.value) for c in row.cells] == [
        ("A", "Tên thuốc", "Augmentin 1g"), ("B", "Đơn giá", "15500"), ("C", "", "gấp"),
    ]  # fmt: skip
    assert row.problem is None


@pytest.mark.parametrize(
    ("stored", "row", "problem"),
    [
        pytest.param(False, 2, NOT_STORED, id="no-copy-kept"),
        pytest.param(True, 2, MISSING, id="copy-gone"),
        pytest.param(True, MAX_STREAMED_ROW + 1, TOO_DEEP, id="too-deep-to-read-on-a-page"),
        pytest.param(True, 99, NOT_FOUND, id="no-such-row"),
    ],
)
def test_what_cannot_be_read_says_why(tmp_path: Path, stored: bool, row: int, problem: str) -> None:
    path = tmp_path / "list.csv"
    if problem != MISSING:
        path.write_text("Tên thuốc,Đơn giá\nHapacol 500,420\n")
    result = original_row(_source(path if stored else None, row))
    assert (result.cells, result.problem) == ((), problem)
