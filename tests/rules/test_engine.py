"""The engine: strict packs, and flags that are idempotent, close themselves and respect
auditors' decisions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import rules  # noqa: F401 - registers every rule
from procurement.models import Flag, FlagHistory
from procurement.models.flag import CONFIRMED
from rules.engine.flags import store_outcome
from rules.engine.pack import DEFAULT_PACK, PackError, build_params, load_pack, parse_pack
from rules.engine.registry import REGISTRY
from rules.engine.result import Finding, RuleOutcome
from rules.price.prc01_price_above_plan import AbovePlanParams


@pytest.mark.parametrize(
    ("pack", "message"),
    [
        ({"rules": {"PRC-99": {}}}, "rule PRC-99: unknown rule"),
        ({"rulez": {}}, "key 'rulez': unknown key"),
        ({"rules": {"PRC-01": {"enabeld": True}}}, "rule PRC-01: key 'enabeld': unknown key"),
        ({"rules": {"PRC-01": {"enabled": "yes"}}}, "key 'enabled' must be true or false"),
        ({"rules": {"PRC-01": {"severity": "urgent"}}}, "key 'severity' must be one of"),
        (
            {"rules": {"PRC-01": {"params": {"tolerence": 0.1}}}},
            "rule PRC-01: key 'params.tolerence': unknown parameter",
        ),
        (
            {"rules": {"PRC-01": {"params": {"tolerance": "5%"}}}},
            "rule PRC-01: key 'params.tolerance': expected float",
        ),
        (
            {"rules": {"CMP-01": {"params": {"max_bidders": 1.5}}}},
            "rule CMP-01: key 'params.max_bidders': expected int",
        ),
        (
            {"targets": {"domestic_share": {"categories": ["medicine", "vacine"]}}},
            "key 'targets': targets.domestic_share.categories: unknown category 'vacine' "
            "(known: medicine, vaccine)",
        ),
    ],
    ids=[
        "unknown-rule",
        "unknown-top-key",
        "unknown-rule-key",
        "enabled-type",
        "severity",
        "unknown-param",
        "param-type",
        "int-param-type",
        "unknown-target-category",
    ],
)
def test_a_bad_pack_is_refused_naming_file_rule_and_key(pack: dict, message: str) -> None:
    with pytest.raises(PackError) as refused:
        parse_pack(pack, "mine.yaml")
    assert str(refused.value).startswith("mine.yaml: ")
    assert message in str(refused.value)


def test_a_missing_parameter_is_named() -> None:
    @dataclass(frozen=True)
    class Needs:
        window_days: int

    with pytest.raises(PackError, match=r"key 'params\.window_days': missing parameter"):
        build_params("mine.yaml: rule XYZ-01", Needs, {})


def test_the_default_pack_lists_every_registered_rule_and_loads() -> None:
    listed = set(yaml.safe_load(DEFAULT_PACK.read_text(encoding="utf-8"))["rules"])
    assert listed == set(REGISTRY)
    pack = load_pack()
    assert {s.spec.code for s in pack.enabled()} == set(REGISTRY)


def test_a_users_pack_by_path_switches_rules_and_parameters(tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(
        "rules:\n  PRC-01:\n    params: {tolerance: 0.1}\n  CMP-01:\n    enabled: false\n",
        encoding="utf-8",
    )
    pack = load_pack(path)
    assert [s.spec.code for s in pack.enabled()] == ["PRC-01"]
    assert pack.rules["PRC-01"].params == AbovePlanParams(tolerance=0.1)


def _finding(key: str, observed: float) -> Finding:
    return Finding(
        "award_line",
        key,
        observed,
        100.0,
        "price > planned price",
        {"excess_share": observed / 100 - 1},
        f"{key} en",
        f"{key} vi",
        year=2025,
    )


def _store(session: Session, *findings: Finding):  # type: ignore[no-untyped-def]
    outcome = RuleOutcome(list(findings), evaluated=10)
    counts = store_outcome(session, "PRC-01", 1, "high", AbovePlanParams(), outcome)
    session.commit()
    return counts


def _events(session: Session, key: str) -> list[tuple[str, str | None]]:
    flag = session.scalars(select(Flag).where(Flag.subject_key == key)).one()
    rows = session.scalars(
        select(FlagHistory).where(FlagHistory.flag_id == flag.id).order_by(FlagHistory.id)
    )
    return [(h.event, h.to_status) for h in rows]


def test_flags_are_idempotent_close_reopen_and_keep_decisions(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        first = _store(session, _finding("a", 120), _finding("b", 130))
        again = _store(session, _finding("a", 120), _finding("b", 130))
        assert (first.new, again.new, again.unchanged, again.updated) == (2, 0, 2, 0)
        assert session.scalars(select(Flag)).all().__len__() == 2

        changed = _store(session, _finding("a", 125), _finding("b", 130))
        assert (changed.updated, changed.unchanged) == (1, 1)

        decided = session.scalars(select(Flag).where(Flag.subject_key == "b")).one()
        decided.status = CONFIRMED
        session.commit()
        cleared = _store(session)
        assert cleared.closed == 2
        flag_a = session.scalars(select(Flag).where(Flag.subject_key == "a")).one()
        assert (flag_a.status, flag_a.active, flag_a.closed_at is not None) == (
            "closed",
            False,
            True,
        )
        assert (decided.status, decided.active) == (CONFIRMED, False)

        back = _store(session, _finding("a", 125))
        assert (back.new, back.updated) == (0, 1)
        assert (flag_a.status, flag_a.active) == ("open", True)
        assert _events(session, "a") == [
            ("opened", "open"),
            ("auto-closed", "closed"),
            ("reopened", "open"),
        ]
        assert _events(session, "b") == [("opened", "open"), ("condition-cleared", CONFIRMED)]
