"""Tests for text cleaning, the folded matching key and "no value" sentinels."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers import text
from importers.text import DEFAULT_SENTINELS, clean_text, fold, is_sentinel


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\t\n\u00a0", None),
        ("Paracetamol", "Paracetamol"),
        ("  Tên   hoạt chất ", "Tên hoạt chất"),
        ("Nồng độ,\nhàm lượng", "Nồng độ, hàm lượng"),
        ("500\u00a0mg", "500 mg"),
        ("a\tb\r\nc", "a b c"),
        ("Amo\x00xi\x07cillin", "Amoxicillin"),
        ("Amo\x9bxicillin", "Amoxicillin"),
        ("\ufeffSĐK", "SĐK"),
        ("Vi\u200bệt", "Việt"),
        ("a\x85b", "a b"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (-3.0, "-3"),
    ],
)
def test_clean_text(raw: object, expected: str | None) -> None:
    assert clean_text(raw) == expected


def test_clean_text_makes_nfd_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Việt Nam")
    assert nfd != "Việt Nam"
    assert clean_text(nfd) == "Việt Nam"


def test_clean_text_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "CACHE_LIMIT", 5)
    for i in range(50):
        assert clean_text(f" value {i} ") == f"value {i}"
    assert len(text._clean_cache) <= 6


def test_fold_cache_is_bounded() -> None:
    for i in range(50):
        assert fold(f"Giá {i}") == f"gia {i}"
    assert fold.cache_info().maxsize is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đơn giá trúng thầu (VNĐ)", "don gia trung thau vnd"),
        ("SĐK/GPNK", "sdk gpnk"),
        ("  Tên   hoạt chất ", "ten hoat chat"),
        ("Nồng độ - Hàm lượng", "nong do ham luong"),
        ("Nồng độ/ hàm lượng", "nong do ham luong"),
        ("Nồng độ, hàm lượng", "nong do ham luong"),
        ("Đon giá trúng thầu", "don gia trung thau"),
        ("ĐVT", "dvt"),
        ("ten_cskcb", "ten cskcb"),
        ("(1)", "1"),
        ("Hạn dùng (Tuổi thọ)", "han dung tuoi tho"),
        ("-", ""),
        ("", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_reads_nfd_like_nfc() -> None:
    header = "Giá trúng thầu (VNĐ)"
    assert fold(unicodedata.normalize("NFD", header)) == fold(header) == "gia trung thau vnd"


@pytest.mark.parametrize(
    "raw",
    ["N/A", "NA", "n/a", "-", "--", "…", "...", "Date Not Captured", "không có", "KHÔNG",
     "null", "None", "#N/A", " ", "", "*", "(-)", "khong co"],
)  # fmt: skip
def test_is_sentinel(raw: str) -> None:
    assert is_sentinel(raw, DEFAULT_SENTINELS)


@pytest.mark.parametrize("raw", ["0", "Paracetamol", "Việt Nam", "na uy", "n/a 5"])
def test_is_not_sentinel(raw: str) -> None:
    assert not is_sentinel(raw, DEFAULT_SENTINELS)


def test_only_punctuation_is_a_sentinel_even_outside_the_set() -> None:
    assert is_sentinel("--", frozenset())
    assert not is_sentinel("N/A", frozenset())
    assert is_sentinel("chưa có", frozenset({fold("Chưa có")}))


def test_default_sentinels_hold_the_empty_fold() -> None:
    assert "" in DEFAULT_SENTINELS
    assert {"n a", "na", "date not captured", "khong co", "khong"} <= DEFAULT_SENTINELS


@given(st.text())
def test_fold_is_idempotent(raw: str) -> None:
    assert fold(fold(raw)) == fold(raw)


@given(st.text())
def test_fold_ignores_normal_form(raw: str) -> None:
    nfd, nfc = unicodedata.normalize("NFD", raw), unicodedata.normalize("NFC", raw)
    assert fold(nfd) == fold(nfc)


@given(st.text())
def test_fold_has_single_spaces_and_no_edges(raw: str) -> None:
    key = fold(raw)
    assert "  " not in key
    assert key == key.strip()


@given(st.text())
def test_clean_text_is_idempotent_and_tidy(raw: str) -> None:
    cleaned = clean_text(raw)
    if cleaned is None:
        return
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert not any(unicodedata.category(c) == "Cc" for c in cleaned)
