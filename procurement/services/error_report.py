"""The officer's error report: every rejected row, why, and its original values beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procurement.services.tabular import write_xlsx

ERROR_COLUMNS = (
    "Trang / Sheet", "Dòng / Row", "Cột / Column", "Trường / Field", "Loại lỗi / Error",
    "Giá trị / Value", "Lý do / Reason (vi)", "Reason (en)",
)  # fmt: skip


def write_errors_xlsx(errors: list[dict[str, Any]], path: Path) -> int:
    """Write one row per error, then the original cells of the row under their own headers."""
    originals: list[str] = []
    for error in errors:
        for header in error["original"]:
            if header not in originals:
                originals.append(header)
    rows = (
        [
            error["sheet"],
            error["row"],
            error["column"],
            error["field"],
            error["type"],
            error["value"],
            error["note_vi"],
            error["note_en"],
            *(error["original"].get(h) for h in originals),
        ]
        for error in errors
    )
    return write_xlsx(path, [("Lỗi - Errors", [*ERROR_COLUMNS, *originals], rows)])
