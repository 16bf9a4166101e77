"""Deciding on flags: comments required, auditors only, all or nothing in bulk, history kept,
and the rules never overwrite a decision. Also what the flag page is given to show."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.models import Flag, FlagHistory
from procurement.services.flag_peers import flag_peer_prices, months_before, quantile
from procurement.services.flag_review import (
    DecisionError,
    FlagNotFound,
    flag_decide,
    flag_decide_many,
    flag_detail,
)
from procurement.services.permissions import Forbidden
from tests.procurement.flag_world import (
    ADMIN,
    AUDITOR,
    OFFICER,
    SECOND_AUDITOR,
    add_flag,
    market,
    small_world,
)


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session, session.begin():
        return small_world(session)


def _status(sessions: sessionmaker[Session], flag_id: int) -> str:
    with sessions() as session:
        return session.get(Flag, flag_id).status  # type: ignore[union-attr]


def _history(sessions: sessionmaker[Session], flag_id: int) -> list[tuple]:
    with sessions() as session:
        rows = session.execute(
            select(FlagHistory.id, FlagHistory.actor, FlagHistory.event, FlagHistory.from_status,
                   FlagHistory.to_status, FlagHistory.comment, FlagHistory.at)
            .where(FlagHistory.flag_id == flag_id).order_by(FlagHistory.id)
        )  # fmt: skip
        return [tuple(r) for r in rows]


@pytest.mark.parametrize("comment", ["", "   ", None], ids=["empty", "blank", "none"])
def test_a_decision_without_a_comment_is_refused_and_changes_nothing(
    sessions: sessionmaker[Session], world: dict[str, int], comment: str | None
) -> None:
    with sessions() as session, pytest.raises(DecisionError, match="comment"):
        flag_decide(session, AUDITOR, world["high1"], "confirmed", comment)  # type: ignore[arg-type]
    assert _status(sessions, world["high1"]) == "open"
    assert _history(sessions, world["high1"]) == []


@pytest.mark.parametrize("decision", ["open", "closed", "approve"])
def test_only_confirm_dismiss_and_escalate_are_decisions(
    sessions: sessionmaker[Session], world: dict[str, int], decision: str
) -> None:
    with sessions() as session, pytest.raises(DecisionError, match="unknown decision"):
        flag_decide(session, AUDITOR, world["high1"], decision, "because")


@pytest.mark.parametrize("actor", [OFFICER, ADMIN], ids=["officer", "admin"])
def test_only_auditors_decide(
    sessions: sessionmaker[Session], world: dict[str, int], actor
) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        with pytest.raises(Forbidden):
            flag_decide(session, actor, world["high1"], "confirmed", "looks wrong")
        with pytest.raises(Forbidden):
            flag_decide_many(session, actor, [world["high1"]], "dismissed", "fine")
    assert _status(sessions, world["high1"]) == "open"


@pytest.mark.parametrize(
    ("start", "decision"),
    [
        ("open", "confirmed"),
        ("closed", "dismissed"),
        ("escalated", "confirmed"),
        ("dismissed", "escalated"),
        ("confirmed", "dismissed"),
    ],
)
def test_a_decision_moves_the_flag_and_appends_who_when_from_to_and_why(
    sessions: sessionmaker[Session], start: str, decision: str
) -> None:
    with sessions() as session, session.begin():
        flag_id = add_flag(session, status=start)
    with sessions() as session, session.begin():
        assert flag_decide(session, AUDITOR, flag_id, decision, "  checked the invoice ") == start
    assert _status(sessions, flag_id) == decision
    ((_, actor, event, before, after, comment, at),) = _history(sessions, flag_id)
    assert (actor, event, before, after, comment) == (
        "an.auditor", "decided", start, decision, "checked the invoice",
    )  # fmt: skip
    assert at is not None


def test_history_is_appended_never_rewritten(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    flag_id = world["high1"]
    with sessions() as session, session.begin():
        flag_decide(session, AUDITOR, flag_id, "escalated", "needs the legal team")
    first = _history(sessions, flag_id)
    with sessions() as session, session.begin():
        flag_decide(session, SECOND_AUDITOR, flag_id, "confirmed", "legal team agrees")
    second = _history(sessions, flag_id)
    assert second[: len(first)] == first
    assert [(h[1], h[3], h[4], h[5]) for h in second] == [
        ("an.auditor", "open", "escalated", "needs the legal team"),
        ("bich.auditor", "escalated", "confirmed", "legal team agrees"),
    ]


def test_bulk_decides_every_selected_flag_in_one_go(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    chosen = [world["high1"], world["high2"], world["plain"], world["high1"]]  # one twice
    with sessions() as session, session.begin():
        before = flag_decide_many(session, AUDITOR, chosen, "dismissed", "same known supplier")
    assert before == ["open", "open", "open"]
    for flag_id in set(chosen):
        assert _status(sessions, flag_id) == "dismissed"
        assert _history(sessions, flag_id)[-1][5] == "same known supplier"
    assert _status(sessions, world["cheap"]) == "open"


def test_bulk_is_all_or_nothing(sessions: sessionmaker[Session], world: dict[str, int]) -> None:
    with sessions() as session, session.begin(), pytest.raises(FlagNotFound):
        flag_decide_many(session, AUDITOR, [world["high1"], 999_999], "confirmed", "all of them")
    assert _status(sessions, world["high1"]) == "open"
    assert _history(sessions, world["high1"]) == []
    with sessions() as session, pytest.raises(DecisionError, match="no flag"):
        flag_decide_many(session, AUDITOR, [], "confirmed", "nothing ticked")


def test_running_the_rules_again_keeps_the_auditors_decision(
    sessions: sessionmaker[Session],
) -> None:
    from rules.engine.pack import load_pack
    from rules.engine.runner import run_rules

    with sessions() as session, session.begin():
        assert market(session) > 10
        dismissed, confirmed = session.scalars(
            select(Flag.id).where(Flag.rule == "PRC-02").order_by(Flag.id).limit(2)
        ).all()
    with sessions() as session, session.begin():
        flag_decide(session, AUDITOR, dismissed, "dismissed", "a known shortage price")
        flag_decide(session, AUDITOR, confirmed, "confirmed", "overpriced")
    with sessions() as session, session.begin():
        run_rules(session, load_pack())
    assert (_status(sessions, dismissed), _status(sessions, confirmed)) == (
        "dismissed", "confirmed",
    )  # fmt: skip
    assert _history(sessions, dismissed)[-1][1:6] == (
        "an.auditor", "decided", "open", "dismissed", "a known shortage price",
    )  # fmt: skip


def test_the_detail_of_a_price_flag_has_its_line_source_evidence_peers_and_related_flags(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session, session.begin():
        market(session)
    with sessions() as session:
        flag = session.scalars(select(Flag).where(Flag.rule == "PRC-02").order_by(Flag.id)).first()
        assert flag is not None
        detail = flag_detail(session, AUDITOR, flag.id)
        peers = flag_peer_prices(session, AUDITOR, flag.id)
        evidence = dict(flag.evidence)
    kinds = {row.key: row.kind for row in detail.evidence}
    assert kinds["standard_unit_price"] == "money" and kinds["window_from"] == "date"
    assert kinds["peer_count"] == "number" and kinds["source_row"] == "plain"
    assert detail.message("en").startswith("Paid") and "Đơn giá" in detail.message("vi")
    assert detail.source is not None and detail.source.name == "market.xlsx"
    assert detail.source.row == evidence["source_row"] and detail.line is not None
    assert detail.line.standard_unit_price == evidence["standard_unit_price"]
    assert [h.event for h in detail.history] == ["opened"]
    assert peers is not None
    assert len(peers.prices) == evidence["peer_count"]  # the rule's own peer group
    assert (peers.median, peers.fence, peers.from_rule) == (
        evidence["median"], evidence["fence"], True,
    )  # fmt: skip
    assert peers.price == evidence["standard_unit_price"] > peers.fence


def test_related_flags_are_those_of_the_same_line_buyer_year_and_product(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sessions() as session:
        detail = flag_detail(session, AUDITOR, world["high1"])
    (group,) = detail.related
    assert group.kind == "buyer_year"
    assert {r.id for r in group.rows} == {world["high2"], world["dismissed"]}  # not 2023's


def test_a_flag_not_about_a_price_has_no_peer_chart_and_a_missing_flag_is_not_found(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sessions() as session:
        assert flag_peer_prices(session, AUDITOR, world["province"]) is None
        with pytest.raises(FlagNotFound):
            flag_detail(session, AUDITOR, 999_999)
        with pytest.raises(Forbidden):
            flag_detail(session, OFFICER, world["high1"])


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2025-03-31", 1, "2025-02-28"),
        ("2024-03-31", 1, "2024-02-29"),
        ("2025-01-15", 24, "2023-01-15"),
        ("2025-01-15", 13, "2023-12-15"),
    ],
)
def test_months_before_keeps_the_day_or_the_months_last(
    day: str, months: int, expected: str
) -> None:
    from datetime import date

    assert months_before(date.fromisoformat(day), months) == date.fromisoformat(expected)


def test_quantiles_are_numpys_linear_method() -> None:
    values = [1.0, 2.0, 4.0, 8.0, 16.0]
    assert [quantile(values, q) for q in (0.0, 0.25, 0.5, 0.75, 1.0)] == [1, 2, 4, 8, 16]
    assert quantile([1.0, 2.0], 0.25) == 1.25
