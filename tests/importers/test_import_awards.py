"""Award files imported end to end into the database, as officers publish them."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import importers.pipeline
from importers.run import import_file
from procurement.models import AwardLine, Buyer, Product, RowErrorRecord, SourceFile, Tender
from procurement.services.record_store import RecordStore
from tests.importers.published import (
    AUGMENTIN,
    CEFTRIAXON_BOX,
    PARACETAMOL,
    VACCINE,
    hospital_list,
    save_xlsx,
)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize(
    ("diacritics", "nfd"),
    [(True, False), (False, False), (True, True)],
    ids=["diacritics", "no-diacritics", "nfd"],
)
def test_published_list_imports_every_data_row_and_no_other(
    tmp_path: Path, sessions: sessionmaker[Session], diacritics: bool, nfd: bool
) -> None:
    grid = hospital_list(diacritics=diacritics, nfd=nfd)
    path = save_xlsx(tmp_path / "ket-qua.xlsx", {"Generic": grid})
    outcome = import_file(path, sessions)
    tally = outcome.tally
    assert outcome.status == "imported", outcome.refusal
    assert outcome.profile == "hospital-result-list"
    assert (tally.accepted, tally.rejected) == (4, 0)
    assert tally.rows_read == len(grid.rows) == tally.accepted + tally.rejected + tally.skipped
    assert tally.skipped_by == {
        "title": 7,
        "header": 2,
        "numbering": 1,
        "section": 2,
        "total": 1,
        "blank": 1,
        "signature": 3,
    }
    with sessions() as session:
        rows = {line.source_row: line for line in session.scalars(select(AwardLine))}
        assert set(rows) == set(grid.data_rows)
        tender = session.scalars(select(Tender)).one()
        buyer = session.get(Buyer, tender.buyer_id)
    assert buyer is not None
    assert (buyer.name, buyer.province, buyer.level) == (
        "BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN",
        "Nghệ An",
        "provincial",
    )
    assert (tender.decision_number, tender.decision_date, tender.code) == (
        "215/QĐ-BV",
        date(2025, 3, 15),
        "IB2500012345",
    )


def test_origin_and_standard_unit_price(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    grid = hospital_list()
    import_file(save_xlsx(tmp_path / "list.xlsx", {"DS": grid}), sessions)
    with sessions() as session:
        found = {
            product.registration_number: (product.origin, product.origin_reason, line)
            for line, product in session.execute(
                select(AwardLine, Product).join(Product, AwardLine.product_id == Product.id)
            )
        }
    origin = {reg: (o, reason) for reg, (o, reason, _) in found.items()}
    assert origin[PARACETAMOL.registration] == ("domestic", "registration-prefix")
    assert origin[AUGMENTIN.registration][0] == "imported"
    assert origin[CEFTRIAXON_BOX.registration] == ("domestic", "registration-12-digit")
    assert origin[VACCINE.registration] == ("imported", "country")
    line = found[CEFTRIAXON_BOX.registration][2]
    assert (line.unit_price, line.standard_unit_price, line.price_basis) == (
        290000,
        29000,
        "per-pack",
    )
    assert found[PARACETAMOL.registration][2].standard_unit_price == 380
    assert found[PARACETAMOL.registration][2].amount == 3_800_000


def test_same_bytes_twice_is_one_import(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    path = save_xlsx(tmp_path / "a.xlsx", {"DS": hospital_list()})
    first = import_file(path, sessions)
    copy = tmp_path / "renamed copy.xlsx"
    copy.write_bytes(path.read_bytes())
    second = import_file(copy, sessions)
    assert second.status == "already-imported"
    assert second.source_file_id == first.source_file_id
    with sessions() as session:
        assert _count(session, AwardLine) == 4
        assert _count(session, SourceFile) == 1


def test_bad_rows_are_reported_with_row_column_value_and_reason(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    bad_quantity = PARACETAMOL.__class__(**{**PARACETAMOL.__dict__, "quantity": "mười"})
    bad_price = AUGMENTIN.__class__(**{**AUGMENTIN.__dict__, "price": "abc"})
    negative = VACCINE.__class__(**{**VACCINE.__dict__, "quantity": -5})
    grid = hospital_list({"I. THUỐC": [bad_quantity, CEFTRIAXON_BOX, bad_price, negative]})
    outcome = import_file(save_xlsx(tmp_path / "bad.xlsx", {"DS": grid}), sessions)
    tally = outcome.tally
    assert (tally.accepted, tally.rejected) == (1, 3)
    assert tally.rows_read == len(grid.rows) == tally.accepted + tally.rejected + tally.skipped
    rows = {line: row for row, line in grid.data_rows.items()}
    with sessions() as session:
        errors = {
            (e.row_number, e.column, e.field, e.type, e.value)
            for e in session.scalars(select(RowErrorRecord))
        }
        originals = [e.original for e in session.scalars(select(RowErrorRecord))]
    assert errors == {
        (rows[bad_quantity], "M", "quantity", "bad-number", "mười"),
        (rows[bad_price], "O", "unit_price", "bad-number", "abc"),
        (rows[negative], "M", "quantity", "out-of-range", "-5"),
        (rows[negative], "P", "amount", "out-of-range", "-599000"),
    }
    assert any(o.get("Tên thuốc") == "Augmentin 1g" for o in originals)


def test_strict_mode_imports_nothing_when_a_row_fails(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    bad = PARACETAMOL.__class__(**{**PARACETAMOL.__dict__, "price": "abc"})
    grid = hospital_list({"I": [bad, CEFTRIAXON_BOX]})
    outcome = import_file(save_xlsx(tmp_path / "s.xlsx", {"DS": grid}), sessions, strict=True)
    assert outcome.status == "refused"
    assert outcome.first_errors[0].field == "unit_price"
    with sessions() as session:
        assert (_count(session, AwardLine), _count(session, SourceFile)) == (0, 0)


def test_an_error_mid_file_leaves_no_line_of_it(
    tmp_path: Path, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers.pipeline, "CHUNK_SIZE", 2)
    calls = []
    original = RecordStore.awards

    def failing(self: RecordStore, records: list) -> int:
        calls.append(len(records))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, records)

    monkeypatch.setattr(RecordStore, "awards", failing)
    path = save_xlsx(tmp_path / "m.xlsx", {"DS": hospital_list()})
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(path, sessions)
    assert calls == [2, 2]
    with sessions() as session:
        assert (_count(session, AwardLine), _count(session, SourceFile)) == (0, 0)
    monkeypatch.setattr(RecordStore, "awards", original)
    assert import_file(path, sessions).tally.accepted == 4


def test_a_file_without_a_price_column_is_refused_naming_it(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    grid = hospital_list()
    for row in grid.rows:
        del row[13:15]
    grid.merged = [m for m in grid.merged if m[1] < 13]
    outcome = import_file(save_xlsx(tmp_path / "np.xlsx", {"DS": grid}), sessions)
    assert outcome.status == "refused"
    assert outcome.refusal is not None
    assert "Unit price" in outcome.refusal.note_en
    assert "Đơn giá trúng thầu" in outcome.refusal.note_vi
    with sessions() as session:
        assert _count(session, SourceFile) == 0


def test_set_supplies_what_the_file_lacks(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    grid = hospital_list(title=False)
    path = save_xlsx(tmp_path / "nt.xlsx", {"DS": grid})
    refused = import_file(path, sessions)
    assert refused.status == "refused"
    assert "--set buyer=" in refused.refusal.note_en
    outcome = import_file(
        path,
        sessions,
        settings={
            "buyer": "Trung tâm Y tế huyện Quỳnh Lưu",
            "decision_date": "02/01/2025",
            "province": "Nghệ An",
        },
    )
    assert outcome.tally.accepted == 4
    with sessions() as session:
        buyer = session.scalars(select(Buyer)).one()
        assert (buyer.name, buyer.level, buyer.province) == (
            "Trung tâm Y tế huyện Quỳnh Lưu",
            "district",
            "Nghệ An",
        )
        dates = set(session.scalars(select(AwardLine.decision_date)))
    assert dates == {date(2025, 1, 2)}


def test_nfd_text_in_cells_is_stored_as_nfc(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    nfd = PARACETAMOL.__class__(
        **{
            **PARACETAMOL.__dict__,
            "country": unicodedata.normalize("NFD", "Việt Nam"),
            "supplier": unicodedata.normalize("NFD", "Công ty  CP   Dược Hậu Giang"),
        }
    )
    grid = hospital_list({"I": [nfd]})
    import_file(save_xlsx(tmp_path / "nfd.xlsx", {"DS": grid}), sessions)
    with sessions() as session:
        product = session.scalars(select(Product)).one()
        supplier = session.execute(select(AwardLine.supplier_id)).scalar_one()
    assert product.origin == "domestic"
    assert supplier is not None


def test_signatures_under_the_price_columns_are_not_rows(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    grid = hospital_list()
    footer = [
        [*[None] * 12, "Nghệ An, ngày 20 tháng 03 năm 2025"],
        [None, "NGƯỜI LẬP BIỂU", *[None] * 10, "GIÁM ĐỐC"],
        [],
        [None, "Nguyễn Văn An", *[None] * 10, "Lê Văn Cường"],
    ]
    grid.rows[-3:] = footer
    outcome = import_file(save_xlsx(tmp_path / "sig.xlsx", {"DS": grid}), sessions)
    tally = outcome.tally
    assert (tally.accepted, tally.rejected) == (4, 0)
    assert tally.skipped_by["signature"] == 3


def test_the_uploaded_bytes_are_kept_for_download(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    path = save_xlsx(tmp_path / "keep.xlsx", {"DS": hospital_list()})
    outcome = import_file(path, sessions, uploaded_by="officer1")
    with sessions() as session:
        source = session.get(SourceFile, outcome.source_file_id)
        assert source is not None
        assert (source.uploaded_by, source.status, source.accepted) == ("officer1", "imported", 4)
        assert Path(source.stored_path).read_bytes() == path.read_bytes()
        assert source.layout[0]["header_row"] == 8
        assert source.layout[0]["reader"] == "calamine"
