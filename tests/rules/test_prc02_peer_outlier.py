"""PRC-02: peer price outlier (Tukey fence or modified z-score of the log price)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

import rules.price.prc02_peer_outlier  # noqa: F401
from procurement.identity import identity_key_from_text
from rules.engine.data import RuleData
from rules.engine.pack import RuleSettings, build_params
from rules.engine.registry import REGISTRY
from rules.engine.runner import RuleContext
from tests.rules.frames import awards, line, run

DAY = date(2025, 3, 15)
PEERS = (100.0, 102.0, 98.0, 101.0, 99.0, 103.0)


def peers(prices, start: date = date(2025, 1, 1), **values):
    """Return lines at these prices, one a day from `start`, each its own tender."""
    return [
        line(
            standard_unit_price=p,
            unit_price=p,
            decision_date=start + timedelta(days=k),
            tender_id=1000 + k,
            **values,
        )
        for k, p in enumerate(prices)
    ]


def test_fires_by_both_tests_with_the_peer_statistics_in_evidence() -> None:
    target = line(standard_unit_price=300.0, unit_price=300.0, decision_date=DAY, line_id=77)
    outcome = run("PRC-02", *peers(PEERS), target)
    # the first five peers have fewer than five earlier peers; the sixth is judged and passes
    assert (outcome.evaluated, outcome.not_applicable["too few peers"]) == (2, 5)
    [finding] = outcome.findings
    e = finding.evidence
    assert (finding.line_id, finding.buyer_id, finding.year) == (77, 1, 2025)
    assert e["tests"] == ["tukey-fence", "modified-z"]
    assert (e["peer_count"], e["q1"], e["median"], e["q3"]) == (6, 99.25, 100.5, 101.75)
    assert (e["iqr"], e["fence"]) == (2.5, 105.5)
    logs = np.log(np.array(PEERS))
    median = np.median(logs)
    mad = np.median(np.abs(logs - median))
    assert e["log_median"] == median and e["mad"] == mad
    assert e["modified_z"] == pytest.approx(0.6745 * (np.log(300.0) - median) / mad, rel=1e-12)
    assert e["z_test"] == "run"
    assert (e["window_from"], e["window_to"]) == (pd.Timestamp(2024, 3, 15), pd.Timestamp(DAY))
    assert (finding.observed, finding.benchmark) == (300.0, 105.5)
    assert "300 ₫ per tablet, above the fence Q3 + 1.5 IQR = 106 ₫" in finding.message_en
    assert "6 lines" in finding.message_en and "median 100 ₫" in finding.message_en
    assert "Đơn giá quy đổi 300 ₫/tablet cao bất thường" in finding.message_vi


@pytest.mark.parametrize(
    ("price", "fires"), [(105.5, False), (105.51, True)], ids=["at-fence-near-miss", "above-fence"]
)
def test_the_fence_is_strict(price: float, fires: bool) -> None:
    target = line(standard_unit_price=price, unit_price=price, decision_date=DAY)
    outcome = run("PRC-02", *peers(PEERS), target)
    assert [f.evidence["tests"] for f in outcome.findings] == ([["tukey-fence"]] if fires else [])


def test_modified_z_alone_fires_below_a_wide_fence() -> None:
    target = line(standard_unit_price=120.0, unit_price=120.0, decision_date=DAY)
    [finding] = run("PRC-02", *peers(PEERS), target, iqr_k=10.0).findings
    assert finding.evidence["tests"] == ["modified-z"]
    assert finding.evidence["fence"] == 101.75 + 10 * 2.5
    assert finding.evidence["modified_z"] > 3.5
    assert "modified z-score" in finding.message_en
    assert run("PRC-02", *peers(PEERS), target, iqr_k=10.0, z_limit=50.0).findings == []


def test_mad_zero_skips_the_z_test_and_the_fence_is_the_common_price() -> None:
    same = peers([100.0] * 5)
    higher = line(standard_unit_price=101.0, unit_price=101.0, decision_date=DAY)
    [finding] = run("PRC-02", *same, higher).findings
    e = finding.evidence
    assert (e["q1"], e["q3"], e["iqr"], e["fence"], e["mad"]) == (100.0, 100.0, 0.0, 100.0, 0.0)
    assert (e["modified_z"], e["tests"]) == (None, ["tukey-fence"])
    assert e["z_test"] == "skipped: MAD of log prices is 0"
    assert finding.benchmark == 100.0
    equal = line(standard_unit_price=100.0, unit_price=100.0, decision_date=DAY)
    outcome = run("PRC-02", *same, equal)
    assert (outcome.findings, outcome.evaluated) == ([], 1)


def test_too_few_peers_is_not_applicable_and_min_peers_is_a_parameter() -> None:
    rows = [*peers([100.0] * 4), line(standard_unit_price=500.0, unit_price=500.0)]
    outcome = run("PRC-02", *rows)
    assert (outcome.findings, outcome.evaluated) == ([], 0)
    assert outcome.not_applicable["too few peers"] == 5
    assert len(run("PRC-02", *rows, min_peers=4).findings) == 1


@pytest.mark.parametrize(
    ("days_before", "judged"), [(365, True), (366, False)], ids=["365-days-in", "366-days-out"]
)
def test_window_edge(days_before: int, judged: bool) -> None:
    old = line(decision_date=DAY - timedelta(days=days_before), tender_id=900)
    later = line(decision_date=DAY + timedelta(days=1), tender_id=901)  # after: never a peer
    target = line(standard_unit_price=500.0, unit_price=500.0, decision_date=DAY)
    outcome = run("PRC-02", *peers([400.0] * 4), old, later, target)
    assert len(outcome.findings) == int(judged)
    if judged:
        assert outcome.findings[0].evidence["peer_count"] == 5


def test_a_boxed_price_is_never_a_peer_of_a_tablet() -> None:
    boxes = peers([1000.0] * 5, standard_unit="box", unit="Hộp")
    target = line(standard_unit_price=150.0, unit_price=150.0, decision_date=DAY)
    outcome = run("PRC-02", *boxes, *peers([100.0] * 5), target)
    [finding] = outcome.findings
    assert (finding.line_id, finding.evidence["peer_count"]) == (target["line_id"], 5)
    assert finding.evidence["fence"] == 100.0
    alone = run("PRC-02", *boxes, target)
    assert alone.findings == []


def test_several_active_ingredients_in_any_order_are_one_identity() -> None:
    written = identity_key_from_text("Amoxicilin; Acid clavulanic", "500mg; 125mg", "Viên nén")
    swapped = identity_key_from_text("Acid clavulanic + Amoxicilin", "125mg + 500mg", "viên nén")
    alone = identity_key_from_text("Amoxicilin", "500mg", "Viên nén")
    assert written == swapped != alone
    target = line(
        identity_key=swapped, standard_unit_price=300.0, unit_price=300.0, decision_date=DAY
    )
    rows = [*peers(PEERS, identity_key=written), *peers([9000.0] * 5, identity_key=alone)]
    [finding] = run("PRC-02", *rows, target).findings
    assert (finding.line_id, finding.evidence["peer_count"]) == (target["line_id"], 6)


def test_same_group_keeps_technical_groups_apart() -> None:
    target = line(drug_group="N1", standard_unit_price=150.0, unit_price=150.0, decision_date=DAY)
    rows = [*peers([100.0] * 5, drug_group="N4"), target]
    assert len(run("PRC-02", *rows).findings) == 1
    apart = run("PRC-02", *rows, same_group=True)
    assert (apart.findings, apart.not_applicable["too few peers"]) == ([], 6)


def test_lines_that_cannot_be_checked_are_counted_apart() -> None:
    outcome = run(
        "PRC-02",
        line(standard_unit_price=None, unit_price=100.0),
        line(standard_unit_price=0.0, unit_price=100.0),
        line(standard_unit=None),
        line(decision_date=None),
    )
    assert outcome.evaluated == 0
    assert outcome.not_applicable == {
        "no standardized price": 2,
        "no standard unit": 1,
        "no decision date": 1,
        "too few peers": 0,
    }


def test_vaccines_use_their_own_category_parameters() -> None:
    vaccine = {
        "product_name": "Vắc xin sởi",
        "registration_number": "QLVX-1-20",
        "identity_key": "measles|1dose|injection",
        "standard_unit": "dose",
    }
    rows = [
        *peers([100.0] * 2, **vaccine),
        line(standard_unit_price=150.0, unit_price=150.0, decision_date=DAY, **vaccine),
    ]
    spec = REGISTRY["PRC-02"]
    default = build_params("test", spec.params, {})
    settings = RuleSettings(
        spec,
        True,
        "medium",
        default,
        {"vaccine": build_params("test", spec.params, {"min_peers": 2})},
    )
    outcome = spec.function(RuleData(awards=awards(*rows)), RuleContext(settings, {}))
    assert [f.evidence["peer_count"] for f in outcome.findings] == [2]
    assert len(run("PRC-02", *rows).findings) == 0


def test_statistics_match_an_independent_numpy_computation() -> None:
    rng = np.random.default_rng(20250315)
    rows = []
    for k in range(120):
        unit = "tablet" if k % 3 else "box"
        price = float(rng.choice([90, 100, 100, 110, 120, 135, 400])) * (10 if unit == "box" else 1)
        rows.append(
            line(
                standard_unit=unit,
                standard_unit_price=price,
                unit_price=price,
                identity_key=f"drug{k % 2}|500mg|tablet",
                tender_id=k,
                decision_date=date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 600))),
            )
        )
    frame = awards(*rows)
    outcome = run("PRC-02", data=RuleData(awards=frame), iqr_k=1.5, z_limit=3.5)
    found = {f.line_id: f.evidence for f in outcome.findings}
    expected, evaluated = set(), 0
    for row in frame.itertuples():
        window = frame[
            (frame["identity_key"] == row.identity_key)
            & (frame["standard_unit"] == row.standard_unit)
            & (frame["decision_date"] <= row.decision_date)
            & (frame["decision_date"] >= row.decision_date - pd.Timedelta(days=365))
            & (frame["line_id"] != row.line_id)
        ]["standard_unit_price"].to_numpy()
        if len(window) < 5:
            continue
        evaluated += 1
        q1, q3 = np.quantile(window, [0.25, 0.75], method="linear")
        fence = q3 + 1.5 * (q3 - q1)
        logs = np.log(window)
        mad = np.median(np.abs(logs - np.median(logs)))
        z = 0.6745 * (np.log(row.standard_unit_price) - np.median(logs)) / mad if mad else None
        if row.standard_unit_price > fence or (z is not None and z > 3.5):
            expected.add(row.line_id)
            e = found[row.line_id]
            assert (e["fence"], e["q1"], e["q3"], e["peer_count"]) == (fence, q1, q3, len(window))
            assert e["mad"] == mad
    assert set(found) == expected and len(expected) >= 5
    assert outcome.evaluated == evaluated
