"""The readers' public API under its original module name; the code lives in importers.reading.

Kept so callers can write `from importers.readers import open_sheets` while the implementation is
split into modules small enough to review (see importers/reading/__init__.py).
"""

from importers.reading import (
    FORMATS,
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    RATIO_CHECK_ABOVE_BYTES,
    STREAM_THRESHOLD_CELLS,
    Sheet,
    open_sheets,
    sniff_format,
)

__all__ = [
    "FORMATS",
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "RATIO_CHECK_ABOVE_BYTES",
    "STREAM_THRESHOLD_CELLS",
    "Sheet",
    "open_sheets",
    "sniff_format",
]
