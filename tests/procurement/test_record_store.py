"""The record store's parties: a buyer named first without its province gets it later."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import Buyer


def test_a_later_file_fills_in_the_province_of_a_buyer_named_without_one(
    sessions: sessionmaker[Session],
) -> None:
    line = next(award_lines(seed=3, n=10))
    centre = "Trung tâm Mua sắm tập trung thuốc Quốc gia"
    first = {**line, "buyer_name": centre, "province": None, "decision_date": date(2025, 1, 2)}
    with sessions() as session, session.begin():
        store_lines(session, "agreements.xlsx", [first])
    with sessions() as session:
        assert session.scalar(select(Buyer.province).where(Buyer.name == centre)) is None
    with sessions() as session, session.begin():
        store_lines(session, "awards.xlsx", [{**first, "province": "Hà Nội"}])
    with sessions() as session:
        buyers = session.execute(
            select(Buyer.province, Buyer.province_code).where(Buyer.name == centre)
        ).all()
    assert len(buyers) == 1
    assert buyers[0].province == "Hà Nội" and buyers[0].province_code
