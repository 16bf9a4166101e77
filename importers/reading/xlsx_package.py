"""The parts of an .xlsx package the streaming reader needs before it reads any cell.

Sheet names, order and hidden state come from xl/workbook.xml and its relationships; number
formats from xl/styles.xml (to tell dates from numbers); text from xl/sharedStrings.xml, read once
per workbook with iterparse. The size of each sheet is probed from the <dimension> element at the
head of its XML, read from the first few KB of the zip member (nothing is extracted to disk), so
the reader can choose calamine or streaming per sheet before loading it.

Namespaces are matched by local name, so strict-OOXML files (purl.oclc.org namespaces) read like
transitional ones.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from importers.reading.cells import format_kind, unescape

# Bytes of decompressed sheet XML read to find <dimension>; it follows <sheetPr>, well inside.
DIMENSION_PROBE_BYTES = 16_384
# Cells assumed per byte of sheet XML when a sheet has no <dimension>: a numeric cell such as
# <c r="B12" s="3"><v>1250000</v></c> takes about 35-40 bytes.
BYTES_PER_CELL = 40

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class PackageError(Exception):
    """The package does not have the parts or links an ordinary workbook has."""


@dataclass
class SheetPart:
    """One worksheet: where its XML is, how big it looks, whether the officer can see it."""

    name: str
    index: int
    hidden: bool
    member: str
    cells: int = 0  # estimated cells, the larger of <dimension> and the XML size estimate
    last_row: int | None = None  # from <dimension>, 1-based


@dataclass
class Package:
    """The workbook-level facts every streamed sheet needs."""

    sheets: list[SheetPart]
    date1904: bool = False
    shared_strings: str | None = None
    styles: str | None = None
    strings: list[str] | None = field(default=None, repr=False)  # loaded on first stream
    kinds: list[str | None] | None = field(default=None, repr=False)  # date kind per cell style


def local(tag: object) -> str:
    """Return an element tag without its namespace."""
    return str(tag).rpartition("}")[2]


def column_index(letters: str) -> int:
    """Return the 0-based index of an Excel column such as "AB"."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def read_package(zf: zipfile.ZipFile) -> Package:
    """Read sheet names, order, hidden state, parts and sizes from an .xlsx zip."""
    workbook = _office_document(zf)
    rels = _relationships(zf, workbook)
    root = _parse(zf, workbook)
    package = Package(sheets=[], date1904=_date1904(root))
    package.shared_strings = _first_of_type(rels, "sharedStrings")
    package.styles = _first_of_type(rels, "styles")
    for index, sheet in enumerate(e for e in root.iter() if local(e.tag) == "sheet"):
        kind, member = rels.get(_rel_id(sheet), ("", ""))
        if kind == "worksheet" and member in zf.NameToInfo:
            hidden = sheet.get("state", "visible") != "visible"
            package.sheets.append(SheetPart(sheet.get("name", ""), index, hidden, member))
    for part in package.sheets:
        _probe_size(zf, part)
    return package


def _office_document(zf: zipfile.ZipFile) -> str:
    for kind, target in _relationships(zf, "").values():
        if kind == "officeDocument":
            return target
    raise PackageError("no officeDocument relationship")


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    links = {}
    for rel in _parse(zf, rels_path).iter():
        if local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            member = (
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
            kind = rel.get("Type", "").rpartition("/")[2]
            links[rel.get("Id", "")] = (kind, posixpath.normpath(member))
    return links


def _parse(zf: zipfile.ZipFile, member: str) -> etree._Element:
    try:
        with zf.open(member) as fh:
            return etree.parse(fh, _PARSER).getroot()
    except KeyError as exc:
        raise PackageError(f"missing part {member}") from exc


def _date1904(root: etree._Element) -> bool:
    for element in root:
        if local(element.tag) == "workbookPr":
            return element.get("date1904", "false").lower() in ("1", "true")
    return False


def _rel_id(sheet: etree._Element) -> str:
    for key, value in sheet.attrib.items():
        if local(key) == "id":
            return str(value)
    return ""


def _first_of_type(rels: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((member for k, member in rels.values() if k == kind), None)


def _probe_size(zf: zipfile.ZipFile, part: SheetPart) -> None:
    with zf.open(part.member) as fh:
        head = fh.read(DIMENSION_PROBE_BYTES)
    estimate = zf.getinfo(part.member).file_size // BYTES_PER_CELL
    match = _DIMENSION.search(head)
    if match is None:
        part.cells = estimate
        return
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    width = column_index(last_col.decode()) - column_index(first_col.decode()) + 1
    height = int(last_row) - int(first_row) + 1
    part.cells = max(width * height, estimate)
    part.last_row = int(last_row)


def load_styles(zf: zipfile.ZipFile, package: Package) -> list[str | None]:
    """Return the date kind (DATE, DURATION or None) of each cell style, by style index."""
    if package.styles is None or package.styles not in zf.NameToInfo:
        return []
    root = _parse(zf, package.styles)
    codes = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
        for fmt in root.iter()
        if local(fmt.tag) == "numFmt"
    }
    xfs = next((e for e in root if local(e.tag) == "cellXfs"), [])
    kinds = []
    for xf in xfs:
        fmt_id = int(xf.get("numFmtId", "0"))
        kinds.append(format_kind(fmt_id, codes.get(fmt_id)))
    return kinds


def load_strings(zf: zipfile.ZipFile, package: Package) -> list[str]:
    """Read the shared string table once: rich-text runs joined, phonetic runs left out."""
    if package.shared_strings is None or package.shared_strings not in zf.NameToInfo:
        return []
    strings = []
    with zf.open(package.shared_strings) as fh:
        for _, item in etree.iterparse(fh, tag="{*}si", resolve_entities=False, no_network=True):
            strings.append(item_text(item))
            item.clear()
            while item.getprevious() is not None:
                del item.getparent()[0]
    return strings


def item_text(item: etree._Element) -> str:
    """Return the text of an <si> or <is> element as calamine reads it."""
    if len(item) == 1 and item[0].tag.endswith("}t"):  # plain text, nearly every string
        return unescape(_text(item[0]))
    return unescape("".join(_runs(item)))


def _runs(item: etree._Element) -> Iterator[str]:
    for child in item:
        name = local(child.tag)
        if name == "t":
            yield _text(child)
        elif name == "r":
            yield from (_text(t) for t in child if local(t.tag) == "t")


def _text(t: etree._Element) -> str:
    text = t.text or ""
    return text if t.get(_XML_SPACE) == "preserve" else text.strip()
