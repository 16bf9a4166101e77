"""Read CSV and other delimited text as officers' tools write it: any encoding, any separator.

Encoding, in order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one, recognised by
its NUL-byte pattern; UTF-8 if the whole file decodes (a handful of bad bytes among many good
multi-byte characters still counts as UTF-8, read with replacement characters); else a Windows
code page. Vietnamese legacy files are cp1258, which writes tone marks as separate combining
characters: when cp1258 turns the bytes into Vietnamese letters it is chosen, and the text is
normalised to NFC so "ạ" is one character as the pipeline expects; otherwise charset-normalizer
chooses among a few sensible code pages. (TCVN3/VNI font encodings are not recognised: their
bytes read as Latin-1 accented letters.)

The separator is the one among comma, semicolon, tab and pipe that splits the first records into
the same number of fields most consistently, counted with the csv module so quoted separators
and embedded newlines do not count. Excel's own "sep=;" first line is honoured and skipped.
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from importers.reading.model import Row, Sheet, guarded, trim, without_trailing_empty_rows
from importers.reading.refusals import refusal
from importers.reading.sniff import SNIFF_BYTES, looks_like_text, utf16_without_bom

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_RECORDS = 50
SAMPLE_CHARS = 65_536
LEGACY_SAMPLE_BYTES = 1 << 20
LEGACY_CODE_PAGES = ["cp1258", "cp1252", "cp1251"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_VIETNAMESE_LETTERS = frozenset("ăĂđĐơƠưƯ")
_CHUNK = 1 << 20


def csv_sheet(path: Path) -> Sheet:
    """Detect encoding and separator now; return the file as one sheet read lazily."""
    try:
        with open(path, "rb") as fh:
            if not looks_like_text(fh.read(SNIFF_BYTES)):
                raise refusal("binary")
        encoding = detect_encoding(path)
        delimiter, skip_sep_line = _detect_delimiter(path, encoding)
    except (OSError, UnicodeError, LookupError) as exc:
        raise refusal("missing" if isinstance(exc, OSError) else "binary") from exc
    rows = _rows(path, encoding, delimiter, skip_sep_line)
    return Sheet(path.stem, 0, False, guarded(rows, lambda: refusal("bad-csv")), [], None, "csv")


def detect_encoding(path: Path) -> str:
    """Return the Python codec name that decodes the file."""
    with open(path, "rb") as fh:
        head = fh.read(LEGACY_SAMPLE_BYTES)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    utf16 = utf16_without_bom(head[:65_536])
    if utf16:
        return utf16
    if _is_utf8(path, head):
        return "utf-8"
    return legacy_encoding(head)


def _is_utf8(path: Path, head: bytes) -> bool:
    """Decode the whole file strictly; failing that, accept rare bad bytes among many good."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        pass
    text = head.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good >= 20 * max(bad, 1)


def legacy_encoding(sample: bytes) -> str:
    """Choose cp1258 for Vietnamese, else the code page charset-normalizer finds likeliest."""
    text = unicodedata.normalize("NFC", sample.decode("cp1258", "replace"))
    vietnamese = sum(1 for c in text if "\u1ea0" <= c <= "\u1ef9" or c in _VIETNAMESE_LETTERS)
    if vietnamese >= 2:
        return "cp1258"
    best = charset_normalizer.from_bytes(sample, cp_isolation=LEGACY_CODE_PAGES).best()
    return best.encoding if best is not None else "cp1252"


def _lines(path: Path, encoding: str) -> Iterator[str]:
    """Yield decoded lines (cp1258 normalised to NFC), ends kept for the csv module."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        if encoding == "cp1258":
            yield from (unicodedata.normalize("NFC", line) for line in fh)
        else:
            yield from fh


def _detect_delimiter(path: Path, encoding: str) -> tuple[str, bool]:
    sample, size = [], 0
    for line in _lines(path, encoding):
        sample.append(line)
        size += len(line)
        if size > SAMPLE_CHARS:
            sample.pop()  # may be cut short; keep whole lines only
            break
    if sample and sample[0].strip().lower().startswith("sep=") and len(sample[0].strip()) == 5:
        return sample[0].strip()[4], True
    return best_delimiter(sample or [""]), False


def best_delimiter(lines: list[str]) -> str:
    """Return the separator giving the most consistent field count (comma when none splits)."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in _sample_records(lines, delimiter) if any(f.strip() for f in r)]
        split = [n for n in counts if n > 1]
        if not split:
            continue
        width, times = Counter(split).most_common(1)[0]
        score = (times / len(counts), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_records(lines: list[str], delimiter: str) -> list[list[str]]:
    records = []
    try:
        for record in csv.reader(lines, delimiter=delimiter, strict=False):
            records.append(record)
            if len(records) >= SAMPLE_RECORDS:
                break
    except csv.Error:
        pass  # a field too long for this separator: it is not this one
    return records


def _rows(path: Path, encoding: str, delimiter: str, skip_sep_line: bool) -> Iterator[Row]:
    lines: Iterable[str] = _lines(path, encoding)
    if skip_sep_line:
        lines = _skip_first(lines)
    records = csv.reader(lines, delimiter=delimiter, strict=False)
    yield from without_trailing_empty_rows(
        trim([field or None for field in record]) for record in records
    )


def _skip_first(lines: Iterable[str]) -> Iterator[str]:
    iterator = iter(lines)
    next(iterator, None)
    yield from iterator
