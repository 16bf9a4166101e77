"""Import errors as values: a bad row never raises out of an importer, it becomes a RowError.

Types form a hierarchy (file, header, row, cell) after Frictionless; the type strings are part of
the public contract (exports, the officer's error report) and never change once released.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorType:
    """A stable error code, its level in the hierarchy and its bilingual message templates."""

    code: str
    level: str  # file | header | row | cell
    title_en: str
    title_vi: str


_TYPES: dict[str, ErrorType] = {}


def _register(code: str, level: str, title_en: str, title_vi: str) -> ErrorType:
    error_type = ErrorType(code, level, title_en, title_vi)
    _TYPES[code] = error_type
    return error_type


# file level: the whole file is refused
UNREADABLE_FILE = _register("unreadable-file", "file", "File cannot be read", "Không đọc được tệp")
UNSUPPORTED_FORMAT = _register(
    "unsupported-format", "file", "Unsupported file format", "Định dạng tệp không được hỗ trợ"
)
NO_HEADER = _register("no-header", "file", "No header row found", "Không tìm thấy dòng tiêu đề")
NO_ROWS = _register("no-rows", "file", "No data under the header", "Không có dòng dữ liệu")
MISSING_FIELD = _register(
    "missing-field", "header", "A required column is missing", "Thiếu cột bắt buộc"
)
# row level
MISSING_VALUE = _register(
    "missing-value", "row", "A required value is empty", "Thiếu giá trị bắt buộc"
)
DUPLICATE_ROW = _register("duplicate-row", "row", "Duplicate row", "Dòng bị trùng")
# cell level
BAD_NUMBER = _register("bad-number", "cell", "Not a number", "Không phải là số")
BAD_DATE = _register("bad-date", "cell", "Not a date", "Không phải là ngày")
OUT_OF_RANGE = _register("out-of-range", "cell", "Value out of range", "Giá trị ngoài khoảng")
BAD_VALUE = _register("bad-value", "cell", "Value not allowed", "Giá trị không hợp lệ")
TOO_LONG = _register("too-long", "cell", "Text too long", "Chuỗi quá dài")


def error_type(code: str) -> ErrorType:
    """Return the registered type for a code (KeyError for an unknown one)."""
    return _TYPES[code]


class _Bilingual(Exception):
    """An error with a stable code and one sentence in each language."""

    def __init__(self, code: str, note_en: str, note_vi: str) -> None:
        super().__init__(note_en)
        self.code = code
        self.note_en = note_en
        self.note_vi = note_vi


class CellError(_Bilingual, ValueError):
    """Raised by a value parser; the pipeline turns it into a RowError with the cell's position."""


class FileRefused(_Bilingual):
    """The whole file is refused: one sentence for the officer, in Vietnamese and English."""

    def sentence(self) -> str:
        """Return the bilingual sentence shown on the command line and the upload page."""
        return f"{self.note_vi} / {self.note_en}"


@dataclass(frozen=True)
class RowError:
    """One rejected row: where it is, which value and why, in both languages."""

    type: str
    row_number: int  # 1-based, as Excel shows it
    column: str | None  # the Excel letter, e.g. "F"
    field: str | None
    cell: Any
    note_en: str
    note_vi: str
    sheet: str | None = None

    def as_flat(self) -> dict[str, Any]:
        """Flatten to one row of the officer's error report (and of the tests' assertions)."""
        return {
            "sheet": self.sheet,
            "row": self.row_number,
            "column": self.column,
            "field": self.field,
            "type": self.type,
            "value": self.cell,
            "note_vi": self.note_vi,
            "note_en": self.note_en,
        }


def column_letter(index: int) -> str:
    """Return the Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
