"""The review queue: filters, counts, sorting and pages give exactly the right flags."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from procurement.services.flag_filters import FlagFilters
from procurement.services.flag_queue import flag_queue, flag_queue_options
from procurement.services.permissions import Forbidden
from tests.procurement.flag_world import ADMIN, AUDITOR, OFFICER, small_world


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session, session.begin():
        return small_world(session)


def _ids(sessions: sessionmaker[Session], filters: FlagFilters, **kw) -> set[int]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {row.id for row in flag_queue(session, AUDITOR, filters, **kw).rows}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(FlagFilters(), set(), id="nothing-filtered-lists-all"),
        pytest.param(FlagFilters(rule="PRC-01"), {"high1", "high2", "old"}, id="rule-PRC-01"),
        pytest.param(FlagFilters(family="CMP"), {"dismissed", "escalated"}, id="family-CMP"),
        pytest.param(FlagFilters(severity="high"), {"high1", "high2"}, id="severity-high"),
        pytest.param(FlagFilters(status="escalated"), {"escalated"}, id="status-escalated"),
        pytest.param(FlagFilters(year=2023), {"old"}, id="year-2023"),
        pytest.param(
            FlagFilters(province="ho-chi-minh"),
            {"escalated", "plain", "cheap", "province"},
            id="province-includes-a-flag-about-the-province-itself",
        ),
        pytest.param(FlagFilters(text="augmentin"), {"plain"}, id="text-in-the-sentence"),
        pytest.param(
            FlagFilters(text="Chợ Rẫy", status="open"), {"plain", "cheap"}, id="text-in-buyer"
        ),
        pytest.param(FlagFilters(text="100%_"), set(), id="text-wildcards-are-literal"),
        pytest.param(
            FlagFilters(rule="PRC-01", status="open", severity="high", year=2024),
            {"high1", "high2"},
            id="several-filters-and",
        ),
    ],
)
def test_each_filter_lists_the_right_flags(
    sessions: sessionmaker[Session], world: dict[str, int], filters: FlagFilters, expected: set
) -> None:
    everything = {v for k, v in world.items() if k not in ("hanoi", "hcm")}
    wanted = (
        {world[name] for name in expected} if expected or not filters.is_empty() else everything
    )
    assert _ids(sessions, filters) == wanted


def test_a_buyer_filter_lists_that_buyers_flags(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    found = _ids(sessions, FlagFilters(buyer_id=world["hanoi"]))
    assert found == {world[n] for n in ("high1", "high2", "dismissed", "old")}


def test_counts_by_status_ignore_the_status_filter_and_the_total_obeys_it(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sessions() as session:
        page = flag_queue(session, AUDITOR, FlagFilters(status="open", family="PRC"))
    assert page.total == 4  # high1 high2 plain cheap; old (closed) is counted under closed
    assert page.by_status == {
        "open": 4,
        "escalated": 0,
        "confirmed": 0,
        "dismissed": 0,
        "closed": 1,
    }
    assert page.by_severity == {"high": 2, "medium": 2, "low": 0}


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        pytest.param("-severity", ("high2", "high1"), "dismissed", id="severity-high-first-newest"),
        pytest.param("severity", ("dismissed",), "high1", id="severity-low-first"),
        pytest.param("-observed", ("high2", "plain", "high1"), None, id="price-dearest-first"),
        pytest.param("year", ("old",), "escalated", id="year-oldest-first"),
        pytest.param("rule", ("dismissed", "escalated"), None, id="rule-alphabetical"),
        pytest.param("-id", ("old", "province"), "high1", id="newest-first"),
    ],
)
def test_sorts_order_the_flags(
    sessions: sessionmaker[Session],
    world: dict[str, int],
    sort: str,
    first: tuple,
    last: str | None,
) -> None:
    with sessions() as session:
        rows = flag_queue(session, AUDITOR, FlagFilters(), sort).rows
    assert [r.id for r in rows[: len(first)]] == [world[n] for n in first]
    if last:
        assert rows[-1].id == world[last]


def test_observed_sorts_put_flags_without_a_price_last_either_way(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sessions() as session:
        for sort in ("observed", "-observed"):
            rows = flag_queue(session, AUDITOR, FlagFilters(), sort).rows
            assert all(r.observed is None for r in rows[5:]), sort
            assert all(r.observed is not None for r in rows[:5]), sort


def test_pages_cover_every_flag_once_and_a_page_past_the_end_shows_the_last(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    seen = []
    with sessions() as session:
        for number in (1, 2, 3):
            page = flag_queue(session, AUDITOR, FlagFilters(), "rule", number, 3)
            assert (page.total, page.pages, page.page) == (8, 3, number)
            seen += [r.id for r in page.rows]
        beyond = flag_queue(session, AUDITOR, FlagFilters(), "rule", 99, 3)
    assert len(seen) == len(set(seen)) == 8
    assert beyond.page == 3 and [r.id for r in beyond.rows] == seen[6:]


def test_rows_carry_the_buyer_and_province(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sessions() as session:
        (row,) = flag_queue(session, AUDITOR, FlagFilters(text="augmentin")).rows
    assert (row.buyer, row.province, row.rule, row.observed) == (
        "Bệnh viện Chợ Rẫy", "Hồ Chí Minh", "PRC-02", 700.0,
    )  # fmt: skip


def test_the_form_offers_buyers_provinces_and_the_years_that_have_flags(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sessions() as session:
        options = flag_queue_options(session, AUDITOR)
    assert [name for _, name in options.buyers] == ["Bệnh viện Bạch Mai", "Bệnh viện Chợ Rẫy"]
    assert options.provinces == [("ha-noi", "Hà Nội"), ("ho-chi-minh", "Hồ Chí Minh")]
    assert options.years == [2025, 2024, 2023]


def test_an_officer_may_not_read_the_queue_but_an_admin_may(
    sessions: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sessions() as session:
        with pytest.raises(Forbidden):
            flag_queue(session, OFFICER, FlagFilters())
        assert flag_queue(session, ADMIN, FlagFilters()).total == 8


@pytest.mark.parametrize("limit", [5_000, 1], ids=["matches-sorted-by-id", "too-many-search-again"])
def test_a_text_search_pages_alike_however_many_it_matches(
    sessions: sessionmaker[Session], world: dict[str, int], monkeypatch, limit: int
) -> None:  # type: ignore[no-untyped-def]
    import procurement.services.flag_queue as queue

    monkeypatch.setattr(queue, "MAX_IDS", limit)
    with sessions() as session:
        pages = [
            flag_queue(session, AUDITOR, FlagFilters(text="bệnh viện"), "-observed", n, 2)
            for n in (1, 2, 3, 4)
        ]
    assert [p.total for p in pages] == [7, 7, 7, 7]  # every flag with a buyer
    assert [r.id for p in pages for r in p.rows] == [
        world[n] for n in ("high2", "plain", "high1", "cheap", "old", "escalated", "dismissed")
    ]
    assert pages[0].by_status == {
        "open": 4, "escalated": 1, "confirmed": 0, "dismissed": 1, "closed": 1,
    }  # fmt: skip
