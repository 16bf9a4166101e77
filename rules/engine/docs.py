"""Rule documentation pages generated from the rules' metadata, for auditors and the public.

Every page has the same sections (STYLE 12): what the rule flags, why it is a red flag, the
evidence shown, when it does not apply, its parameters and a worked example. They come from
the registry (code, titles, subject, severity, status, since), the params dataclass (types,
defaults, descriptions), the active pack (its values) and the rule's docstring, whose "Why:",
"Evidence:" and "Not applicable:" paragraphs are required: a rule without one fails the build
instead of publishing a page with a gap. Pure: the web app renders the same RuleDoc as HTML.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rules.engine import frames
from rules.engine.examples import Example, ExampleFinding, ExampleResult
from rules.engine.pack import RulePack, RuleSettings
from rules.engine.registry import REGISTRY, RuleSpec

REQUIRED = {"Why": "why", "Evidence": "evidence", "Not applicable": "not_applicable"}
OPTIONAL = {"What fires": "what_fires", "Not fired": "not_fired", "Example": "example"}
_LABEL = re.compile(rf"^({'|'.join([*REQUIRED, *OPTIONAL])}):\s*(.*)$")
TABLE_TITLES = {
    "reference_prices": "Reference prices",
    "reference_items": "Reference-list items",
    "frameworks": "Framework-agreement items",
    "stock": "Stock reports",
}
# What an unstated column of an example holds, named on the page so a reader need not guess.
_DEFAULTS_SHOWN = (
    "buyer", "supplier", "product_name", "registration_number", "identity_key", "origin",
    "procedure", "decision_date", "quantity", "unit_price", "standard_unit",
)  # fmt: skip


@dataclass(frozen=True)
class DocSections:
    """A rule docstring cut at its labels; paragraphs unwrapped, separated by a blank line."""

    summary: str
    details: str
    why: str
    evidence: str
    not_applicable: str
    what_fires: str = ""
    not_fired: str = ""
    example: str = ""


@dataclass(frozen=True)
class ParamDoc:
    """One parameter: its type, default, the pack's value (and per category), description."""

    name: str
    type: str
    default: Any
    pack_value: Any
    description: str
    by_category: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def overridden(self) -> bool:
        """Tell whether the pack sets a value other than the default."""
        return bool(self.by_category) or self.pack_value != self.default


@dataclass(frozen=True)
class RuleDoc:
    """Everything a rule's page shows, in the order it shows it."""

    code: str
    version: int
    title_en: str
    title_vi: str
    subject: str
    severity: str
    pack_severity: str
    enabled: bool
    status: str
    since: str
    sections: DocSections
    params: tuple[ParamDoc, ...]
    example: Example

    @property
    def filename(self) -> str:
        """Return the page's file name."""
        return f"{self.code}.md"

    def to_markdown(self) -> str:
        """Render the page as Markdown."""
        return "\n".join(_page(self)) + "\n"


def parse_docstring(code: str, doc: str) -> DocSections:
    """Cut a rule docstring into its sections; fail naming the rule if one is missing."""
    paragraphs: dict[str, list[list[str]]] = {"details": [[]]}
    summary: list[str] = []
    current = "summary"
    for text in inspect.cleandoc(doc).splitlines():
        label = _LABEL.match(text)
        if label:
            current = {**REQUIRED, **OPTIONAL}[label.group(1)]
            if current in paragraphs:
                raise ValueError(f"{code}: docstring repeats the section {label.group(1)!r}")
            paragraphs[current] = [[label.group(2)]]
        elif current == "summary":
            if text.strip():
                summary.append(text.strip())
            elif summary:
                current = "details"
        elif not text.strip():
            paragraphs[current].append([])
        else:
            paragraphs[current][-1].append(text.strip())
    missing = [label for label, key in REQUIRED.items() if key not in paragraphs]
    if not summary or missing:
        lacking = ", ".join(f"'{label}:'" for label in missing) or "a summary sentence"
        raise ValueError(f"{code}: the rule's docstring lacks {lacking}")
    text = {key: _sentence(_unwrap(value)) for key, value in paragraphs.items()}
    if not all(text[key] for key in REQUIRED.values()):
        raise ValueError(f"{code}: the rule's docstring has an empty section")
    return DocSections(summary=" ".join(summary), **text)


def describe_params(params_type: type, pack_settings: RuleSettings | None = None) -> list[ParamDoc]:
    """List a params dataclass's fields with type, default, the pack's value and description."""
    hints = typing.get_type_hints(params_type)
    rows = []
    for item in dataclasses.fields(params_type):
        description = item.metadata.get("doc", "")
        if not description:
            raise ValueError(f"{params_type.__name__}.{item.name}: no metadata['doc']")
        default = _default(item)
        value = getattr(pack_settings.params, item.name) if pack_settings else default
        categories = pack_settings.categories if pack_settings else {}
        by_category = {
            name: getattr(params, item.name)
            for name, params in sorted(categories.items())
            if getattr(params, item.name) != value
        }
        kind = _type_name(hints[item.name])
        rows.append(ParamDoc(item.name, kind, default, value, description, by_category))
    return rows


def rule_doc(spec: RuleSpec, settings: RuleSettings | None, example: Example) -> RuleDoc:
    """Gather a rule's page from its registry entry, the pack's settings and its example."""
    try:
        params = tuple(describe_params(spec.params, settings))
    except ValueError as exc:
        raise ValueError(f"{spec.code}: {exc}") from None
    return RuleDoc(
        code=spec.code,
        version=spec.version,
        title_en=spec.title_en,
        title_vi=spec.title_vi,
        subject=spec.subject,
        severity=spec.severity,
        pack_severity=settings.severity if settings else spec.severity,
        enabled=settings.enabled if settings else False,
        status=spec.status,
        since=spec.since,
        sections=parse_docstring(spec.code, spec.doc),
        params=params,
        example=example,
    )


def rule_docs(pack: RulePack, examples: Mapping[str, Example]) -> list[RuleDoc]:
    """Return every registered rule's page; fail if a rule has no example or an example no rule."""
    registered, documented = set(REGISTRY), set(examples)
    if registered != documented:
        raise ValueError(
            "rules and examples differ: without an example "
            f"{sorted(registered - documented) or 'none'}, without a rule "
            f"{sorted(documented - registered) or 'none'}"
        )
    return [
        rule_doc(spec, pack.rules.get(code), examples[code])
        for code, spec in sorted(REGISTRY.items())
    ]


def index_markdown(docs: Sequence[RuleDoc], pack_name: str) -> str:
    """Render the index page: one row per rule, linking its page."""
    lines = [
        "# Rules",
        "",
        f"The rules of the pack `{pack_name}`: what each flags, why, the evidence it shows, its "
        "parameters and a worked example that runs as a test.",
        "",
        *_table(
            ["code", "title", "tiêu đề", "subject", "severity", "status", "since", "in pack"],
            [
                [
                    f"[{d.code}]({d.filename})",
                    d.title_en,
                    d.title_vi,
                    _subject_name(d.subject),
                    d.pack_severity,
                    d.status,
                    d.since,
                    "yes" if d.enabled else "no",
                ]
                for d in docs
            ],
        ),
    ]
    return "\n".join(lines) + "\n"


def show(value: Any) -> str:
    """Format a value as the pages write it: YAML-like booleans and lists, dd/mm/yyyy dates.

    Whole numbers from 10,000 up get thousands separators; smaller ones, years and ids among
    them, are written as they are.
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):  # years and ids stay as written, money gets separators
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, str) and not value.strip():
        return "(blank)"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _page(doc: RuleDoc) -> list[str]:
    s = doc.sections
    severity = doc.pack_severity
    if severity != doc.severity:
        severity = f"{severity} in this pack (default {doc.severity})"
    facts = [
        ["subject", _subject_name(doc.subject)],
        ["severity", severity],
        ["status", doc.status],
        ["since", doc.since],
        ["version", str(doc.version)],
        ["in this pack", "on" if doc.enabled else "off"],
    ]
    what_fires, not_fired = (
        _labelled("What fires", s.what_fires),
        _labelled("Not fired", s.not_fired),
    )
    return [
        f"# {doc.code}: {doc.title_en}",
        "",
        f"*{doc.title_vi}*",
        "",
        *_table(["", ""], facts),
        "",
        "## What it flags",
        "",
        *_paragraphs(s.summary, s.details, what_fires, not_fired),
        "## Why it is a red flag",
        "",
        *_paragraphs(s.why),
        "## Evidence shown",
        "",
        *_paragraphs(s.evidence),
        "## Not applicable",
        "",
        *_paragraphs(s.not_applicable),
        "## Parameters",
        "",
        *_parameters(doc.params),
        "## Example",
        "",
        *_paragraphs(s.example, doc.example.summary),
        *_example(doc.example, doc.params),
    ]


def _parameters(params: Sequence[ParamDoc]) -> list[str]:
    if not params:
        return ["None.", ""]
    rows = []
    for p in params:
        value = show(p.pack_value)
        if p.by_category:
            value += "; " + ", ".join(f"{k}: {show(v)}" for k, v in p.by_category.items())
        rows.append([f"`{p.name}`", p.type, show(p.default), value, p.description])
    return [*_table(["name", "type", "default", "this pack", "description"], rows), ""]


def changed_params(example: Example, params: Sequence[ParamDoc]) -> list[tuple[str, str]]:
    """Return the parameters an example sets to other than their defaults, values written."""
    defaults = {p.name: p.default for p in params}
    return [(k, show(v)) for k, v in example.params.items() if defaults.get(k) != v]


def unstated_columns(example: Example) -> list[tuple[str, str]]:
    """Return the columns no line of an example states, with the value every line runs with."""
    if not example.lines:  # a stock or delivery example: its tables state every column shown
        return []
    stated = {name for row in example.lines for name in row}
    return [(name, show(frames.DEFAULTS[name])) for name in _DEFAULTS_SHOWN if name not in stated]


def _example(example: Example, params: Sequence[ParamDoc]) -> list[str]:
    changed = [f"`{k}` = {v}" for k, v in changed_params(example, params)]
    lines = [
        "Parameters: the defaults" + (", except " + ", ".join(changed) if changed else "") + ".",
        "",
    ]
    if example.targets:
        lines += [f"Targets: `{show(dict(example.targets))}`.", ""]
    if example.as_of is not None:
        lines += [f"Checked on {example.as_of:%d/%m/%Y}.", ""]
    if example.lines:
        lines += ["Award lines:", "", *_table(*rows_table(example.lines, numbered=True)), ""]
    unstated = [f"{name} {value}" for name, value in unstated_columns(example)]
    if unstated:
        lines += ["Every line also has: " + "; ".join(unstated) + ".", ""]
    for name, rows in example.tables.items():
        lines += [f"{TABLE_TITLES[name]}:", "", *_table(*rows_table(rows)), ""]
    return lines + _result(example.expected)


def _result(result: ExampleResult) -> list[str]:
    fired = len(result.findings)
    reasons = ", ".join(f"{reason}: {count}" for reason, count in result.not_applicable.items())
    skipped = sum(result.not_applicable.values())
    lines = [
        f"Result: {result.evaluated} evaluated ({fired} fired, {result.evaluated - fired} "
        f"passed), {skipped} not applicable" + (f" ({reasons})." if reasons else "."),
        "",
    ]
    if result.findings:
        rows = [_finding_row(f) for f in result.findings]
        lines += [*_table(["fires on", "observed", "benchmark", "evidence"], rows), ""]
    return lines


def _finding_row(finding: ExampleFinding) -> list[str]:
    subject = finding.subject
    named = f"line {subject}" if isinstance(subject, int) else f"`{subject}`"
    evidence = "; ".join(f"{k} = {show(v)}" for k, v in finding.evidence.items())
    return [named, show(finding.observed), show(finding.benchmark), evidence]


def rows_table(
    rows: Sequence[Mapping[str, Any]], *, numbered: bool = False
) -> tuple[list[str], list[list[str]]]:
    """Tabulate the stated columns as text; award lines are numbered and show what they run with."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    if numbered:
        filled = [frames.line(line_id=n, **row) for n, row in enumerate(rows, 1)]
        body = [[str(row["line_id"]), *(show(row[c]) for c in columns)] for row in filled]
        return ["line", *columns], body
    return columns, [[show(row.get(c)) for c in columns] for row in rows]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def cells(values: Sequence[str]) -> str:
        return (
            "| " + " | ".join(str(v).replace("|", "\\|").replace("\n", " ") for v in values) + " |"
        )

    return [cells(header), "|" + "|".join("---" for _ in header) + "|", *map(cells, rows)]


def _paragraphs(*texts: str) -> list[str]:
    return [line for text in texts if text for line in (text, "")]


def _labelled(label: str, text: str) -> str:
    return f"**{label}:** {text}" if text else ""


def _subject_name(subject: str) -> str:
    return subject.replace("_", " ")


def _sentence(text: str) -> str:
    """Capitalize a section cut from after its label ("Why: drugs ..." reads "Drugs ...")."""
    return text[:1].upper() + text[1:]


def _unwrap(paragraphs: list[list[str]]) -> str:
    """Join a section's wrapped lines into paragraphs separated by a blank line."""
    return "\n\n".join(" ".join(lines) for lines in paragraphs if lines)


def _default(item: dataclasses.Field[Any]) -> Any:
    if item.default is not dataclasses.MISSING:
        return item.default
    if item.default_factory is not dataclasses.MISSING:
        return item.default_factory()
    return None


def _type_name(hint: Any) -> str:
    """Name a type as a pack author writes the value: list of str, float, int or none."""
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        inner = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return f"list of {_type_name(inner[0])}" if inner else "list"
    if origin in (types.UnionType, typing.Union):
        return " or ".join(
            "none" if a is type(None) else _type_name(a) for a in typing.get_args(hint)
        )
    return getattr(hint, "__name__", str(hint))
