"""Whatever the rows hold, every row is accepted, rejected or skipped, exactly once."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.fields import get_kind
from importers.pipeline import open_file
from importers.profiles import generic_profile
from tests.importers.files import write_csv, write_xlsx_shared

HEADER = [
    "STT",
    "Chủ đầu tư",
    "Ngày ban hành quyết định",
    "Hoạt chất",
    "Hàm lượng",
    "Số lượng",
    "Đơn giá",
    "Thành tiền",
    "Nhà thầu trúng thầu",
]
CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "Tổng cộng",
            "(3)",
            "I. THUỐC",
            "Người lập biểu",
            "N/A",
            "12.000 đ",
            "1.234,5",
            "31/02/2025",
            "15/03/2025",
            "Paracetamol",
            "-5",
            "abc",
            "=",
        ]
    ),
    st.integers(min_value=-10, max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),  # NUL: binary file
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=len(HEADER)), max_size=25)


def counts(path: Path, kind: str = "awards") -> tuple[int, int, int]:
    """Return accepted, rejected and skipped rows of a file read with a kind's own synonyms,
    checking that the tally agrees with the chunks read."""
    parsed = open_file(path, get_kind(kind), [generic_profile(kind)], {})
    accepted = rejected = 0
    for chunk in parsed.chunks():
        accepted += len(chunk.records)
        rejected += len(chunk.rejected)
    tally = parsed.tally
    assert (tally.accepted, tally.rejected) == (accepted, rejected)
    assert tally.skipped == sum(tally.skipped_by.values())
    return tally.accepted, tally.rejected, tally.skipped


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_accepted_rejected_skipped_add_up_to_the_rows_of_a_csv(rows: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        text_rows = [HEADER, *[["" if c is None else str(c) for c in row] for row in rows]]
        path = write_csv(Path(folder) / "f.csv", text_rows)
        accepted, rejected, skipped = counts(path)
        last = max((i for i, r in enumerate(text_rows) if any(c.strip() for c in r)), default=0)
        assert accepted + rejected + skipped == last + 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_accepted_rejected_skipped_add_up_to_the_rows_of_a_workbook(
    rows: list[list[object]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx_shared(Path(folder) / "f.xlsx", {"DS": [HEADER, *rows]})
        accepted, rejected, skipped = counts(path)
        grid = [HEADER, *rows]
        last = max(
            (i for i, r in enumerate(grid) if any(c not in (None, "") for c in r)), default=0
        )
        assert accepted + rejected + skipped == last + 1
