"""Buyers' levels and provinces, read from how Vietnamese institutions name themselves.

The level (central, provincial, district) drives the domestic-share targets and the 2018 baseline
comparisons; files rarely state it, but the name nearly always does ("Bệnh viện Trung ương Huế",
"Bệnh viện Đa khoa tỉnh Nghệ An", "Trung tâm Y tế huyện Quỳnh Lưu").
"""

from __future__ import annotations

import re

from procurement.textkey import fold_key

LEVELS = ("central", "provincial", "district", "unknown")

_CENTRAL = (
    "trung uong", "quoc gia", "bo y te", "benh vien bach mai", "benh vien cho ray",
    "benh vien k", "benh vien e", "benh vien huu nghi", "vien ve sinh dich te",
    "benh vien thong nhat", "benh vien nhi trung uong", "vien pasteur", "national", "central",
)  # fmt: skip
_DISTRICT = ("huyen", "quan ", "thi xa", "district", "xa ", "phuong ")
_PROVINCIAL = ("tinh", "thanh pho", "tp ", "so y te", "province", "provincial", "city")
_LEVEL_WORDS = {
    "trung uong": "central", "central": "central", "tinh": "provincial",
    "provincial": "provincial", "huyen": "district", "district": "district",
    "quan": "district", "tw": "central",
}  # fmt: skip

_PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?|tp)\s+", re.IGNORECASE)
_PROVINCE_ALIASES = {
    "hcm": "Hồ Chí Minh", "tp hcm": "Hồ Chí Minh", "ho chi minh": "Hồ Chí Minh",
    "sai gon": "Hồ Chí Minh", "ha noi": "Hà Nội", "hn": "Hà Nội", "hue": "Huế",
    "thua thien hue": "Huế",
}  # fmt: skip


def buyer_level(name: str, stated: str | None = None) -> str:
    """Return central, provincial, district or unknown: what the file states, else the name."""
    if stated:
        key = fold_key(stated)
        for word, level in _LEVEL_WORDS.items():
            if word in key.split() or key == word:
                return level
    key = f" {fold_key(name)} "
    if any(f" {word}" in key for word in _CENTRAL):
        return "central"
    if any(f" {word.strip()} " in key for word in _DISTRICT):
        return "district"
    if any(f" {word.strip()} " in key for word in _PROVINCIAL):
        return "provincial"
    return "unknown"


def clean_province(text: str | None) -> tuple[str, str] | tuple[None, None]:
    """Return (display name, code) for a province as files write it, or (None, None)."""
    if not text or not text.strip():
        return None, None
    name = _PROVINCE_PREFIX.sub("", text.strip()).strip(" .")
    alias = _PROVINCE_ALIASES.get(fold_key(name))
    name = alias or name
    if name.isupper():
        name = name.title()
    return name, fold_key(name).replace(" ", "-")


def province_from_name(name: str) -> str | None:
    """Return the province a buyer's name states ("... tỉnh Nghệ An" -> "Nghệ An"), or None."""
    match = re.search(r"(?:tỉnh|thành phố|tp\.?)\s+([^,;()]+)$", name, re.IGNORECASE)
    return match.group(1).strip() if match else None
