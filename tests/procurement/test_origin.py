"""Origin decision: registration numbers first, then the country of manufacture."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.countries import GS1_PREFIXES, country_from_gs1_prefix
from procurement.origin import (
    CONFLICT_REGISTRATION_COUNTRY_MISMATCH,
    CONFLICT_SEVERAL_COUNTRIES,
    CONFLICTS,
    DOMESTIC,
    IMPORTED,
    REASON_COUNTRY,
    REASON_COUNTRY_UNRECOGNIZED,
    REASON_IMPORT_PERMIT,
    REASON_NO_EVIDENCE,
    REASON_REGISTRATION_12_DIGIT,
    REASON_REGISTRATION_PREFIX,
    REASONS,
    UNKNOWN,
    OriginDecision,
    countries_in,
    country_from_registration,
    decide_origin,
    normalize_country,
)

NFD_VIETNAM = unicodedata.normalize("NFD", "Việt Nam")


@pytest.mark.parametrize(
    ("number", "country", "origin", "reason", "conflict"),
    [
        pytest.param("893110123456", None, DOMESTIC, REASON_REGISTRATION_12_DIGIT, None, id="893"),
        pytest.param("890110123456", None, IMPORTED, REASON_REGISTRATION_12_DIGIT, None, id="890"),
        pytest.param(
            "893 110 123 456", None, DOMESTIC, REASON_REGISTRATION_12_DIGIT, None, id="spaces"
        ),
        pytest.param(
            "893110123456.0", None, DOMESTIC, REASON_REGISTRATION_12_DIGIT, None, id="excel-float"
        ),
        pytest.param(
            "300110123456", "France", IMPORTED, REASON_REGISTRATION_12_DIGIT, None, id="france"
        ),
        pytest.param(
            "893110123456",
            "Pháp",
            DOMESTIC,
            REASON_REGISTRATION_12_DIGIT,
            CONFLICT_REGISTRATION_COUNTRY_MISMATCH,
            id="893-with-foreign-country",
        ),
        pytest.param(
            "890110123456",
            "Việt Nam",
            IMPORTED,
            REASON_REGISTRATION_12_DIGIT,
            CONFLICT_REGISTRATION_COUNTRY_MISMATCH,
            id="890-with-vietnam",
        ),
        pytest.param("VD-12345-19", None, DOMESTIC, REASON_REGISTRATION_PREFIX, None, id="vd"),
        pytest.param("VD - 12345-19", None, DOMESTIC, REASON_REGISTRATION_PREFIX, None, id="vd-sp"),
        pytest.param("vd–12345–19", None, DOMESTIC, REASON_REGISTRATION_PREFIX, None, id="en-dash"),
        pytest.param("GC-123-10", None, DOMESTIC, REASON_REGISTRATION_PREFIX, None, id="gc"),
        pytest.param("VN-1234-19", None, IMPORTED, REASON_REGISTRATION_PREFIX, None, id="vn"),
        pytest.param("vn-1234-19", None, IMPORTED, REASON_REGISTRATION_PREFIX, None, id="vn-lower"),
        pytest.param("VN2-123-13", None, IMPORTED, REASON_REGISTRATION_PREFIX, None, id="vn2"),
        pytest.param("VN3-12-20", None, IMPORTED, REASON_REGISTRATION_PREFIX, None, id="vn3"),
        pytest.param("SP-123-11", None, IMPORTED, REASON_REGISTRATION_PREFIX, None, id="sp"),
        pytest.param("1234/QLD-KD", None, IMPORTED, REASON_IMPORT_PERMIT, None, id="permit"),
        pytest.param("1234 / qld-kd", None, IMPORTED, REASON_IMPORT_PERMIT, None, id="permit-sp"),
        pytest.param(
            "VD-12345-19",
            "Đức",
            DOMESTIC,
            REASON_REGISTRATION_PREFIX,
            CONFLICT_REGISTRATION_COUNTRY_MISMATCH,
            id="vd-with-germany",
        ),
        pytest.param(
            "VN-1234-19",
            "Việt Nam",
            IMPORTED,
            REASON_REGISTRATION_PREFIX,
            CONFLICT_REGISTRATION_COUNTRY_MISMATCH,
            id="vn-with-vietnam",
        ),
        pytest.param(
            "1234/QLD-KD",
            "VN",
            IMPORTED,
            REASON_IMPORT_PERMIT,
            CONFLICT_REGISTRATION_COUNTRY_MISMATCH,
            id="permit-with-vietnam",
        ),
        pytest.param("QLVX-1234-19", "Việt Nam", DOMESTIC, REASON_COUNTRY, None, id="qlvx-vn"),
        pytest.param("QLVX-1234-19", "Ấn Độ", IMPORTED, REASON_COUNTRY, None, id="qlvx-india"),
        pytest.param("QLSP-0123-13", "Hàn Quốc", IMPORTED, REASON_COUNTRY, None, id="qlsp"),
        pytest.param("VCT-123-19", None, UNKNOWN, REASON_NO_EVIDENCE, None, id="vct-no-country"),
        pytest.param(None, "Việt Nam", DOMESTIC, REASON_COUNTRY, None, id="viet-nam"),
        pytest.param(None, NFD_VIETNAM, DOMESTIC, REASON_COUNTRY, None, id="viet-nam-nfd"),
        pytest.param(None, "Viet Nam", DOMESTIC, REASON_COUNTRY, None, id="no-marks"),
        pytest.param(None, "VIỆT NAM", DOMESTIC, REASON_COUNTRY, None, id="upper"),
        pytest.param(None, "Vietnam", DOMESTIC, REASON_COUNTRY, None, id="vietnam"),
        pytest.param(None, "VN", DOMESTIC, REASON_COUNTRY, None, id="vn-country"),
        pytest.param(None, "France", IMPORTED, REASON_COUNTRY, None, id="france-country"),
        pytest.param(
            None,
            "CSSX: Đức; CSĐG và xuất xưởng: Thụy Sỹ",
            IMPORTED,
            REASON_COUNTRY,
            CONFLICT_SEVERAL_COUNTRIES,
            id="several-countries",
        ),
        pytest.param(
            None,
            "Chủ sở hữu: Pháp; CSSX: Việt Nam",
            DOMESTIC,
            REASON_COUNTRY,
            CONFLICT_SEVERAL_COUNTRIES,
            id="several-countries-labelled-vietnam",
        ),
        pytest.param(
            "VN-1234-19",
            "CSSX: Đức; CSĐG và xuất xưởng: Thụy Sỹ",
            IMPORTED,
            REASON_REGISTRATION_PREFIX,
            CONFLICT_SEVERAL_COUNTRIES,
            id="registration-and-several-countries",
        ),
        pytest.param(None, "Xứ Sở Thần Tiên", UNKNOWN, REASON_COUNTRY_UNRECOGNIZED, None, id="odd"),
        pytest.param(None, None, UNKNOWN, REASON_NO_EVIDENCE, None, id="nothing"),
        pytest.param("", "  ", UNKNOWN, REASON_NO_EVIDENCE, None, id="blank"),
        pytest.param("ABC-123", None, UNKNOWN, REASON_NO_EVIDENCE, None, id="unknown-number"),
    ],
)
def test_decide_origin(
    number: str | None, country: str | None, origin: str, reason: str, conflict: str | None
) -> None:
    decision = decide_origin(number, country)
    assert (decision.origin, decision.reason, decision.conflict) == (origin, reason, conflict)
    assert decision.detail.endswith(".")


@pytest.mark.parametrize(
    ("number", "country"),
    [
        pytest.param("893110123456", "Vietnam", id="893"),
        pytest.param("890110123456", "India", id="890"),
        pytest.param("300110123456", "France", id="300"),
        pytest.param("400110123456", "Germany", id="400"),
        pytest.param("800110123456", "Italy", id="800"),
        pytest.param("840110123456", "Spain", id="840"),
        pytest.param("539110123456", "Ireland", id="539"),
        pytest.param("880110123456", "South Korea", id="880"),
        pytest.param("499110123456", "Japan", id="499"),
        pytest.param("760110123456", "Switzerland", id="760"),
        pytest.param("500110123456", "United Kingdom", id="500"),
        pytest.param("930110123456", "Australia", id="930"),
        pytest.param("001110123456", "United States", id="001"),
        pytest.param("220110123456", None, id="unassigned"),
        pytest.param("VD-12345-19", None, id="legacy"),
        pytest.param("89311012345", None, id="eleven-digits"),
        pytest.param("8931101234567", None, id="thirteen-digits"),
        pytest.param(None, None, id="none"),
    ],
)
def test_country_from_registration(number: str | None, country: str | None) -> None:
    assert country_from_registration(number) == country


def test_unassigned_prefix_is_still_imported() -> None:
    decision = decide_origin("220110123456", None)
    assert (decision.origin, decision.reason) == (IMPORTED, REASON_REGISTRATION_12_DIGIT)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        pytest.param("Pháp", "France", id="phap"),
        pytest.param("France", "France", id="france"),
        pytest.param("Đức", "Germany", id="duc"),
        pytest.param("Ấn Độ", "India", id="an-do"),
        pytest.param("Hàn Quốc", "South Korea", id="han-quoc"),
        pytest.param("Korea", "South Korea", id="korea"),
        pytest.param("South Korea", "South Korea", id="south-korea"),
        pytest.param("Nhật Bản", "Japan", id="nhat-ban"),
        pytest.param("Thụy Sỹ", "Switzerland", id="thuy-sy"),
        pytest.param("Thụy Sĩ", "Switzerland", id="thuy-si"),
        pytest.param("Anh", "United Kingdom", id="anh"),
        pytest.param("UK", "United Kingdom", id="uk"),
        pytest.param("Mỹ", "United States", id="my"),
        pytest.param("Hoa Kỳ", "United States", id="hoa-ky"),
        pytest.param("USA", "United States", id="usa"),
        pytest.param("Ý", "Italy", id="y"),
        pytest.param("Tây Ban Nha", "Spain", id="tay-ban-nha"),
        pytest.param("Bỉ", "Belgium", id="bi"),
        pytest.param("Hà Lan", "Netherlands", id="ha-lan"),
        pytest.param("Áo", "Austria", id="ao"),
        pytest.param("Ba Lan", "Poland", id="ba-lan"),
        pytest.param("Síp", "Cyprus", id="sip"),
        pytest.param("Bồ Đào Nha", "Portugal", id="bo-dao-nha"),
        pytest.param("Trung Quốc", "China", id="trung-quoc"),
        pytest.param("Thái Lan", "Thailand", id="thai-lan"),
        pytest.param("Úc", "Australia", id="uc"),
        pytest.param("Ai-len", "Ireland", id="ai-len"),
        pytest.param("Hy Lạp", "Greece", id="hy-lap"),
        pytest.param("Thổ Nhĩ Kỳ", "Turkey", id="tho-nhi-ky"),
        pytest.param("Nga", "Russia", id="nga"),
        pytest.param("Đài Loan", "Taiwan", id="dai-loan"),
        pytest.param("Ai Cập", "Egypt", id="ai-cap"),
        pytest.param("Đan Mạch", "Denmark", id="dan-mach"),
        pytest.param("Thụy Điển", "Sweden", id="thuy-dien"),
        pytest.param("Phần Lan", "Finland", id="phan-lan"),
        pytest.param("Na Uy", "Norway", id="na-uy"),
        pytest.param("Cộng hòa Séc", "Czech Republic", id="sec"),
        pytest.param("Rumani", "Romania", id="rumani"),
        pytest.param("  việt   nam ", "Vietnam", id="spacing"),
        pytest.param("CSSX: Đức; CSĐG và xuất xưởng: Thụy Sỹ", "Germany", id="labelled-first"),
        pytest.param("CSĐG và xuất xưởng: Thụy Sỹ; CSSX: Đức", "Germany", id="labelled-second"),
        pytest.param("Đức, Thụy Sỹ", "Germany", id="unlabelled-first"),
        pytest.param("Atlantis", None, id="unknown"),
        pytest.param(None, None, id="none"),
    ],
)
def test_normalize_country(text: str | None, country: str | None) -> None:
    assert normalize_country(text) == country


def test_countries_in_lists_every_country_once() -> None:
    assert countries_in("CSSX: Đức; CSĐG và xuất xưởng: Thụy Sỹ") == ("Germany", "Switzerland")
    assert countries_in("Đức / Germany") == ("Germany",)
    assert countries_in(None) == ()


def test_codes_are_kebab_case_and_described_in_both_languages() -> None:
    for code, text in {**REASONS, **CONFLICTS}.items():
        assert code == code.lower() and " " not in code and "_" not in code
        assert set(text) == {"en", "vi"} and all(text.values())


def test_every_decision_uses_a_described_code() -> None:
    samples = [("893110123456", "Pháp"), ("VD-1-19", None), ("1/QLD-KD", None), (None, "x")]
    for number, country in samples:
        decision = decide_origin(number, country)
        assert decision.reason in REASONS
        assert decision.conflict is None or decision.conflict in CONFLICTS


def test_gs1_table_resolves_each_range_end() -> None:
    for low, high, country in GS1_PREFIXES:
        assert country_from_gs1_prefix(low) == country == country_from_gs1_prefix(high)


@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_decide_origin_never_raises(number: str | None, country: str | None) -> None:
    decision = decide_origin(number, country)
    assert isinstance(decision, OriginDecision)
    assert decision.origin in (DOMESTIC, IMPORTED, UNKNOWN)
