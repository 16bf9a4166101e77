"""List the stream names of an OLE compound file (the container of .xls, and of encrypted .xlsx).

A password-protected .xlsx is not a zip at all: Excel wraps it in an OLE compound file holding
"EncryptionInfo" and "EncryptedPackage" streams. A .doc or .ppt uses the same container. Telling
these from a real .xls needs only the directory's names, so this reads the header, the FAT
sectors it needs and the directory chain ([MS-CFB] sections 2.2-2.6) and nothing else; every loop
is bounded by the file size, so a damaged or hostile file cannot make it spin.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_REGULAR = 0xFFFFFFFA
_HEADER_DIFAT = 109
_ENTRY = 128


class CompoundFileError(Exception):
    """The compound file's header or directory is damaged."""


def stream_names(fh: BinaryIO, size: int) -> set[str]:
    """Return the names of all storages and streams in an OLE compound file."""
    header = _read(fh, 0, 512)
    if header[:8] != OLE_MAGIC:
        raise CompoundFileError("not a compound file")
    shift, fat_count, first_dir, first_difat, difat_count = _header_fields(header)
    sector = 1 << shift
    limit = size // sector + 1
    fat_sectors = _fat_sectors(fh, header, sector, first_difat, min(difat_count, limit))
    names = set()
    for index, dir_sector in enumerate(_chain(fh, fat_sectors[:fat_count], sector, first_dir)):
        if index > limit:
            raise CompoundFileError("directory chain loops")
        block = _read(fh, (dir_sector + 1) * sector, sector)
        names.update(_entry_names(block))
    return names


def _header_fields(header: bytes) -> tuple[int, int, int, int, int]:
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        raise CompoundFileError("bad sector size")
    fat_count, first_dir = struct.unpack_from("<II", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    return shift, fat_count, first_dir, first_difat, difat_count


def _fat_sectors(
    fh: BinaryIO, header: bytes, sector: int, first_difat: int, difat_count: int
) -> list[int]:
    ids = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", header, 0x4C))
    current = first_difat
    for _ in range(difat_count):
        if current > _MAX_REGULAR:
            break
        block = _read(fh, (current + 1) * sector, sector)
        entries = struct.unpack(f"<{sector // 4}I", block)
        ids.extend(entries[:-1])
        current = entries[-1]
    return [i for i in ids if i <= _MAX_REGULAR]


def _chain(fh: BinaryIO, fat_sectors: list[int], sector: int, start: int) -> Iterator[int]:
    per_sector = sector // 4
    current = start
    while current <= _MAX_REGULAR:
        yield current
        fat_index, offset = divmod(current, per_sector)
        if fat_index >= len(fat_sectors):
            raise CompoundFileError("FAT too short")
        raw = _read(fh, (fat_sectors[fat_index] + 1) * sector + offset * 4, 4)
        current = struct.unpack("<I", raw)[0]


def _entry_names(block: bytes) -> list[str]:
    names = []
    for start in range(0, len(block), _ENTRY):
        entry = block[start : start + _ENTRY]
        length = struct.unpack_from("<H", entry, 0x40)[0]
        if entry[0x42] in (1, 2, 5) and 2 <= length <= 64:
            names.append(entry[: length - 2].decode("utf-16-le", "replace"))
    return names


def _read(fh: BinaryIO, offset: int, count: int) -> bytes:
    fh.seek(offset)
    data = fh.read(count)
    if len(data) != count:
        raise CompoundFileError("truncated compound file")
    return data
