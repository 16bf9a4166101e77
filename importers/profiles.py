"""Column profiles: a YAML file that teaches the importer a new layout, so it needs no code.

A profile maps canonical fields to the source's header texts and states its conventions (number
and date formats, "no value" sentinels, currency), fixed values for fields the file lacks, fields
cut out of another cell by a regular expression, and dates built from year and month columns.
Loading is strict: an unknown key or field, or a wrong type, is refused with a sentence naming
the file and the key, because a silently ignored typo would import wrong data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importers.fields import KINDS, Kind, get_kind
from importers.text import DEFAULT_SENTINELS, fold
from importers.values import AUTO, NumberFormat
from procurement.yamlfile import read_yaml

SHIPPED_DIR = Path(__file__).parent / "profiles"

_TOP_KEYS = {
    "name", "kind", "title", "description", "columns", "use_builtin_synonyms", "numbers",
    "dates", "sentinels", "currency", "fixed", "extract", "compose_dates", "values", "header",
    "sheets",
}  # fmt: skip


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Extract:
    """Take a field from part of another cell: the first group of a regular expression."""

    field: str
    source: str  # a canonical field name or a header text
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ComposeDate:
    """Build a date field from separate year, month (and day) columns, named by header text."""

    field: str
    year: str
    month: str
    day: str | None = None


@dataclass(frozen=True)
class Profile:
    """A source layout and its conventions."""

    name: str
    kind: str
    title: str = ""
    description: str = ""
    path: str | None = None
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    use_builtin_synonyms: bool = True
    numbers: NumberFormat = AUTO
    date_formats: tuple[str, ...] = ()
    dayfirst: bool = True
    sentinels: frozenset[str] = DEFAULT_SENTINELS
    currency: str = "VND"
    fixed: Mapping[str, str] = field(default_factory=dict)
    extract: tuple[Extract, ...] = ()
    compose_dates: tuple[ComposeDate, ...] = ()
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    header_rows: int | None = None
    sheets: tuple[str, ...] | None = None

    @property
    def kind_spec(self) -> Kind:
        """Return the import kind this profile reads."""
        return get_kind(self.kind)

    def header_texts(self) -> dict[str, str]:
        """Map folded header texts to field names: the profile's own first, then the synonyms."""
        mapping: dict[str, str] = {}
        for name, texts in self.columns.items():
            for text in texts:
                mapping.setdefault(fold(text), name)
        if self.use_builtin_synonyms:
            for spec in self.kind_spec.fields:
                for text in spec.synonyms:
                    mapping.setdefault(fold(text), spec.name)
        mapping.pop("", None)
        return mapping


def generic_profile(kind: str) -> Profile:
    """Return the profile that knows only the built-in synonyms of a kind."""
    return Profile(name=f"{kind}-generic", kind=kind, title=f"Generic {kind} layout")


def shipped_profiles(kind: str | None = None) -> list[Profile]:
    """Load every profile shipped with the package, optionally only those of one kind."""
    profiles = [load_profile(path) for path in sorted(SHIPPED_DIR.glob("*.yaml"))]
    return [p for p in profiles if kind is None or p.kind == kind]


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a shipped profile by name, or a user's profile by path."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = SHIPPED_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml")))
        raise ProfileError(f"profile {name_or_path!s} not found (shipped profiles: {known})")
    return parse_profile(read_yaml(path, ProfileError, "profile"), source=str(path))


def parse_profile(data: Any, source: str = "<profile>") -> Profile:
    """Validate a profile's parsed YAML and build it."""
    where = _Where(source)
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a profile must be a mapping of keys to values")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        where.fail(unknown[0], f"unknown key (known keys: {', '.join(sorted(_TOP_KEYS))})")
    kind_name = where.string(data, "kind", required=True)
    if kind_name not in KINDS:
        where.fail("kind", f"unknown kind {kind_name!r} (known: {', '.join(KINDS)})")
    kind = get_kind(kind_name)
    numbers = where.mapping(data, "numbers")
    dates = where.mapping(data, "dates")
    header = where.mapping(data, "header")
    return Profile(
        name=where.string(data, "name", required=True),
        kind=kind_name,
        title=where.string(data, "title") or "",
        description=where.string(data, "description") or "",
        path=source,
        columns=_columns(where, data, kind),
        use_builtin_synonyms=where.boolean(data, "use_builtin_synonyms", default=True),
        numbers=NumberFormat(
            decimal=where.string(numbers, "decimal", prefix="numbers."),
            thousands=where.string(numbers, "thousands", prefix="numbers."),
        ),
        date_formats=tuple(where.strings(dates, "formats", prefix="dates.")),
        dayfirst=where.boolean(dates, "dayfirst", default=True, prefix="dates."),
        sentinels=DEFAULT_SENTINELS | {fold(s) for s in where.strings(data, "sentinels")},
        currency=(where.string(data, "currency") or "VND").upper(),
        fixed=_fixed(where, data, kind),
        extract=_extracts(where, data, kind),
        compose_dates=_composes(where, data, kind),
        values=_values(where, data, kind),
        header_rows=_header_rows(where, header),
        sheets=tuple(where.strings(data, "sheets")) or None,
    )


@dataclass(frozen=True)
class _Where:
    source: str

    def fail(self, key: str, why: str) -> None:
        raise ProfileError(f"{self.source}: key '{key}': {why}")

    def get(self, data: Mapping[str, Any], key: str, kinds: tuple[type, ...], prefix: str) -> Any:
        value = data.get(key)
        if value is not None and not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            self.fail(prefix + key, f"expected {names}, got {type(value).__name__}")
        return value

    def string(
        self, data: Mapping[str, Any], key: str, required: bool = False, prefix: str = ""
    ) -> str | None:
        value = self.get(data, key, (str,), prefix)
        if required and not value:
            self.fail(prefix + key, "is required")
        return value

    def boolean(self, data: Mapping[str, Any], key: str, default: bool, prefix: str = "") -> bool:
        value = self.get(data, key, (bool,), prefix)
        return default if value is None else value

    def mapping(self, data: Mapping[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
        return self.get(data, key, (dict,), prefix) or {}

    def strings(self, data: Mapping[str, Any], key: str, prefix: str = "") -> list[str]:
        value = self.get(data, key, (list, str), prefix) or []
        items = [value] if isinstance(value, str) else value
        for item in items:
            if not isinstance(item, str):
                self.fail(prefix + key, f"expected text items, got {item!r}")
        return items

    def known_field(self, kind: Kind, name: str, key: str) -> None:
        if name not in kind.by_name:
            self.fail(key, f"unknown field {name!r} for kind {kind.name}")


def _columns(where: _Where, data: Mapping[str, Any], kind: Kind) -> dict[str, tuple[str, ...]]:
    columns = where.mapping(data, "columns")
    result = {}
    for name in columns:
        where.known_field(kind, name, f"columns.{name}")
        result[name] = tuple(where.strings(columns, name, prefix="columns."))
    return result


def _fixed(where: _Where, data: Mapping[str, Any], kind: Kind) -> dict[str, str]:
    fixed = where.mapping(data, "fixed")
    for name, value in fixed.items():
        where.known_field(kind, name, f"fixed.{name}")
        if not isinstance(value, str | int | float):
            where.fail(f"fixed.{name}", "expected a text or number value")
    return {name: str(value) for name, value in fixed.items()}


def _extracts(where: _Where, data: Mapping[str, Any], kind: Kind) -> tuple[Extract, ...]:
    items = where.get(data, "extract", (list,), "") or []
    extracts = []
    for index, item in enumerate(items):
        key = f"extract[{index}]"
        if not isinstance(item, dict) or set(item) - {"field", "from", "pattern"}:
            where.fail(key, "expected a mapping with field, from and pattern")
        name = where.string(item, "field", required=True, prefix=key + ".")
        where.known_field(kind, str(name), key + ".field")
        pattern = where.string(item, "pattern", required=True, prefix=key + ".")
        try:
            compiled = re.compile(str(pattern))
        except re.error as exc:
            where.fail(key + ".pattern", f"not a valid regular expression: {exc}")
        if compiled.groups < 1:
            where.fail(key + ".pattern", "needs one group ( ... ) around the part to keep")
        source = where.string(item, "from", required=True, prefix=key + ".")
        extracts.append(Extract(str(name), str(source), compiled))
    return tuple(extracts)


def _composes(where: _Where, data: Mapping[str, Any], kind: Kind) -> tuple[ComposeDate, ...]:
    items = where.get(data, "compose_dates", (list,), "") or []
    composes = []
    for index, item in enumerate(items):
        key = f"compose_dates[{index}]"
        if not isinstance(item, dict) or set(item) - {"field", "year", "month", "day"}:
            where.fail(key, "expected a mapping with field, year, month and optional day")
        name = str(where.string(item, "field", required=True, prefix=key + "."))
        where.known_field(kind, name, key + ".field")
        year = str(where.string(item, "year", required=True, prefix=key + "."))
        month = str(where.string(item, "month", required=True, prefix=key + "."))
        composes.append(ComposeDate(name, year, month, where.string(item, "day", prefix=key)))
    return tuple(composes)


def _values(where: _Where, data: Mapping[str, Any], kind: Kind) -> dict[str, dict[str, str]]:
    values = where.mapping(data, "values")
    result = {}
    for name, table in values.items():
        where.known_field(kind, name, f"values.{name}")
        if not isinstance(table, dict):
            where.fail(f"values.{name}", "expected a mapping of source text to value")
        result[name] = {fold(str(k)): str(v) for k, v in table.items()}
    return result


def _header_rows(where: _Where, header: Mapping[str, Any]) -> int | None:
    unknown = set(header) - {"rows"}
    if unknown:
        where.fail(f"header.{sorted(unknown)[0]}", "unknown key (known: rows)")
    rows = where.get(header, "rows", (int,), "header.")
    if rows not in (None, 1, 2):
        where.fail("header.rows", "must be 1 or 2")
    return rows
