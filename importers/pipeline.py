"""Spreadsheet -> canonical records and row errors, in chunks, never raising on a bad row.

One pass per sheet: buffer the first rows, find the header and read the title block, then stream
the rest in chunks so a million-line file costs no more memory than a small one. Every row read
ends up accepted, rejected (with its errors) or skipped (with a reason): the counts always add up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from importers import rowkinds
from importers.errors import (
    DUPLICATE_ROW,
    NO_HEADER,
    NO_ROWS,
    FileRefused,
    RowError,
)
from importers.fields import Kind
from importers.header import SEARCH_ROWS, HeaderLayout, Merged, find_header
from importers.profiles import Profile
from importers.reading import Sheet, open_sheets, sniff_format
from importers.rowplan import RowPlan, build_row_plan
from importers.text import fold
from importers.titleblock import read_title_block

CHUNK_SIZE = 5000
SHOWN_SHEETS = 5  # sheet names a refusal lists


@dataclass
class Tally:
    """What happened to every row read; accepted + rejected + skipped == rows_read."""

    rows_read: int = 0
    accepted: int = 0
    rejected: int = 0
    skipped: int = 0
    duplicates: int = 0
    skipped_by: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str, count: int = 1) -> None:
        """Count rows skipped for one reason."""
        self.rows_read += count
        self.skipped += count
        self.skipped_by[reason] += count

    def as_dict(self) -> dict[str, Any]:
        """Return the counts as plain data."""
        return {
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "skipped_by": dict(self.skipped_by),
        }


@dataclass
class SheetReport:
    """How one sheet was read: its header and mapping, or why it was passed over."""

    name: str
    reader: str | None = None  # calamine | stream | csv
    header: HeaderLayout | None = None
    note: str | None = None
    title_facts: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Describe the sheet for the import record."""
        layout = self.header.as_dict() if self.header else {}
        facts = {k: str(v) for k, v in self.title_facts.items()}
        return {
            "sheet": self.name,
            "reader": self.reader,
            "note": self.note,
            "title": facts,
            **layout,
        }


@dataclass
class RejectedRow:
    """The errors of one rejected row and its original values by header."""

    errors: list[RowError]
    original: dict[str, Any]


@dataclass
class Chunk:
    """A batch of accepted records and rejected rows, written together."""

    records: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


@dataclass
class ParsedFile:
    """A file being read: its plan, and the chunks that stream out of it."""

    path: Path
    file_format: str
    kind: Kind
    candidates: list[Profile]
    settings: Mapping[str, object]
    profile: Profile | None = None
    tally: Tally = field(default_factory=Tally)
    sheets: list[SheetReport] = field(default_factory=list)

    def chunks(self, chunk_size: int | None = None) -> Iterator[Chunk]:
        """Yield the file's rows in chunks; FileRefused when no sheet holds a table."""
        chunk_size = chunk_size or CHUNK_SIZE
        seen: set[int] = set()
        for sheet in open_sheets(self.path, self.file_format):
            yield from self._sheet_chunks(sheet, seen, chunk_size)
        if not any(report.header for report in self.sheets):
            raise _no_header(self.kind, self.sheets)

    def _sheet_chunks(self, sheet: Sheet, seen: set[int], size: int) -> Iterator[Chunk]:
        report = SheetReport(sheet.name, sheet.reader)
        self.sheets.append(report)
        wanted = self.profile.sheets if self.profile else None
        if sheet.hidden or (wanted and sheet.name not in wanted):
            report.note = "hidden" if sheet.hidden else "not-in-profile"
            self.tally.skip(f"sheet-{report.note}", sum(1 for _ in sheet.rows))
            return
        head = list(islice(sheet.rows, SEARCH_ROWS))
        profile = self.profile or choose_profile(self.candidates, head, sheet.merged)
        header = find_header(head, sheet.merged, profile.header_texts(), profile.header_rows)
        if header is None:
            report.note = "no-header"
            self.tally.skip("sheet-without-table", len(head) + sum(1 for _ in sheet.rows))
            return
        self.profile = profile
        report.header = header
        report.title_facts = read_title_block(head[: header.first_row - 1])
        plan = build_row_plan(self, sheet.name, header, head, report.title_facts)
        self.tally.skip(rowkinds.TITLE, header.first_row - 1)
        self.tally.skip(rowkinds.HEADER, header.rows)
        body = chain(head[header.last_row :], sheet.rows)
        yield from self._body_chunks(plan, body, header.last_row + 1, seen, size)

    def _body_chunks(
        self, plan: RowPlan, body: Iterator[list[object]], first: int, seen: set[int], size: int
    ) -> Iterator[Chunk]:
        rows: list[list[object]] = []
        numbers: list[int] = []
        footer = False
        for number, row in enumerate(body, start=first):
            kind = plan.classify(row, footer)
            if kind is not None:
                footer = footer or kind in (rowkinds.TOTAL, rowkinds.SIGNATURE)
                self.tally.skip(kind)
                continue
            rows.append(plan.padded(row))
            numbers.append(number)
            if len(rows) >= size:
                yield self._chunk(plan, rows, numbers, seen)
                rows, numbers = [], []
        if rows:
            yield self._chunk(plan, rows, numbers, seen)

    def _chunk(
        self, plan: RowPlan, rows: list[list[object]], numbers: list[int], seen: set[int]
    ) -> Chunk:
        """Parse a batch of data rows and sort them into accepted records and rejected rows."""
        chunk = Chunk()
        self.tally.rows_read += len(rows)
        parsed = plan.parse_rows(rows, numbers)
        for row, number, (record, errors) in zip(rows, numbers, parsed, strict=True):
            if not errors:
                fingerprint = plan.fingerprint(row)
                if fingerprint in seen:
                    errors = [_duplicate(plan, number)]
                    self.tally.duplicates += 1
                seen.add(fingerprint)
            if errors:
                chunk.rejected.append(RejectedRow(errors, plan.original(row)))
            else:
                chunk.records.append(record)
        self.tally.accepted += len(chunk.records)
        self.tally.rejected += len(chunk.rejected)
        return chunk


def open_file(
    path: Path, kind: Kind, candidates: list[Profile], settings: Mapping[str, object]
) -> ParsedFile:
    """Prepare a file for reading (its format is sniffed from its bytes, not its name)."""
    profile = candidates[0] if len(candidates) == 1 else None
    return ParsedFile(Path(path), sniff_format(Path(path)), kind, candidates, settings, profile)


def choose_profile(candidates: list[Profile], head: list[list[object]], merged: Merged) -> Profile:
    """Pick the profile whose header texts name the most fields, its own texts breaking ties."""

    def fit(profile: Profile) -> tuple[int, int]:
        header = find_header(head, merged, profile.header_texts(), profile.header_rows)
        if header is None:
            return (0, 0)
        own = {fold(t) for texts in profile.columns.values() for t in texts}
        hits = sum(1 for c in header.columns if c.field and _label_keys(c.header) & own)
        return (len(header.fields), hits)

    return max(candidates, key=fit)


def _label_keys(label: str) -> set[str]:
    return {fold(part) for part in label.split(" / ")} | {fold(label)}


def _duplicate(plan: RowPlan, number: int) -> RowError:
    return RowError(
        type=DUPLICATE_ROW.code,
        row_number=number,
        column=None,
        field=None,
        cell=None,
        note_en="the same line (every value equal) appears earlier in the file",
        note_vi="dòng này trùng hoàn toàn với một dòng phía trên trong tệp",
        sheet=plan.sheet,
    )


def _no_header(kind: Kind, sheets: list[SheetReport]) -> FileRefused:
    examples = ", ".join(f'"{kind.field(g[0]).label_vi}"' for g in kind.required[:4])
    names, names_vi = _sheet_names(sheets)
    hidden, hidden_vi = _sheet_names([s for s in sheets if s.note == "hidden"])
    unhide = f"; hidden sheets ({hidden}) are not read, so unhide the one holding the list"
    unhide_vi = f"; trang ẩn ({hidden_vi}) không được đọc, hãy bỏ ẩn trang chứa danh mục"
    return FileRefused(
        NO_HEADER.code,
        f"No sheet ({names}) has a table header this importer recognises for {kind.name}; "
        f"the header row should name columns such as {examples}, or choose a profile that "
        f"describes this layout{unhide if hidden != '-' else ''}.",
        f"Không trang tính nào ({names_vi}) có dòng tiêu đề bảng nhận dạng được; dòng tiêu đề cần "
        f"có các cột như {examples}, hoặc hãy chọn hồ sơ cột (profile) mô tả bố cục này"
        f"{unhide_vi if hidden != '-' else ''}.",
    )


def no_rows(sheets: list[SheetReport]) -> FileRefused:
    """Refuse a table without a line: an import of nothing would read as a success."""
    where = "; ".join(
        f'"{s.name}" row {s.header.first_row}' for s in sheets[:SHOWN_SHEETS] if s.header
    )
    where_vi = "; ".join(
        f'"{s.name}" dòng {s.header.first_row}' for s in sheets[:SHOWN_SHEETS] if s.header
    )
    return FileRefused(
        NO_ROWS.code,
        f"The table header was found ({where}) but no line under it holds any data, so there is "
        "nothing to import; add the lines under the header and upload the file again.",
        f"Đã tìm thấy dòng tiêu đề ({where_vi}) nhưng bên dưới không có dòng dữ liệu nào nên "
        "không có gì để nhập; hãy bổ sung các dòng dưới tiêu đề rồi tải tệp lên lại.",
    )


def _sheet_names(sheets: list[SheetReport]) -> tuple[str, str]:
    """Name the first few sheets, in English and Vietnamese; hundreds must stay one sentence."""
    names = ", ".join(s.name for s in sheets[:SHOWN_SHEETS]) or "-"
    more = len(sheets) - SHOWN_SHEETS
    if more <= 0:
        return names, names
    return f"{names} and {more} more", f"{names} và {more} trang khác"
