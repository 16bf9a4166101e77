"""Origin (domestic or imported) of an awarded drug, with the evidence that decided it.

The domestic share (DOM-01) and the domestic-only checks (DOM-02, DOM-03) rest on this decision,
and auditors and the public must see why a line counted as domestic. DOMAIN.md's order:
1. a 12-digit registration number is domestic iff it starts with 893 (GS1 Vietnam);
2. legacy prefixes: VD-, GC- domestic; VN-, VN2-, VN3-, SP- and "####/QLD-KD" import permits
   imported; QLSP-, QLVX-, VCT- (either origin) fall through;
3. the country of manufacture (Vietnamese or English, NFC or NFD, several per cell);
4. otherwise unknown.
The registration number wins over the country; disagreement is recorded as a conflict. Reason
and conflict codes are stable kebab-case strings shown to the public, described in English and
Vietnamese in REASONS and CONFLICTS.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from procurement.countries import (
    VIETNAM,
    countries_in,
    country_from_gs1_prefix,
    normalize_country,
)

__all__ = [
    "CONFLICTS",
    "CONFLICT_REGISTRATION_COUNTRY_MISMATCH",
    "CONFLICT_SEVERAL_COUNTRIES",
    "DOMESTIC",
    "IMPORTED",
    "REASONS",
    "REASON_COUNTRY",
    "REASON_COUNTRY_UNRECOGNIZED",
    "REASON_IMPORT_PERMIT",
    "REASON_NO_EVIDENCE",
    "REASON_REGISTRATION_12_DIGIT",
    "REASON_REGISTRATION_PREFIX",
    "UNKNOWN",
    "OriginDecision",
    "countries_in",
    "country_from_registration",
    "decide_origin",
    "normalize_country",
]

DOMESTIC, IMPORTED, UNKNOWN = "domestic", "imported", "unknown"

REASON_REGISTRATION_12_DIGIT = "registration-12-digit"
REASON_REGISTRATION_PREFIX = "registration-prefix"
REASON_IMPORT_PERMIT = "import-permit"
REASON_COUNTRY = "country"
REASON_COUNTRY_UNRECOGNIZED = "country-unrecognized"
REASON_NO_EVIDENCE = "no-evidence"

CONFLICT_REGISTRATION_COUNTRY_MISMATCH = "registration-country-mismatch"
CONFLICT_SEVERAL_COUNTRIES = "several-countries"

REASONS: MappingProxyType[str, dict[str, str]] = MappingProxyType(
    {
        REASON_REGISTRATION_12_DIGIT: {
            "en": "12-digit registration number: domestic if and only if it starts with 893.",
            "vi": "Số đăng ký 12 chữ số: thuốc trong nước khi và chỉ khi bắt đầu bằng 893.",
        },
        REASON_REGISTRATION_PREFIX: {
            "en": "Legacy registration prefix: VD-, GC- domestic; VN-, VN2-, VN3-, SP- imported.",
            "vi": "Tiền tố số đăng ký cũ: VD-, GC- trong nước; VN-, VN2-, VN3-, SP- nhập khẩu.",
        },
        REASON_IMPORT_PERMIT: {
            "en": "Import permit number (####/QLD-KD): imported.",
            "vi": "Số giấy phép nhập khẩu (####/QLD-KD): thuốc nhập khẩu.",
        },
        REASON_COUNTRY: {
            "en": "Decided from the country of manufacture.",
            "vi": "Xác định theo nước sản xuất.",
        },
        REASON_COUNTRY_UNRECOGNIZED: {
            "en": "The country of manufacture was given but not recognized.",
            "vi": "Có ghi nước sản xuất nhưng không nhận diện được.",
        },
        REASON_NO_EVIDENCE: {
            "en": "Neither the registration number nor the country tells the origin.",
            "vi": "Số đăng ký và nước sản xuất đều không cho biết xuất xứ.",
        },
    }
)

CONFLICTS: MappingProxyType[str, dict[str, str]] = MappingProxyType(
    {
        CONFLICT_REGISTRATION_COUNTRY_MISMATCH: {
            "en": "The registration number and the country of manufacture disagree; "
            "the registration number was used.",
            "vi": "Số đăng ký và nước sản xuất không khớp nhau; đã dùng số đăng ký.",
        },
        CONFLICT_SEVERAL_COUNTRIES: {
            "en": "The country cell names several countries; the manufacturing one was used.",
            "vi": "Ô nước sản xuất ghi nhiều nước; đã dùng nước sản xuất.",
        },
    }
)

_TWELVE_DIGITS = re.compile(r"(?<![\w])((?:\d[\s.\-]?){11}\d)(?:\.0)?(?![\w])")
_DOMESTIC_PREFIX = re.compile(r"(?:VD|GC)-?\d")
_IMPORTED_PREFIX = re.compile(r"(?:VN[23]?|SP)-?\d")
_EITHER_PREFIX = re.compile(r"(?:QLSP|QLVX|VCT)-?\d")
_IMPORT_PERMIT = re.compile(r"\d+/QLD-?KD")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


@dataclass(frozen=True)
class OriginDecision:
    """Where a drug was made, why we think so, and any evidence that disagrees."""

    origin: str  # domestic | imported | unknown
    reason: str  # a code of REASONS
    detail: str  # a human sentence in English
    conflict: str | None = None  # a code of CONFLICTS


def _twelve_digits(number: str | None) -> str | None:
    """Return the 12 digits of a new-style registration number, None for anything else."""
    if not number:
        return None
    match = _TWELVE_DIGITS.search(unicodedata.normalize("NFKC", number).strip())
    return re.sub(r"\D", "", match.group(1)) if match else None


@lru_cache(maxsize=65536)
def country_from_registration(number: str | None) -> str | None:
    """Return the country a 12-digit registration number's GS1 prefix names, else None."""
    digits = _twelve_digits(number)
    return country_from_gs1_prefix(int(digits[:3])) if digits else None


def _compact(number: str) -> str:
    """Upper-case, NFKC, one kind of dash, no whitespace: "vn - 1234-19" -> "VN-1234-19"."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", number)).upper()
    return "".join(text.split())


def _from_registration(number: str | None) -> OriginDecision | None:
    """Decide from the registration number alone; None when it does not tell."""
    digits = _twelve_digits(number)
    if digits:
        country = country_from_gs1_prefix(int(digits[:3])) or "an unlisted country"
        origin = DOMESTIC if digits.startswith("893") else IMPORTED
        detail = f"12-digit registration number {digits} has GS1 prefix {digits[:3]} ({country})."
        return OriginDecision(origin, REASON_REGISTRATION_12_DIGIT, detail)
    compact = _compact(number or "")
    for pattern, origin in ((_DOMESTIC_PREFIX, DOMESTIC), (_IMPORTED_PREFIX, IMPORTED)):
        if pattern.match(compact):
            detail = f"Registration number {compact} has a prefix that marks {origin} drugs."
            return OriginDecision(origin, REASON_REGISTRATION_PREFIX, detail)
    if _IMPORT_PERMIT.match(compact):
        detail = f"{compact} is an import permit number."
        return OriginDecision(IMPORTED, REASON_IMPORT_PERMIT, detail)
    return None


def _from_country(country: str | None) -> OriginDecision:
    """Decide from the country cell alone."""
    if not country or not country.strip():
        detail = "No country of manufacture and no telling registration number."
        return OriginDecision(UNKNOWN, REASON_NO_EVIDENCE, detail)
    made_in = normalize_country(country)
    if made_in is None:
        detail = f"Country of manufacture {country.strip()!r} is not recognized."
        return OriginDecision(UNKNOWN, REASON_COUNTRY_UNRECOGNIZED, detail)
    origin = DOMESTIC if made_in == VIETNAM else IMPORTED
    return OriginDecision(origin, REASON_COUNTRY, f"Country of manufacture is {made_in}.")


def _conflict(decision: OriginDecision, country: str | None) -> OriginDecision:
    """Attach the conflict code, if any, between the decision and the country cell."""
    named = countries_in(country)
    made_in = normalize_country(country)
    code: str | None = None
    from_registration = decision.reason != REASON_COUNTRY and decision.origin != UNKNOWN
    if from_registration and made_in and (made_in == VIETNAM) != (decision.origin == DOMESTIC):
        code = CONFLICT_REGISTRATION_COUNTRY_MISMATCH
    if code is None and len(named) > 1:
        code = CONFLICT_SEVERAL_COUNTRIES
    if code is None:
        return decision
    detail = f"{decision.detail} The country cell names {', '.join(named)}."
    return OriginDecision(decision.origin, decision.reason, detail, code)


def _either_origin_note(number: str | None) -> str:
    compact = _compact(number or "")
    if _EITHER_PREFIX.match(compact):
        return f"Registration number {compact} may be domestic or imported. "
    return ""


@lru_cache(maxsize=65536)
def decide_origin(registration_number: str | None, country: str | None) -> OriginDecision:
    """Decide domestic or imported from the registration number, then the country."""
    decision = _from_registration(registration_number)
    if decision is None:
        fallback = _from_country(country)
        detail = _either_origin_note(registration_number) + fallback.detail
        decision = OriginDecision(fallback.origin, fallback.reason, detail)
    return _conflict(decision, country)
