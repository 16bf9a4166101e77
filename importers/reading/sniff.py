"""Tell what an uploaded file really is from its first bytes, never from its name.

Officers rename files, portals export HTML tables as ".xls", and a password-protected .xlsx is an
OLE container, not a zip. So the format comes from magic bytes and, for containers, from their
directory: a zip is a workbook only if it holds xl/workbook.xml (an .xlsb holds xl/workbook.bin),
an OLE file is an .xls only if it holds a "Workbook" or "Book" stream. Anything else is refused
with one sentence naming what the file is and what to do. The name is consulted once: text under
an .xlsx name is refused as a broken workbook rather than read as CSV, since an .xlsx is a zip.

Zip bombs are stopped here, from the zip directory alone, before anything is inflated: the
declared uncompressed total may not pass MAX_UNCOMPRESSED_BYTES, and no member above
RATIO_CHECK_ABOVE_BYTES may compress better than MAX_COMPRESSION_RATIO (real sheet XML compresses
10-30 times; a bomb a thousand times). Python's zipfile never inflates past a member's declared
size, so the streaming reader cannot be fooled by a lying directory; calamine is only handed
sheets that are small by these same declared sizes.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from importers.reading.cfb import OLE_MAGIC, CompoundFileError, stream_names
from importers.reading.refusals import refusal

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3  # 2 GiB across all members
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_ABOVE_BYTES = 50 * 1024**2  # small members may compress well; only big ones count
MAX_ZIP_MEMBERS = 10_000
SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05  # share of control bytes above which a "text" file is binary
# An .xlsx is always a zip; text under this name was renamed (text named .xls is read as CSV:
# some portals export tab-separated text as ".xls").
ZIP_EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})

_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVES = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
_UTF_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c\x0b\x1a")
_OFFICE_TYPES = ("wordprocessingml", "presentationml")


def sniff_format(path: Path) -> str:
    """Return "xlsx", "xls", "ods" or "csv" from the file's content; refuse anything else."""
    head, size = _head(path)
    if size == 0:
        raise refusal("empty")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return zip_format(path)
    if head.startswith(OLE_MAGIC):
        return _ole_format(path, size)
    kind = _binary_kind(head)
    if kind is not None:
        raise refusal(kind)
    _refuse_markup(head)
    if path.suffix.lower() in ZIP_EXCEL_SUFFIXES:
        raise refusal("damaged-xlsx")  # an .xlsx is always a zip: this one is renamed or broken
    if not looks_like_text(head):
        raise refusal("binary")
    return "csv"


def _head(path: Path) -> tuple[bytes, int]:
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES), path.stat().st_size
    except OSError as exc:
        raise refusal("missing") from exc


def zip_format(path: Path) -> str:
    """Classify a zip as "xlsx" or "ods" after checking it is no bomb; refuse other zips."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip_bounds(zf)
            return _zip_kind(zf)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise refusal("damaged-xlsx") from exc


def check_zip_bounds(zf: zipfile.ZipFile) -> None:
    """Refuse a zip whose directory declares too much data or a bomb-like compression ratio."""
    members = zf.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise refusal("bomb")
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise refusal("too-big", limit=_size_text(MAX_UNCOMPRESSED_BYTES))
    for member in members:
        if member.file_size > RATIO_CHECK_ABOVE_BYTES and (
            member.file_size > member.compress_size * MAX_COMPRESSION_RATIO
        ):
            raise refusal("bomb")


def _size_text(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


def _zip_kind(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    if "xl/workbook.bin" in names:
        raise refusal("xlsb")
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        with zf.open("mimetype") as fh:
            mimetype = fh.read(100)
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        raise refusal("office")
    return _content_types_kind(zf, names)


def _content_types_kind(zf: zipfile.ZipFile, names: set[str]) -> str:
    if "[Content_Types].xml" not in names:
        raise refusal("zip")
    with zf.open("[Content_Types].xml") as fh:
        types = fh.read(1 << 20)
    if b"sheet.binary" in types:
        raise refusal("xlsb")
    if b"spreadsheetml" in types or b"ms-excel" in types:
        return "xlsx"
    if any(kind.encode() in types for kind in _OFFICE_TYPES):
        raise refusal("office")
    raise refusal("zip")


def _ole_format(path: Path, size: int) -> str:
    try:
        with open(path, "rb") as fh:
            names = {name.lower() for name in stream_names(fh, size)}
    except (CompoundFileError, OSError) as exc:
        raise refusal("damaged-xls") from exc
    if {"encryptioninfo", "encryptedpackage"} & names:
        raise refusal("encrypted")
    if {"workbook", "book"} & names:
        return "xls"
    raise refusal("office")


def _binary_kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_IMAGES) or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "image"
    return "archive" if head.startswith(_ARCHIVES) else None


def _refuse_markup(head: bytes) -> None:
    text = _as_text(head).lstrip().lower()
    if text.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise refusal("xml-2003")
    if text.startswith(("<!doctype html", "<html", "<table", "mime-version:")) or (
        text.startswith("<") and "<html" in text[:1000]
    ):
        raise refusal("html")


def _as_text(head: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(encoding, "ignore")
    return head.decode("utf-8", "ignore").lstrip("\ufeff")


def looks_like_text(head: bytes) -> bool:
    """Tell text (any common encoding, UTF-16 included) from binary by its control bytes."""
    if head.startswith(_UTF_BOMS) or utf16_without_bom(head):
        return True
    # a stray NUL in one cell (some hospital systems export them) counts like any control
    # byte: refusing the file for it would be a false alarm; binary files have many
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls <= MAX_CONTROL_SHARE * len(head)


def utf16_without_bom(head: bytes) -> str | None:
    """Return "utf-16-le" or "utf-16-be" when NUL bytes fall in UTF-16's pattern, else None."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 2:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None
