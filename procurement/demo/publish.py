"""Publish the demo decisions as files: hospital lists, portal exports and the social-security
CSV, each with its spelling habits, and remember the file, sheet and row of every line."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from procurement.demo import exports, layouts
from procurement.demo.catalog import BUYER_BY_NAME, VIETNAM
from procurement.demo.model import DemoFile
from procurement.demo.plan import ANCHOR_BUYERS
from procurement.demo.planting import (
    CSV,
    HOSPITAL_LIST,
    PORTAL,
    PORTAL_EXTRA,
    Book,
    DemoDecision,
    Plant,
)
from procurement.demo.styles import SPLIT_COUNTRY, FileStyle, pick_styles, respell

PORTAL_FILE = "cong-dau-thau-quoc-gia_kqlcnt_2024-2025.xlsx"
PORTAL_EXTRA_FILE = "cong-dau-thau-quoc-gia_kqlcnt_bo-sung.xlsx"
CSV_FILE = "bhxh_cong-khai-gia-thuoc-trung-thau.csv"
SPLIT_COUNTRY_MAKER = "Novartis Pharma Produktions GmbH"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", layouts.strip_marks(text).lower()).strip("-")


def _priced(line: dict) -> bool:
    return isinstance(line.get("unit_price"), int) and not line.get("_repeat_previous")


class Publisher:
    """Write the award files and keep where each line went."""

    def __init__(self, out_dir: Path, book: Book, rng: random.Random) -> None:
        self.out_dir = out_dir
        self.book = book
        self.rng = rng
        self.where: dict[int, tuple[str, str, int]] = {}
        self.hygiene: list[dict] = []
        self.summary: dict[str, dict] = {}

    def publish(self, plants: list[Plant]) -> list[DemoFile]:
        """Write every award file; return them as DemoFiles."""
        files = self._hospital_lists(plants)
        portal = [d for d in self.book.decisions if d.output == PORTAL]
        extra = [d for d in self.book.decisions if d.output == PORTAL_EXTRA]
        files.append(self._portal(PORTAL_FILE, portal, "year"))
        if extra:
            files.append(self._portal(PORTAL_EXTRA_FILE, extra, "province"))
        files.append(self._csv([d for d in self.book.decisions if d.output == CSV]))
        boxes = sum(1 for line in self.book.lines() if line.get("unit") == "Hộp")
        self.hygiene.append({"what": "lines priced per box of 100 (unit Hộp)", "count": boxes})
        return files

    def locate(self, plant: Plant) -> dict[str, str]:
        """Return the plant's keys with the file, sheet and row of its lines."""
        keys = dict(plant.keys)
        for i, line in enumerate(plant.lines):
            name, sheet, row = self.where[id(line)]
            prefix = "" if i == 0 else "other_"
            keys.update({f"{prefix}file": name, f"{prefix}sheet": sheet, f"{prefix}row": str(row)})
        return keys

    def _note(self, what: str, name: str, **more: object) -> None:
        self.hygiene.append({"what": what, "file": name, **{k: str(v) for k, v in more.items()}})

    def _hospital_lists(self, plants: list[Plant]) -> list[DemoFile]:
        decisions = [d for d in self.book.decisions if d.output == HOSPITAL_LIST]
        protected = {i for i, d in enumerate(decisions) if d.buyer in ANCHOR_BUYERS}
        styles = pick_styles(self.rng, len(decisions), protected)
        grouped = {id(x) for p in plants if p.rule in ("DOM-03", "CEN-01") for x in p.lines}
        split_done = money_done = False
        files = []
        for decision, style in zip(decisions, styles, strict=True):
            if any(id(line) in grouped for line in decision.lines):
                style = replace(style, spelling=replace(style.spelling, joined_group=False))
            copies = [respell(line, style.spelling) for line in decision.lines]
            if not split_done and not decision.bad:
                split_done = self._split_country(decision, copies)
            if not money_done and style.layout.numbers == "text" and not decision.bad:
                money_done = self._money_text(decision, copies)
            files.append(self._hospital_list(decision, style, copies))
        return files

    def _split_country(self, decision: DemoDecision, copies: list[dict]) -> bool:
        for line, copy in zip(decision.lines, copies, strict=True):
            if line.get("manufacturer") == SPLIT_COUNTRY_MAKER and line.get("country"):
                copy["country"] = SPLIT_COUNTRY
                copy["_hygiene"] = "country with two places"
                return True
        return False

    def _money_text(self, decision: DemoDecision, copies: list[dict]) -> bool:
        for copy in sorted(copies, key=lambda c: -c["unit_price"] if _priced(c) else 0):
            if _priced(copy) and copy["unit_price"] >= 1000:
                copy["unit_price"] = f"{layouts.vn_number(copy['unit_price'])} đ"
                copy["_hygiene"] = "unit price as text with the currency sign"
                return True
        return False

    def _hospital_list(self, decision: DemoDecision, style: FileStyle,
                       copies: list[dict]) -> DemoFile:  # fmt: skip
        first = decision.lines[0]
        name = f"kqlcnt_{decision.year}_{_slug(decision.buyer)}_{_slug(decision.number)}"
        name += f".{style.fmt}"
        buyer = BUYER_BY_NAME[decision.buyer].as_dict()
        meta = {
            "number": decision.number,
            "date": decision.date,
            "tender_name": first["tender_name"],
            "tender_code": first["tender_code"],
        }
        path = self.out_dir / name
        found = layouts.hospital_list_positions(path, buyer, meta, copies, fmt=style.fmt,
                                                style=style.layout)  # fmt: skip
        for line, copy, (sheet, row) in zip(decision.lines, copies, found, strict=True):
            self.where[id(line)] = (name, sheet, row)
            if copy.get("_hygiene"):
                self._note(copy["_hygiene"], name, sheet=sheet, row=row,
                           value=copy.get("country") if "country" in copy["_hygiene"]
                           else copy.get("unit_price"))  # fmt: skip
        layout = style.layout
        if layout.headers != "standard":
            self._note(f"headers: {layout.headers}", name)
        if layout.numbers == "text":
            self._note("numbers written as text (1.234.567)", name)
        if style.spelling.joined_group:
            self._note("group joined with the package (G1N4)", name)
        self.summary[name] = {
            "layout": "hospital-list", "format": style.fmt, "rows": len(copies),
            "buyer": decision.buyer, "decision_number": decision.number,
            "headers": layout.headers, "numbers": layout.numbers,
            "sheets": sorted({sheet for sheet, _ in found}),
        }  # fmt: skip
        return DemoFile(path, "awards", "hospital-result-list", {})

    def _portal(self, name: str, decisions: list[DemoDecision], sheets_by: str) -> DemoFile:
        lines, text_dates = [], 0
        for decision in decisions:
            as_text = self.rng.random() < 0.3
            for line in decision.lines:
                lines.append({**line, "_date_as_text": as_text})
                text_dates += as_text
        path = self.out_dir / name
        found = exports.portal_positions(path, lines, sheets_by)
        sources = [line for d in decisions for line in d.lines]
        for line, (sheet, row) in zip(sources, found, strict=True):
            self.where[id(line)] = (name, sheet, row)
        self._note("decision dates as dd/mm/yyyy text", name, rows=text_dates)
        self.summary[name] = {"layout": "portal", "format": "xlsx", "rows": len(lines),
                              "sheets": sorted({sheet for sheet, _ in found}),
                              "buyers": len({d.buyer for d in decisions})}  # fmt: skip
        return DemoFile(path, "awards", "national-portal", {})

    def _csv(self, decisions: list[DemoDecision]) -> DemoFile:
        sources = [line for d in decisions for line in d.lines]
        lines, nfd, spaces = [], 0, 0
        for line in sources:
            copy = dict(line)
            if copy.get("country") == VIETNAM and self.rng.random() < 0.25:
                copy["country"] = unicodedata.normalize("NFD", VIETNAM)
                nfd += 1
            if self.rng.random() < 0.02:
                copy["product_name"] = copy["product_name"].replace(" ", "  ", 1)
                spaces += 1
            lines.append(copy)
        path = self.out_dir / CSV_FILE
        found = exports.social_security_positions(path, lines)
        for line, (sheet, row) in zip(sources, found, strict=True):
            self.where[id(line)] = (CSV_FILE, sheet, row)
        self._note("country 'Việt Nam' in NFD", CSV_FILE, rows=nfd)
        self._note("double spaces in product names", CSV_FILE, rows=spaces)
        self.summary[CSV_FILE] = {"layout": "social-security", "format": "csv",
                                  "rows": len(lines),
                                  "buyers": len({d.buyer for d in decisions})}  # fmt: skip
        return DemoFile(path, "awards", "social-security", {})
