"""The per-sheet plan that turns one row into a record or errors.

Built once a sheet's header is known: which column feeds which field through which parser, what
the title block, the profile and the command line supply for the whole sheet, and which fields a
row must carry. A file that cannot satisfy a required field at all is refused here, before any
row is read, with a sentence naming the field.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from importers import rowkinds
from importers.cells import CellParser, cell_parser
from importers.errors import (
    BAD_DATE,
    MISSING_FIELD,
    MISSING_VALUE,
    CellError,
    FileRefused,
    RowError,
    column_letter,
)
from importers.fields import Kind
from importers.header import HeaderLayout
from importers.text import clean_text, fold
from importers.values import parse_integer

if TYPE_CHECKING:
    from importers.pipeline import ParsedFile


@dataclass(frozen=True)
class ExtractStep:
    """Fill a field from a regular expression's first group over another column's text."""

    field: str
    index: int
    pattern: Any
    parse: CellParser


@dataclass(frozen=True)
class ComposeStep:
    """Fill a date field from year, month and optional day columns."""

    field: str
    year: int
    month: int
    day: int | None


@dataclass
class RowPlan:
    """Everything needed to parse a sheet's rows, resolved once."""

    sheet: str
    kind: Kind
    cells: list[tuple[int, str, CellParser]]
    labels: list[tuple[int, str]]
    header_keys: dict[int, str]
    evidence: list[int]
    defaults: dict[str, object]
    overrides: dict[str, object]
    extracts: list[ExtractStep]
    composes: list[ComposeStep]
    columns: dict[str, int]
    probe: int | None = None  # a number column: a repeated header has its title there
    key_cells: Callable[[Sequence[object]], object] = tuple
    width: int = 0
    sentinels: frozenset[str] = frozenset()

    def classify(self, row: Sequence[object], footer: bool) -> str | None:
        """Return why a row is not data (blank, total, section, ...) or None for a data row."""
        probe = self.probe
        if probe is not None and probe < len(row) and type(row[probe]) in (int, float):
            return self._numeric_row(row)
        filled = [i for i, c in enumerate(row) if c is not None and c != ""]
        if not filled:
            return rowkinds.BLANK
        texts = rowkinds.first_texts(row)
        if any(rowkinds.is_total_text(t) for t in texts):
            return rowkinds.TOTAL
        if rowkinds.is_numbering_row(row):
            return rowkinds.NUMBERING
        has_numbers = any(i < len(row) and rowkinds.looks_numeric(row[i]) for i in self.evidence)
        if has_numbers:
            return self._repeated_header(row)
        if footer or any(rowkinds.is_signature_text(t) for t in texts):
            return rowkinds.SIGNATURE
        mapped = sum(1 for i in filled if i in self.header_keys)
        if mapped < 3:
            return rowkinds.SECTION
        return self._repeated_header(row)

    def _numeric_row(self, row: Sequence[object]) -> str | None:
        """Classify a row with a number in the quantity or price column: the common case."""
        for cell in row[:3]:
            if type(cell) is str and rowkinds.is_total_text(cell):
                return rowkinds.TOTAL
        return rowkinds.NUMBERING if rowkinds.is_numbering_row(row) else None

    def _repeated_header(self, row: Sequence[object]) -> str | None:
        """Spot the header printed again on each page of a long list."""
        probe = self.probe
        if probe is not None and (
            probe >= len(row)
            or not isinstance(row[probe], str)
            or fold(row[probe]) != self.header_keys[probe]
        ):
            return None
        same = sum(
            1
            for i, key in self.header_keys.items()
            if i < len(row) and isinstance(row[i], str) and fold(row[i]) == key
        )
        return rowkinds.HEADER if same >= max(2, len(self.header_keys) // 2) else None

    def padded(self, row: list[object]) -> list[object]:
        """Return the row long enough for every mapped column (readers drop trailing blanks)."""
        missing = self.width - len(row)
        return row + [None] * missing if missing > 0 else row

    def parse_rows(
        self, rows: list[list[object]], numbers: list[int]
    ) -> list[tuple[dict[str, Any], list[RowError]]]:
        """Parse a batch of padded data rows into records and their errors, column by column.

        A column of a real file repeats a few hundred distinct values, so each distinct value is
        parsed once and the column is mapped through that table; required values are checked
        per column too. This is what keeps a 200,000-line import within a small multiple of the
        time the spreadsheet itself takes to parse. Records may hold None for an empty cell.
        """
        errors: list[list[RowError]] = [[] for _ in rows]
        names, columns = [], []
        for index, name, parse in self.cells:
            column = [row[index] for row in rows]
            values, failed = _parse_column(column, parse)
            for position, error in failed:
                raw = column[position]
                errors[position].append(
                    cell_error(self.sheet, numbers[position], index, name, raw, error)
                )
            if name in self.defaults:  # the title block fills a column's empty cells
                default = self.defaults[name]
                values = [default if v is None else v for v in values]
            names.append(name)
            columns.append(values)
        static = {k: v for k, v in self.defaults.items() if k not in names}
        records = []
        for values in zip(*columns, strict=True) if columns else ([] for _ in rows):
            record = dict(zip(names, values, strict=True))
            record.update(static)
            records.append(record)
        if self.extracts or self.composes:
            for record, row, number, row_errors in zip(records, rows, numbers, errors, strict=True):
                self._fill(record, row, number, row_errors)
        else:
            self._check_required(dict(zip(names, columns, strict=True)), numbers, errors)
        sheet, overrides = self.sheet, self.overrides
        for record, number in zip(records, numbers, strict=True):
            record.update(overrides)
            record["_row"] = number
            record["_sheet"] = sheet
        return list(zip(records, errors, strict=True))

    def _check_required(
        self, columns: dict[str, list[object]], numbers: list[int], errors: list[list[RowError]]
    ) -> None:
        """Report empty required values column by column (no profile step fills them later)."""
        supplied = self.overrides.keys() | self.defaults.keys()
        for names in self.kind.required:
            if supplied.isdisjoint(names):
                for position in _all_empty([columns[n] for n in names if n in columns]):
                    if not any(e.field in names for e in errors[position]):
                        errors[position].append(
                            missing_value(
                                self.sheet, numbers[position], names, self.kind, self.columns
                            )
                        )

    def _fill(
        self, record: dict[str, Any], row: Sequence[object], number: int, errors: list[RowError]
    ) -> None:
        """Run the profile's extract and compose steps, then check required values."""
        for step in self.extracts:
            self._extract(step, row, record, errors, number)
        for compose in self.composes:
            self._compose(compose, row, record, errors, number)
        for names in self.kind.required:
            if (
                names[0] not in self.overrides
                and _lacks(record, names)
                and not any(e.field in names for e in errors)
            ):
                errors.append(missing_value(self.sheet, number, names, self.kind, self.columns))

    def _extract(
        self,
        step: ExtractStep,
        row: Sequence[object],
        record: dict[str, Any],
        errors: list[RowError],
        number: int,
    ) -> None:
        text = clean_text(row[step.index]) if step.index < len(row) else None
        match = step.pattern.search(text) if text else None
        if not match:
            return
        try:
            value = step.parse(match.group(1))
        except CellError as error:
            errors.append(cell_error(self.sheet, number, step.index, step.field, text, error))
            return
        if value is not None:
            record[step.field] = value

    def _compose(
        self,
        step: ComposeStep,
        row: Sequence[object],
        record: dict[str, Any],
        errors: list[RowError],
        number: int,
    ) -> None:
        parts = [self._cell_or_none(row, i) for i in (step.year, step.month, step.day)]
        if parts[0] is None or parts[1] is None:
            return
        try:
            record[step.field] = _compose_date(*parts)
        except CellError as error:
            errors.append(cell_error(self.sheet, number, step.year, step.field, parts, error))

    def fingerprint(self, row: Sequence[object]) -> int:
        """Hash a padded row's mapped cells, not its line number, to spot a row typed twice.

        Python's 64-bit tuple hash is stable within the process that reads the file, which is
        all a duplicate check needs; a set of ints keeps a million rows in tens of megabytes.
        """
        return hash((self.sheet, self.key_cells(row)))

    def _cell_or_none(self, row: Sequence[object], index: int | None) -> object:
        """Return a raw cell, None for an empty one or one the profile says means no value."""
        if index is None or index >= len(row) or row[index] in (None, ""):
            return None
        cell = row[index]
        return None if isinstance(cell, str) and fold(cell) in self.sentinels else cell

    def original(self, row: Sequence[object]) -> dict[str, Any]:
        """Return the row's original values keyed by header, for the officer's error report."""
        values = {}
        for index, label in self.labels:
            raw = row[index] if index < len(row) else None
            values[label] = raw if isinstance(raw, str | int | float | None) else str(raw)
        return values


def _lacks(record: dict[str, Any], names: tuple[str, ...]) -> bool:
    for name in names:  # noqa: SIM110 - a plain loop: all() with a generator is slower here
        if record.get(name) is not None:
            return False
    return True


def _all_empty(columns: list[list[object]]) -> list[int]:
    """Return the positions where every one of the columns is empty."""
    if len(columns) == 1:
        return [i for i, value in enumerate(columns[0]) if value is None]
    return [
        i
        for i, values in enumerate(zip(*columns, strict=True))
        if values.count(None) == len(values)
    ]


def _parse_column(
    column: list[object], parse: CellParser
) -> tuple[list[object], list[tuple[int, CellError]]]:
    """Parse each distinct value of a column once; return the values and the failures."""
    table: dict[object, object] = {}
    failures: dict[object, CellError] = {}
    for raw in set(column):
        try:
            table[raw] = parse(raw)
        except CellError as error:
            failures[raw] = error
            table[raw] = None
    if (1 in table or 0 in table) and bool in set(map(type, column)):
        return _parse_one_by_one(column, parse)  # True == 1 == 1.0 would share one entry
    values = list(map(table.__getitem__, column))
    if not failures:
        return values, []
    return values, [(i, failures[raw]) for i, raw in enumerate(column) if raw in failures]


def _parse_one_by_one(
    column: list[object], parse: CellParser
) -> tuple[list[object], list[tuple[int, CellError]]]:
    values: list[object] = []
    failed: list[tuple[int, CellError]] = []
    for position, raw in enumerate(column):
        try:
            values.append(parse(raw))
        except CellError as error:
            values.append(None)
            failed.append((position, error))
    return values, failed


def _compose_date(year: object, month: object, day: object) -> date:
    try:
        y, m = parse_integer(year), parse_integer(month)
        d = parse_integer(day) if day is not None else 1
        if y is None or m is None or d is None:
            raise ValueError
        return date(y, m, min(d, calendar.monthrange(y, m)[1]) if d > 28 else d)
    except (ValueError, CellError):
        text = f"{year}-{month}" + (f"-{day}" if day is not None else "")
        raise CellError(
            BAD_DATE.code, f"year/month {text} is not a date", f"năm/tháng {text} không phải ngày"
        ) from None


def build_row_plan(
    parsed: ParsedFile,
    sheet: str,
    header: HeaderLayout,
    head: Sequence[Sequence[object]],
    title_facts: Mapping[str, object],
) -> RowPlan:
    """Resolve a sheet's plan; FileRefused when a required field has no source at all."""
    kind, profile = parsed.kind, parsed.profile
    columns = header.fields
    parsers = {f.name: cell_parser(f, profile) for f in kind.fields}
    plan = RowPlan(
        sheet=sheet,
        kind=kind,
        cells=[(i, name, parsers[name]) for name, i in columns.items() if name != "line_no"],
        labels=[(c.index, c.header) for c in header.columns],
        header_keys={c.index: fold(c.header.split(" / ")[-1]) for c in header.columns},
        evidence=[columns[n] for n in kind.numeric_evidence if n in columns],
        defaults=_constants(kind, parsers, {**profile.fixed, **title_facts}, "title"),
        overrides=_constants(kind, parsers, parsed.settings, "--set"),
        extracts=[
            ExtractStep(
                e.field,
                _source_index(e.source, columns, header, sheet),
                e.pattern,
                parsers[e.field],
            )
            for e in profile.extract
        ],
        composes=[
            ComposeStep(
                c.field,
                _header_index(c.year, header, sheet),
                _header_index(c.month, header, sheet),
                _header_index(c.day, header, sheet) if c.day else None,
            )
            for c in profile.compose_dates
        ],
        columns=columns,
    )
    plan.probe = plan.evidence[0] if plan.evidence else None
    plan.sentinels = profile.sentinels
    # a row's values come from its mapped cells and from the cells extracts and composed dates
    # read (two months of one site differ only in the month column)
    sources = [e.index for e in plan.extracts]
    sources += [i for c in plan.composes for i in (c.year, c.month, c.day) if i is not None]
    keys = sorted({i for name, i in columns.items() if name != "line_no"} | set(sources)) or [0]
    plan.key_cells = itemgetter(*keys)
    plan.width = max([*columns.values(), *keys]) + 1
    plan.defaults.setdefault("currency", profile.currency)
    _require_sources(plan, sheet)
    return plan


def _constants(
    kind: Kind, parsers: Mapping[str, CellParser], values: Mapping[str, object], origin: str
) -> dict[str, object]:
    """Parse whole-file values (title block, profile, --set) with their fields' parsers."""
    parsed: dict[str, object] = {}
    for name, raw in values.items():
        if name not in parsers:
            continue
        try:
            value = parsers[name](raw)
        except CellError as error:
            raise FileRefused(
                error.code,
                f"{origin} value {name}={raw!s} cannot be used: {error.note_en}",
                f"giá trị {origin} {name}={raw!s} không dùng được: {error.note_vi}",
            ) from None
        if value is not None:
            parsed[name] = value
    return parsed


def _require_sources(plan: RowPlan, sheet: str) -> None:
    supplied = (
        set(plan.columns)
        | set(plan.defaults)
        | set(plan.overrides)
        | {e.field for e in plan.extracts}
        | {c.field for c in plan.composes}
    )
    for names in plan.kind.required:
        if not supplied & set(names):
            spec = plan.kind.field(names[0])
            raise FileRefused(
                MISSING_FIELD.code,
                f'Sheet "{sheet}" has no column for {spec.label_en} (for example '
                f'"{spec.label_vi}") and the title block does not state it; add the column, or '
                f"give it for the whole file (a fixed value on the upload form, or --set "
                f"{names[0]}=... on the command line)",
                f'Trang "{sheet}" không có cột {spec.label_vi} và phần tiêu đề cũng không ghi; '
                f"hãy thêm cột này, hoặc nhập giá trị chung cho cả tệp (ô giá trị cố định trên "
                f"trang tải lên, hoặc --set {names[0]}=... trên dòng lệnh)",
            )


def _source_index(source: str, columns: Mapping[str, int], header: HeaderLayout, sheet: str) -> int:
    return columns[source] if source in columns else _header_index(source, header, sheet)


def _header_index(text: str, header: HeaderLayout, sheet: str) -> int:
    key = fold(text)
    for column in header.columns:
        if key in (fold(column.header), fold(column.header.split(" / ")[-1])):
            return column.index
    raise FileRefused(
        MISSING_FIELD.code,
        f'Sheet "{sheet}" has no column "{text}" that the profile reads',
        f'Trang "{sheet}" không có cột "{text}" mà hồ sơ cột cần đọc',
    )


def missing_value(
    sheet: str, number: int, names: tuple[str, ...], kind: Kind, columns: Mapping[str, int]
) -> RowError:
    """Build the error of a row lacking a required value (any one of `names`)."""
    labels_en = " or ".join(kind.field(n).label_en for n in names)
    labels_vi = " hoặc ".join(kind.field(n).label_vi for n in names)
    index = next((columns[n] for n in names if n in columns), None)
    return RowError(
        type=MISSING_VALUE.code,
        row_number=number,
        column=column_letter(index) if index is not None else None,
        field=names[0],
        cell=None,
        note_en=f"{labels_en} is empty",
        note_vi=f"thiếu {labels_vi}",
        sheet=sheet,
    )


def cell_error(
    sheet: str, number: int, index: int | None, name: str, raw: object, error: CellError
) -> RowError:
    """Place a parser's error at its row and column."""
    return RowError(
        type=error.code,
        row_number=number,
        column=column_letter(index) if index is not None else None,
        field=name,
        cell=raw,
        note_en=error.note_en,
        note_vi=error.note_vi,
        sheet=sheet,
    )
