"""Facts that published files state only in their title block, above the table.

A hospital's result list names the buyer in its letterhead ("BỆNH VIỆN ĐA KHOA TỈNH NGHỆ AN") and
the decision in a line such as "Kèm theo Quyết định số 215/QĐ-BV ngày 15/03/2025"; reference lists
name the list and its circular. These fill the fields no column gives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from importers.errors import CellError
from importers.text import clean_text, fold
from importers.values import parse_date

_DECISION = re.compile(
    r"quy[eếệ]t\s*[đd][iị]nh\s*(?:s[oố])?\s*:?\s*(?P<number>\d[^\s,;()]*)"
    r"(?:\s*,?\s*ng[aà]y\s*(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}"
    r"|\d{1,2}\s*th[aá]ng\s*\d{1,2}\s*n[aă]m\s*\d{4}))?",
    re.IGNORECASE,
)
_CIRCULAR = re.compile(
    r"(?:th[oô]ng\s*t[uư]|quy[eế]t\s*[đd][iị]nh)\s*(?:s[oố])?\s*:?\s*(?P<number>\d[^\s,;()]*)"
    r"(?:\s*,?\s*ng[aà]y\s*(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
    r"|\d{1,2}\s*th[aá]ng\s*\d{1,2}\s*n[aă]m\s*\d{4}))?",
    re.IGNORECASE,
)
_TENDER_CODE = re.compile(r"(?:m[aã]|s[oố])\s*TBMT\s*:?\s*(?P<code>[A-Za-z0-9][\w\-]*)", re.I)
_TENDER_NAME = re.compile(
    r"^g[oó]i\s*th[aầ]u(?:\s*s[oố]\s*\d+)?\s*:\s*(?P<name>.+?)(?:\s*[-–]\s*(?:m[aã]|s[oố])"
    r"\s*TBMT.*)?$",
    re.IGNORECASE,
)
# "Báo cáo xuất nhập tồn tháng 10 năm 2026", "Kỳ báo cáo: 10/2026", "Quý III/2026" is left out:
# a quarter is three periods' worth of consumption and needs the months column or --set.
_PERIOD = re.compile(
    r"th[aá]ng\s*(?P<month>\d{1,2})\s*(?:[/.\-]|\s*n[aă]m)\s*(?P<year>\d{4})"
    r"|k[yỳ]\s*b[aá]o\s*c[aá]o\s*:?\s*(?P<month2>\d{1,2})\s*[/.\-]\s*(?P<year2>\d{4})",
    re.IGNORECASE,
)
_PROVINCE = re.compile(r"(?:t[iỉ]nh|th[aà]nh\s*ph[oố]|tp\.?)\s+(?P<name>[^,;()]+)$", re.I)
_INSTITUTIONS = (
    "benh vien", "trung tam", "vien ", "bv ", "phong kham", "so y te", "hoi dong",
    "ban quan ly", "cuc ", "hospital", "health department", "medical centre", "medical center",
)  # fmt: skip
_PARENTS = ("bo ", "so y te", "ubnd", "uy ban", "ministry")
_LIST_TYPES = (
    ("trong nuoc", "domestic-only"),
    ("tap trung cap quoc gia", "centralized"),
    ("mua sam tap trung", "centralized"),
    ("dam phan gia", "negotiation"),
)


def read_title_block(rows: Sequence[Sequence[object]]) -> dict[str, object]:
    """Return the facts found above the header: buyer, province, decision, tender, list, and
    for a stock report its facility (the letterhead's institution) and period."""
    lines = [text for row in rows for text in (clean_text(c) for c in row) if text]
    facts: dict[str, object] = {}
    buyer, province = _buyer(lines)
    _put(facts, "buyer", buyer)
    _put(facts, "facility", buyer)
    _put(facts, "province", province)
    for line in lines:
        _decision(line, facts)
        _tender(line, facts)
        _reference_list(line, facts)
        _period(line, facts)
    return facts


def _put(facts: dict[str, object], key: str, value: object) -> None:
    if value is not None and key not in facts:
        facts[key] = value


def _buyer(lines: list[str]) -> tuple[str | None, str | None]:
    """Pick the most specific institution of the letterhead, and its province."""
    institutions = [line for line in lines if fold(line).startswith(_INSTITUTIONS + _PARENTS)]
    own = [line for line in institutions if not fold(line).startswith(_PARENTS)]
    buyer = (own or [i for i in institutions if fold(i).startswith("so y te")] or [None])[0]
    province = None
    for line in [*own, *institutions]:
        match = _PROVINCE.search(line)
        if match:
            province = match.group("name").strip().title()
            break
    return buyer, province


def _decision(line: str, facts: dict[str, object]) -> None:
    match = _DECISION.search(line)
    if not match or "thong tu" in fold(line):
        return
    _put(facts, "decision_number", match.group("number").rstrip("."))
    _put(facts, "decision_date", _date(match.group("date")))


def _tender(line: str, facts: dict[str, object]) -> None:
    code = _TENDER_CODE.search(line)
    if code:
        _put(facts, "tender_code", code.group("code"))
    name = _TENDER_NAME.match(line)
    if name:
        _put(facts, "tender_name", name.group("name").strip())


def _period(line: str, facts: dict[str, object]) -> None:
    """A stock report's month, from its title; never a decision's "ngày .. tháng .. năm"."""
    key = fold(line)
    if "ngay" in key.split() or not ("bao cao" in key or "xuat nhap ton" in key):
        return
    match = _PERIOD.search(line)
    if match:
        month = match.group("month") or match.group("month2")
        year = match.group("year") or match.group("year2")
        if 1 <= int(month) <= 12:
            _put(facts, "period", date(int(year), int(month), 1))


def _reference_list(line: str, facts: dict[str, object]) -> None:
    key = fold(line)
    if key.startswith("danh muc"):
        for words, list_type in _LIST_TYPES:
            if words in key:
                _put(facts, "list_type", list_type)
                _put(facts, "list_name", line)
    circular = _CIRCULAR.search(line)
    if circular and ("thong tu" in key or "ban hanh" in key):
        _put(facts, "legal_basis", circular.group("number").rstrip("."))
        _put(facts, "effective_date", _date(circular.group("date")))


def _date(text: str | None) -> date | None:
    if not text:
        return None
    compact = re.sub(r"\s+", " ", text)
    words = re.match(r"(\d{1,2}) th[aá]ng (\d{1,2}) n[aă]m (\d{4})", compact, re.I)
    if words:
        compact = "/".join(words.groups())
    try:
        return parse_date(compact.replace(" ", ""))
    except CellError:
        return None
