"""CMP-01: one bidder in a competitive procedure."""

from __future__ import annotations

from tests.rules.frames import line, run


def test_fires_for_one_bidder_in_open_bidding_only() -> None:
    outcome = run(
        "CMP-01",
        line(procedure="open_bidding", bidder_count=1),
        line(procedure="open_bidding", bidder_count=2, product_id=2),
        line(procedure="direct_appointment", bidder_count=1, product_id=3),
        line(procedure=None, bidder_count=1, product_id=4),
        line(procedure="restricted_bidding", bidder_count=None, product_id=5),
    )
    assert outcome.evaluated == 2
    assert [f.evidence["bidder_count"] for f in outcome.findings] == [1]
    assert outcome.not_applicable == {
        "no procedure stated": 1,
        "not a competitive procedure": 1,
        "no bidder count": 1,
    }


def test_max_bidders_parameter() -> None:
    outcome = run("CMP-01", line(bidder_count=2), max_bidders=2)
    assert len(outcome.findings) == 1
