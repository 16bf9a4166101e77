"""DOM-02: an imported product bought where a cheaper domestic one was awarded in the window."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from rules.domestic import dom02_imported_despite_domestic  # noqa: F401  (registers DOM-02)
from rules.domestic.dom02_imported_despite_domestic import cheapest_before
from tests.rules.frames import awards, line, run

DAY = date(2025, 3, 15)


def imported(**values: Any) -> dict[str, Any]:
    """An imported tablet of the default identity, bought on DAY at 500 a tablet."""
    row = {"origin": "imported", "product_id": 9, "product_name": "Efferalgan 500",
           "registration_number": "VN-22222-20", "country": "France", "unit_price": 500.0,
           "supplier_id": 9}  # fmt: skip
    return line(**{**row, **values})


def domestic(**values: Any) -> dict[str, Any]:
    """A domestic tablet of the same identity bought by another buyer."""
    row = {"buyer_id": 2, "buyer": "Bệnh viện Đa khoa tỉnh Hà Tĩnh", "product_id": 1,
           "decision_date": DAY - timedelta(days=30), "unit_price": 400.0}  # fmt: skip
    return line(**{**row, **values})


def test_fires_with_the_cheapest_domestic_alternative_in_evidence() -> None:
    outcome = run(
        "DOM-02",
        imported(quantity=1000),
        domestic(unit_price=450.0, product_id=3, product_name="Panadol VN"),
        domestic(unit_price=400.0),
    )
    assert outcome.evaluated == 1
    assert dict(+outcome.not_applicable) == {"domestic product": 2}
    finding = outcome.findings[0]
    assert (finding.observed, finding.benchmark) == (500.0, 400.0)
    evidence = finding.evidence
    assert (evidence["domestic_price"], evidence["domestic_product"]) == (400.0, "Hapacol 500")
    assert evidence["domestic_buyer"] == "Bệnh viện Đa khoa tỉnh Hà Tĩnh"
    assert evidence["domestic_decision_date"] == pd.Timestamp(DAY - timedelta(days=30))
    assert (evidence["price_difference"], evidence["excess_share"]) == (100.0, 0.25)
    assert evidence["extra_cost"] == 100_000.0  # 100 VND more on each of 1,000 tablets
    assert "25.0% above domestic Hapacol 500" in finding.message_en
    assert "cao hơn 25,0% so với thuốc trong nước" in finding.message_vi


def test_extra_cost_counts_base_units_of_a_pack() -> None:
    outcome = run("DOM-02", imported(unit="Hộp", quantity=10, unit_price=50_000.0,
                                     standard_unit_price=500.0), domestic())  # fmt: skip
    evidence = outcome.findings[0].evidence
    assert (evidence["standard_unit_price"], evidence["extra_cost"]) == (500.0, 100_000.0)


@pytest.mark.parametrize(
    ("alternative", "fires"),
    [({"decision_date": DAY}, True),
     ({"decision_date": DAY - timedelta(days=365)}, True),
     ({"decision_date": DAY - timedelta(days=366)}, False),
     ({"decision_date": DAY + timedelta(days=1)}, False),
     ({"unit_price": 500.0}, False),
     ({"unit_price": 499.0}, True),
     ({"standard_unit": "capsule"}, False),
     ({"identity_key": "paracetamol|650mg|tablet"}, False),
     ({"origin": "unknown"}, False),
     ({"currency": "USD"}, False)],
    ids=["same-day", "365-days-before", "366-days-before", "day-after", "same-price",
         "one-dong-cheaper", "other-standard-unit", "other-identity", "origin-unknown",
         "other-currency"],
)  # fmt: skip
def test_window_price_and_identity(alternative: dict[str, Any], fires: bool) -> None:
    outcome = run("DOM-02", imported(), domestic(**alternative))
    assert outcome.evaluated == 1
    assert bool(outcome.findings) is fires


def test_window_days_parameter() -> None:
    rows = (imported(), domestic(decision_date=DAY - timedelta(days=40)))
    assert run("DOM-02", *rows, window_days=30).findings == []
    assert len(run("DOM-02", *rows, window_days=40).findings) == 1


def test_lines_it_cannot_check() -> None:
    outcome = run(
        "DOM-02",
        imported(standard_unit=None, standard_unit_price=None),
        imported(origin="unknown", product_id=10),
        domestic(),
    )
    assert outcome.evaluated == 0
    assert dict(+outcome.not_applicable) == {
        "no price per standard unit": 1, "origin unknown": 1, "domestic product": 1,
    }  # fmt: skip


def test_cheapest_before_matches_a_brute_force_search() -> None:
    rng = np.random.default_rng(7)
    size = 160
    frame = awards(*[
        line(identity_key=f"x|{rng.integers(3)}|tablet", standard_unit="tablet",
             unit_price=float(rng.integers(1, 50)),
             decision_date=date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 500))))
        for _ in range(size)
    ])  # fmt: skip
    pool, lines = frame.iloc[: size // 2], frame.iloc[size // 2 :]
    found = cheapest_before(lines, pool, 60)
    for position, (_, row) in zip(found, lines.iterrows(), strict=True):
        peers = pool[
            (pool["identity_key"] == row["identity_key"])
            & (pool["decision_date"] <= row["decision_date"])
            & (pool["decision_date"] >= row["decision_date"] - timedelta(days=60))
        ]
        if peers.empty:
            assert position == -1
        else:
            cheapest = pool.iloc[position]["standard_unit_price"]
            assert cheapest == peers["standard_unit_price"].min()
            assert pool.index[position] in peers.index
