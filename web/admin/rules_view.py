"""View models of the rules pages: the active pack, and each rule's documentation page.

Thin on purpose: rules.engine.pack reads the pack, rules.engine.docs gathers each rule's page
(sections, parameters, the worked example) and writes its values; this module only picks the
reader's language and cuts that page into the pieces the templates lay out. `procurement` may
not import `rules`, so this lives on the web side, and checks `rules.view` as a service would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from procurement.services.permissions import Actor, authorize
from rules.engine.docs import (
    TABLE_TITLES,
    ParamDoc,
    RuleDoc,
    changed_params,
    describe_params,
    parse_docstring,
    rows_table,
    rule_doc,
    show,
    unstated_columns,
)
from rules.engine.examples import load_examples
from rules.engine.pack import RulePack, RuleSettings, load_pack

SUBJECTS = {
    "award_line": _l("award line"),
    "tender": _l("tender"),
    "buyer_year": _l("buyer and year"),
    "province_year": _l("province and year"),
    "nation_year": _l("nation and year"),
    "product": _l("product"),
    "source_file": _l("source file"),
}
FAMILIES = {
    "PRC": _l("prices"),
    "PLN": _l("planning"),
    "CMP": _l("competition"),
    "DOM": _l("domestic production"),
    "CEN": _l("centralized purchasing"),
    "DQ": _l("data quality"),
    "STK": _l("stock security"),
}
TABLES = {
    "reference_prices": _l("Reference prices"),
    "reference_items": _l("Reference-list items"),
    "frameworks": _l("Framework-agreement items"),
}
STATUSES = {"stable": _l("stable"), "preview": _l("preview"), "deprecated": _l("deprecated")}
SEVERITIES = {"high": _l("high"), "medium": _l("medium"), "low": _l("low")}
_CODE = re.compile(r"`([^`]+)`")

# A paragraph is a run of pieces: (text, True) is a name written as code, such as `window_days`.
Paragraph = tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Param:
    """A parameter: its type, default and the pack's value, each written as the pages write."""

    name: str
    type: str
    default: str
    value: str
    overridden: bool
    by_category: tuple[tuple[str, str], ...]
    description: str


@dataclass(frozen=True)
class RuleRow:
    """One rule of the pack as the rules page lists it."""

    code: str
    title: str
    family: str
    version: int
    status: str
    severity: str  # the pack's, a CSS class as well
    severity_name: str
    default_severity: str  # the rule's own, named when the pack changes it
    enabled: bool
    subject: str
    params: tuple[Param, ...]


@dataclass(frozen=True)
class PackView:
    """The active pack: its name, file, targets and every rule."""

    name: str
    path: str
    targets: tuple[tuple[str, str], ...]
    rules: tuple[RuleRow, ...]


@dataclass(frozen=True)
class Table:
    """A table of the worked example, every cell already written as text."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Finding:
    """What the worked example flags: a line or a subject key, its numbers and evidence."""

    line: int | None
    subject: str
    observed: str
    benchmark: str
    evidence: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RulePage:
    """A rule's documentation page, in the order the template shows it."""

    rule: RuleRow
    other_title: str
    since: str
    summary: tuple[Paragraph, ...]
    details: tuple[Paragraph, ...]
    what_fires: tuple[Paragraph, ...]
    not_fired: tuple[Paragraph, ...]
    why: tuple[Paragraph, ...]
    evidence: tuple[Paragraph, ...]
    not_applicable: tuple[Paragraph, ...]
    example: tuple[Paragraph, ...]
    example_params: tuple[tuple[str, str], ...]
    example_targets: tuple[tuple[str, str], ...]
    lines: Table | None  # None: a stock or delivery example has no award lines
    as_of: date | None  # the day a stock example is checked on
    unstated: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    evaluated: int
    fired: int
    skipped: int
    reasons: tuple[tuple[str, int], ...]
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> int:
        """Return how many of the evaluated subjects passed."""
        return self.evaluated - self.fired


def pack_view(actor: Actor, path: str | None, language: str) -> PackView:
    """Return the active pack (the default, or the configured file) with every rule."""
    authorize("rules.view", actor)
    return _pack_view(load_pack(path), language)


def _pack_view(pack: RulePack, language: str) -> PackView:
    rows = [
        _row(settings, describe_params(settings.spec.params, settings), language)
        for _, settings in sorted(pack.rules.items())
    ]
    return PackView(pack.name, pack.path, _flatten(pack.targets), tuple(rows))


@dataclass(frozen=True)
class RuleText:
    """A rule as the public methodology page explains it: both titles and the plain sections."""

    rule: RuleRow
    title_vi: str
    title_en: str
    summary: tuple[Paragraph, ...]
    why: tuple[Paragraph, ...]
    not_applicable: tuple[Paragraph, ...]


def public_rules(path: str | None, language: str) -> tuple[PackView, tuple[RuleText, ...]]:
    """Return the active pack and each rule it switches on, for anyone to read (no actor).

    The public methodology page shows what the rules and their parameters are, never flags:
    the pack is published as it is, so a reader can redo any figure.
    """
    pack = load_pack(path)
    view = _pack_view(pack, language)
    texts = []
    for row in view.rules:
        if not row.enabled:
            continue
        spec = pack.rules[row.code].spec
        sections = parse_docstring(spec.code, spec.doc)
        texts.append(
            RuleText(
                row,
                spec.title_vi,
                spec.title_en,
                _paragraphs(sections.summary) + _paragraphs(sections.details),
                _paragraphs(sections.why),
                _paragraphs(sections.not_applicable),
            )
        )
    return view, tuple(texts)


def rule_page(actor: Actor, path: str | None, code: str, language: str) -> RulePage | None:
    """Return one rule's documentation page, or None when the pack has no such rule."""
    authorize("rules.view", actor)
    settings = load_pack(path).rules.get(code)
    if settings is None:
        return None
    doc = rule_doc(settings.spec, settings, load_examples()[code])
    return _page(doc, _row(settings, doc.params, language), language)


def _row(
    settings: RuleSettings, params: tuple[ParamDoc, ...] | list[ParamDoc], language: str
) -> RuleRow:
    spec = settings.spec
    return RuleRow(
        code=spec.code,
        title=spec.title_vi if language == "vi" else spec.title_en,
        family=str(FAMILIES.get(spec.family, spec.family)),
        version=spec.version,
        status=str(STATUSES.get(spec.status, spec.status)),
        severity=settings.severity,
        severity_name=str(SEVERITIES.get(settings.severity, settings.severity)),
        default_severity=str(SEVERITIES.get(spec.severity, spec.severity)),
        enabled=settings.enabled,
        subject=str(SUBJECTS.get(spec.subject, spec.subject)),
        params=tuple(_param(p) for p in params),
    )


def _param(doc: ParamDoc) -> Param:
    return Param(
        doc.name,
        doc.type,
        show(doc.default),
        show(doc.pack_value),
        doc.overridden,
        tuple((category, show(value)) for category, value in doc.by_category.items()),
        doc.description,
    )


def _page(doc: RuleDoc, row: RuleRow, language: str) -> RulePage:
    s, example = doc.sections, doc.example
    result = example.expected
    lines = Table("", *_texts(rows_table(example.lines, numbered=True))) if example.lines else None
    tables = [
        Table(str(TABLES.get(name, TABLE_TITLES[name])), *_texts(rows_table(rows)))
        for name, rows in example.tables.items()
    ]
    return RulePage(
        rule=row,
        other_title=doc.title_en if language == "vi" else doc.title_vi,
        since=doc.since,
        summary=_paragraphs(s.summary),
        details=_paragraphs(s.details),
        what_fires=_paragraphs(s.what_fires),
        not_fired=_paragraphs(s.not_fired),
        why=_paragraphs(s.why),
        evidence=_paragraphs(s.evidence),
        not_applicable=_paragraphs(s.not_applicable),
        example=_paragraphs(s.example) + _paragraphs(example.summary),
        example_params=tuple(changed_params(example, doc.params)),
        example_targets=_flatten(example.targets),
        lines=lines,
        as_of=example.as_of,
        unstated=tuple(unstated_columns(example)),
        tables=tuple(tables),
        evaluated=result.evaluated,
        fired=len(result.findings),
        skipped=sum(result.not_applicable.values()),
        reasons=tuple(result.not_applicable.items()),
        findings=tuple(
            Finding(
                f.subject if isinstance(f.subject, int) else None,
                str(f.subject),
                show(f.observed),
                show(f.benchmark),
                tuple((k, show(v)) for k, v in f.evidence.items()),
            )
            for f in result.findings
        ),
    )


def _texts(
    table: tuple[list[str], list[list[str]]],
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    header, rows = table
    return tuple(header), tuple(tuple(row) for row in rows)


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Cut text at blank lines, and each paragraph at `code` spans."""
    return tuple(
        tuple((piece, odd % 2 == 1) for odd, piece in enumerate(_CODE.split(p)) if piece)
        for p in text.split("\n\n")
        if p.strip()
    )


def _flatten(mapping: Mapping[str, Any], prefix: str = "") -> tuple[tuple[str, str], ...]:
    """Write nested settings as (key path, value) pairs: domestic_share › nation › value, 0.7."""
    pairs: list[tuple[str, str]] = []
    for key, value in mapping.items():
        name = f"{prefix} › {key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            pairs.extend(_flatten(value, name))
        else:
            pairs.append((name, show(value)))
    return tuple(pairs)
