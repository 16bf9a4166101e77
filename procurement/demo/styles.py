"""The spelling habits of each published file: strengths, dosage forms, countries, groups.

The same drug is written "500mg" in one file and "500 mg" in another, "Viên nén bao phim" or
"viên nén", its country "Việt Nam", "Viet Nam", "VN" or "Việt Nam" in NFD. Each file gets one
habit; respell() applies it to a copy of a line.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field, replace

from procurement.demo.catalog import COUNTRIES, VIETNAM
from procurement.demo.layouts import ListStyle

FORM_VARIANTS: dict[str, tuple[str, ...]] = {
    "Viên nén bao phim": ("viên nén bao phim", "Viên bao phim", "Viên nén"),
    "Viên nang cứng": ("Viên nang", "viên nang cứng", "Viên nang"),
    "Viên nén": ("viên nén", "Viên nén", "Viên"),
    "Bột pha tiêm": ("Thuốc bột pha tiêm", "bột pha tiêm", "Bột pha dung dịch tiêm"),
    "Dung dịch tiêm truyền": ("Dịch truyền", "Dung dịch truyền", "dung dịch tiêm truyền"),
    "Dung dịch tiêm": ("Thuốc tiêm", "dung dịch tiêm", "Dung dịch tiêm"),
    "Bột đông khô pha tiêm": ("Bột đông khô", "bột đông khô pha tiêm", "Bột đông khô pha tiêm"),
}
_UNIT = re.compile(r"(\d)(mg|mcg|g|ml|IU)\b")
SPLIT_COUNTRY = "CSSX: Đức; CSĐG và xuất xưởng: Thụy Sỹ"


@dataclass(frozen=True)
class Spelling:
    """One file's spelling habits."""

    strength_space: bool = False  # "500 mg"
    form_variant: int | None = None  # index into FORM_VARIANTS values
    country: str = "vi"  # vi | en ("Viet Nam", "France") | abbr ("VN") | nfd
    joined_group: bool = False  # "G1N4"


@dataclass(frozen=True)
class FileStyle:
    """How one hospital list is written: layout style, spelling and format."""

    layout: ListStyle = field(default_factory=ListStyle)
    spelling: Spelling = field(default_factory=Spelling)
    fmt: str = "xlsx"


def country_text(country: str | None, mode: str) -> str | None:
    """Write a country the way a file's habit says."""
    if not country or country not in COUNTRIES:
        return country
    if mode == "en":
        return COUNTRIES[country][1]
    if mode == "abbr" and country == VIETNAM:
        return "VN"
    if mode == "nfd":
        return unicodedata.normalize("NFD", country)
    return country


def respell(line: dict, spelling: Spelling) -> dict:
    """Return a copy of the line written with the file's spelling habits."""
    out = dict(line)
    if spelling.strength_space and isinstance(out.get("strength"), str):
        out["strength"] = _UNIT.sub(r"\1 \2", out["strength"])
    form = out.get("dosage_form")
    if spelling.form_variant is not None and form in FORM_VARIANTS:
        out["dosage_form"] = FORM_VARIANTS[form][spelling.form_variant]
    out["country"] = country_text(out.get("country"), spelling.country)
    group = out.get("group")
    if spelling.joined_group and isinstance(group, str) and re.fullmatch(r"N[1-5]", group):
        out["group"] = f"G1{group}"
    return out


def pick_styles(rng: random.Random, count: int, protected: set[int]) -> list[FileStyle]:
    """Choose the styles of count hospital lists; protected ones stay plain .xlsx."""
    free = [i for i in range(count) if i not in protected]
    rng.shuffle(free)
    special = {"ascii": free[:2], "nfd": free[2:3]}
    text_numbers = set(free[3 : 3 + max(1, count // 7)])
    xls = set(free[3 + max(1, count // 7) : 3 + max(1, count // 7) + max(1, count // 8)])
    joined = set(free[-2:])
    styles: list[FileStyle] = []
    for i in range(count):
        headers = next((k for k, v in special.items() if i in v), None)
        if headers is None:
            headers = "variant" if rng.random() < 0.3 else "standard"
        layout = ListStyle(
            headers=headers,
            numbers="text" if i in text_numbers else "number",
            tender_line=rng.random() < 0.8,
            split_sheets=rng.random() < 0.35,
            section_column=rng.choice((1, 2)),
            package_sections=rng.random() < 0.3,
        )
        spelling = Spelling(
            strength_space=rng.random() < 0.4,
            form_variant=rng.randrange(3) if rng.random() < 0.4 else None,
            country=rng.choice(("vi", "vi", "vi", "en", "abbr", "nfd")),
            joined_group=i in joined,
        )
        if i in protected:
            layout, spelling = replace(layout, headers="standard", numbers="number"), Spelling()
        styles.append(FileStyle(layout, spelling, "xls" if i in xls else "xlsx"))
    return styles
