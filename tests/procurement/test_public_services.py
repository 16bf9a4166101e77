"""The public services: figures from imported lines only, confirmed flags only, no uploader."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from procurement.models import AwardLine, Flag, SourceFile
from procurement.services import public_cache
from procurement.services.domestic_share import shares_report
from procurement.services.public_dashboard import awards_by_year, latest_imports, public_import
from procurement.services.public_flags import confirmed_by_family, confirmed_flags
from procurement.services.public_medicines import medicine_detail, search_medicines
from procurement.services.public_parties import (
    buyer_profile,
    province_profile,
    supplier_profile,
)
from procurement.services.public_shares import all_shares, ranking, years
from tests.procurement.public_world import NOTES, PUBLIC_COMMENT, SECRETS, UPLOADER, build

TARGETS = {"domestic_share": {"nation": {"value": 0.7, "quantity": 0.8}}}


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> dict[str, int]:
    public_cache.clear()
    return build(sessions, lines=800)


def test_awards_by_year_add_up_every_imported_line(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        totals = awards_by_year(session)
        lines = session.scalar(select(AwardLine.id).order_by(AwardLine.id.desc()).limit(1))
    assert sum(t.lines for t in totals) == 800 and lines
    assert all(t.value > 0 for t in totals)


def test_a_withdrawn_file_leaves_every_figure(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session, session.begin():
        session.execute(update(SourceFile).values(status="withdrawn"))
    with sessions() as session:
        assert awards_by_year(session) == []
        assert latest_imports(session) == []
        assert public_import(session, world["source"]) is None
        assert search_medicines(session).total == 0
        assert all_shares(session, TARGETS)["nation"] == []


def test_imports_are_described_without_their_uploader(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        (latest,) = latest_imports(session)
    assert UPLOADER not in repr(latest)
    assert "uploaded_by" not in {f.name for f in dataclasses.fields(latest)}


def test_shares_are_the_share_reports(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        nation = all_shares(session, TARGETS)["nation"]
        report = shares_report(session, "nation", None, TARGETS)
        year = years(session, TARGETS)[0]
        provinces = ranking(session, TARGETS, "province", year)
    assert [(r.year, r.value_share, r.quantity_share) for r in nation] == [
        (r["year"], r["value_share"], r["quantity_share"]) for r in report
    ]
    shares = [r.value_share for r in provinces if r.value_share is not None]
    assert shares == sorted(shares, reverse=True)


def test_search_folds_case_and_marks_and_pages(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        every = search_medicines(session, "", 1, 10_000)
        first = every.medicines[0]
        assert search_medicines(session, first.ingredients.upper()).total >= 1
        assert first.identity in {
            m.identity for m in search_medicines(session, first.brands[0], 1, 1000).medicines
        }
        assert search_medicines(session, "no such medicine at all").total == 0
        paged = search_medicines(session, "", 2, 5)
    assert paged.page == 2 and len(paged.medicines) == 5 and paged.pages == -(-every.total // 5)
    assert every.medicines[0].lines >= every.medicines[-1].lines


def test_a_medicine_has_every_line_its_median_and_quarters(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        line = session.get(AwardLine, world["line"])
        assert line is not None
        detail = medicine_detail(session, line.identity_key)
        count = len(
            session.scalars(
                select(AwardLine.id).where(AwardLine.identity_key == line.identity_key)
            ).all()
        )
        assert medicine_detail(session, "no|such|thing") is None
    assert detail is not None and len(detail.lines) == count
    assert detail.median is not None and detail.prices[0] <= detail.median <= detail.prices[-1]
    assert sum(p.lines for p in detail.periods) == len(detail.prices)
    assert all(p.source_name and p.source_row for p in detail.lines)


def test_profiles_split_spend_by_origin_and_year(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        line = session.get(AwardLine, world["line"])
        assert line is not None and line.supplier_id is not None
        buyer = buyer_profile(session, world["buyer"], TARGETS)
        supplier = supplier_profile(session, line.supplier_id, TARGETS)
        assert buyer is not None and buyer.province_code
        province = province_profile(session, buyer.province_code, TARGETS)
        assert buyer_profile(session, 999_999, TARGETS) is None
        assert province_profile(session, "nowhere", TARGETS) is None
    assert supplier is not None and province is not None
    assert buyer.total_lines > 0 and buyer.partners and buyer.shares
    assert supplier.partners and supplier.shares and supplier.shares[0].name == supplier.name
    assert province.total_lines >= buyer.total_lines
    year = buyer.years[0]
    assert buyer.value(year) == pytest.approx(
        sum(buyer.value(year, origin) for origin in ("domestic", "imported", "unknown"))
    )


def test_only_confirmed_flags_with_the_confirming_comment(sessions, world) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        page = confirmed_flags(session)
        by_buyer = confirmed_flags(session, buyer_id=world["buyer"])
        families = confirmed_by_family(session)
    assert [f.id for f in page.flags] == [world["confirmed"]]
    assert by_buyer.flags[0].comment == PUBLIC_COMMENT
    assert sum(count for _family, count in families) == 1
    text = repr(page)
    for secret in (*SECRETS.values(), *NOTES, "auditor-secret-user"):
        assert secret not in text


def test_a_decision_refreshes_the_cache(sessions, world) -> None:  # type: ignore[no-untyped-def]
    from procurement.services.flag_review import flag_decide
    from tests.procurement.public_world import AUDITOR

    with sessions() as session:
        assert sum(c for _f, c in confirmed_by_family(session)) == 1
    with sessions() as session, session.begin():
        flag_decide(session, AUDITOR, world["open"], "confirmed", "seen")
    with sessions() as session:
        assert sum(c for _f, c in confirmed_by_family(session)) == 2
        status = session.scalar(select(Flag.status).where(Flag.id == world["open"]))
    assert status == "confirmed"
