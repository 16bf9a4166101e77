"""Worked examples of the rules, stored as data (rules/examples/<CODE>.yaml), run as tests.

An example states a few award lines (only the columns that matter; rules.engine.frames fills
the rest), optional reference tables, parameters and targets, and the result the rule must
give: its counts, the subjects that fire and their key numbers. The documentation shows the
example and its result; a test runs it and asserts the same result, so a page cannot drift
from the rule (Cardinal's doc tests). Examples are data, not code in the rule modules, so the
pages can be rebuilt and checked without touching a rule.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from rules.engine import frames
from rules.engine.data import RuleData
from rules.engine.pack import PackError, RuleSettings, build_params
from rules.engine.registry import REGISTRY
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
TABLES = {
    "reference_prices": frames.reference_prices,
    "reference_items": frames.reference_items,
    "frameworks": frames.frameworks,
    "stock": frames.stock,
}
_KEYS = {"code", "summary", "params", "targets", "lines", "expected", "as_of", *TABLES}
_EXPECTED_KEYS = {"evaluated", "not_applicable", "findings"}
_FINDING_KEYS = {"line", "subject", "observed", "benchmark", "evidence"}
# An id names one thing: two names under one buyer id would be one buyer to the rules.
_NAMED_IDS = (("buyer_id", "buyer"), ("supplier_id", "supplier"), ("product_id", "product_name"))


@dataclass(frozen=True)
class ExampleFinding:
    """A subject that fires: a line of the example (its number) or a subject key."""

    subject: int | str
    observed: float | None
    benchmark: float | None
    evidence: Mapping[str, Any]


@dataclass(frozen=True)
class ExampleResult:
    """What a rule gives on an example, reduced to what the example documents."""

    evaluated: int
    not_applicable: Mapping[str, int]
    findings: tuple[ExampleFinding, ...]


@dataclass(frozen=True)
class Example:
    """One rule's worked example, as stated in its YAML file."""

    code: str
    summary: str
    params: Mapping[str, Any]
    targets: Mapping[str, Any]
    lines: tuple[Mapping[str, Any], ...]
    tables: Mapping[str, tuple[Mapping[str, Any], ...]]
    expected: ExampleResult
    source: str
    as_of: date | None = None  # the day a stock example is judged on


def load_examples(directory: Path = EXAMPLES_DIR) -> dict[str, Example]:
    """Load every example file of a directory, keyed by rule code."""
    examples = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: not valid YAML: {exc}") from None
        example = parse_example(data, str(path))
        if example.code != path.stem:
            raise ValueError(f"{path}: holds the example of {example.code}, not {path.stem}")
        examples[example.code] = example
    return examples


def parse_example(data: Any, source: str) -> Example:
    """Validate an example's parsed YAML and build it; fail naming the file and key."""
    _mapping(data, source, _KEYS)
    code = data.get("code")
    if code not in REGISTRY:
        raise ValueError(f"{source}: key 'code': unknown rule {code!r}")
    if not isinstance(data.get("summary"), str) or not any(
        data.get(name) for name in ("lines", *TABLES)
    ):
        raise ValueError(f"{source}: an example needs a 'summary' and some 'lines' or table rows")
    as_of = data.get("as_of")
    if as_of is not None and not isinstance(as_of, date):
        raise ValueError(f"{source}: key 'as_of': expected a date such as 2026-11-24")
    params = data.get("params") or {}
    try:
        build_params(f"{source}: example", REGISTRY[code].params, params)
    except PackError as exc:
        raise ValueError(str(exc)) from None
    columns = set(frames.DEFAULTS)
    lines = tuple(
        _mapping(row, f"{source}: line {n}", columns)
        for n, row in enumerate(data.get("lines") or (), 1)
    )
    tables = {}
    for name, build in TABLES.items():
        rows = [_mapping(row, f"{source}: {name}", None) for row in data.get(name) or ()]
        try:
            build(rows)
        except ValueError as exc:
            raise ValueError(f"{source}: {name}: {exc}") from None
        if rows:
            tables[name] = tuple(rows)
    example = Example(
        code,
        data["summary"].strip(),
        params,
        _mapping(data.get("targets") or {}, f"{source}: targets", None),
        lines,
        tables,
        _expected(data.get("expected"), f"{source}: expected"),
        source,
        as_of,
    )
    _check_ids(example)
    return example


def example_data(example: Example) -> RuleData:
    """Return the frames of an example: its lines, numbered from 1, and its tables."""
    rows = [frames.line(line_id=number, **row) for number, row in enumerate(example.lines, 1)]
    tables = {name: TABLES[name](list(given)) for name, given in example.tables.items()}
    awards = frames.awards(*rows) if rows else frames.awards(frames.line()).iloc[:0]
    data = RuleData(awards=awards, **tables)
    if example.as_of is not None:
        data.as_of = example.as_of
    return data


def rule_context(
    code: str, params: Mapping[str, Any], targets: Mapping[str, Any] | None = None
) -> RuleContext:
    """Return the context a rule receives: its defaults with `params` set, as a pack would."""
    spec = REGISTRY[code]
    built = build_params(f"rule {code}", spec.params, params)
    return RuleContext(RuleSettings(spec, True, spec.severity, built), targets or {})


def run_example(example: Example) -> RuleOutcome:
    """Run an example through its rule."""
    context = rule_context(example.code, example.params, example.targets)
    return REGISTRY[example.code].function(example_data(example), context)


def result_of(example: Example, outcome: RuleOutcome) -> ExampleResult:
    """Reduce a rule's outcome to what the example documents, for comparison."""
    wanted = {f.subject: f.evidence for f in example.expected.findings}
    findings = []
    for finding in outcome.findings:
        subject = _subject(finding)
        keys = wanted.get(subject, {})
        evidence = {key: finding.evidence.get(key, "(absent)") for key in keys}
        findings.append(ExampleFinding(subject, finding.observed, finding.benchmark, evidence))
    reasons = {reason: count for reason, count in outcome.not_applicable.items() if count}
    return ExampleResult(outcome.evaluated, reasons, tuple(findings))


def differences(expected: ExampleResult, actual: ExampleResult) -> list[str]:
    """List how an actual result differs from the documented one (empty: the same)."""
    found = []
    if expected.evaluated != actual.evaluated:
        found.append(f"evaluated: documented {expected.evaluated}, got {actual.evaluated}")
    if dict(expected.not_applicable) != dict(actual.not_applicable):
        found.append(
            f"not applicable: documented {dict(expected.not_applicable)}, "
            f"got {dict(actual.not_applicable)}"
        )
    got = {f.subject: f for f in actual.findings}
    documented = {f.subject: f for f in expected.findings}
    for subject in documented.keys() - got.keys():
        found.append(f"{_name(subject)}: documented to fire, did not")
    for subject in got.keys() - documented.keys():
        found.append(f"{_name(subject)}: fired, documented not to")
    for subject in documented.keys() & got.keys():
        want, have = documented[subject], got[subject]
        for label, a, b in (
            ("observed", want.observed, have.observed),
            ("benchmark", want.benchmark, have.benchmark),
            *((f"evidence {k}", v, have.evidence.get(k)) for k, v in want.evidence.items()),
        ):
            if not same_value(a, b):
                found.append(f"{_name(subject)}: {label}: documented {a!r}, got {b!r}")
    return sorted(found)


def same_value(documented: Any, actual: Any) -> bool:
    """Tell whether a documented value (as YAML gives it) matches a rule's value.

    Numbers match to 1e-9 relative, since 420 / 400 - 1 is not 0.05 in binary; a YAML date
    matches a timestamp at midnight of that day; missing values (None, NaN, NaT) match None.
    """
    if documented is None:
        return actual is None or bool(_missing(actual))
    if isinstance(documented, bool) or isinstance(actual, bool):
        return documented == actual
    if isinstance(documented, numbers.Real) and isinstance(actual, numbers.Real):
        return math.isclose(documented, actual, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(documented, date) and isinstance(actual, date | pd.Timestamp):
        stamp = pd.Timestamp(actual)
        return stamp == stamp.normalize() and stamp.date() == _day(documented)
    if isinstance(documented, list | tuple) and isinstance(actual, list | tuple):
        return len(documented) == len(actual) and all(
            same_value(a, b) for a, b in zip(documented, actual, strict=True)
        )
    if isinstance(documented, Mapping) and isinstance(actual, Mapping):
        return set(documented) == set(actual) and all(
            same_value(documented[k], actual[k]) for k in documented
        )
    return bool(documented == actual)


def _subject(finding: Finding) -> int | str:
    """Name a line finding by its line (the example's number), others by their subject key."""
    return finding.line_id if finding.line_id is not None else finding.subject_key


def _name(subject: int | str) -> str:
    return f"line {subject}" if isinstance(subject, int) else subject


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or a mapping is not missing
        return False


def _mapping(data: Any, where: str, known: set[str] | None) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: must be a mapping")
    unknown = sorted(set(data) - known) if known is not None else []
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}")
    return dict(data)


def _expected(data: Any, where: str) -> ExampleResult:
    expected = _mapping(data, where, _EXPECTED_KEYS)
    if not isinstance(expected.get("evaluated"), int):
        raise ValueError(f"{where}: key 'evaluated' must be a count")
    findings = []
    for number, item in enumerate(expected.get("findings") or [], 1):
        finding = _mapping(item, f"{where}: finding {number}", _FINDING_KEYS)
        if ("line" in finding) == ("subject" in finding):
            raise ValueError(f"{where}: finding {number}: give either 'line' or 'subject'")
        subject = finding.get("line", finding.get("subject"))
        if not isinstance(subject, int if "line" in finding else str):
            raise ValueError(f"{where}: finding {number}: 'line' is a number, 'subject' a key")
        if not {"observed", "benchmark"} <= set(finding):
            raise ValueError(f"{where}: finding {number}: give 'observed' and 'benchmark'")
        findings.append(
            ExampleFinding(
                subject,
                finding["observed"],
                finding["benchmark"],
                _mapping(finding.get("evidence") or {}, f"{where}: finding {number}", None),
            )
        )
    reasons = _mapping(expected.get("not_applicable") or {}, f"{where}: not_applicable", None)
    return ExampleResult(expected["evaluated"], reasons, tuple(findings))


def _check_ids(example: Example) -> None:
    """Refuse an example whose lines give one id two names: the rules would see one party."""
    rows = [frames.line(line_id=0, **row) for row in example.lines]
    for key, name in _NAMED_IDS:
        names: dict[Any, set[Any]] = {}
        for row in rows:
            names.setdefault(row[key], set()).add(row[name])
        clash = {k: v for k, v in names.items() if len(v) > 1 and k is not None}
        if clash:
            ident, both = next(iter(clash.items()))
            named = ", ".join(sorted(map(repr, both)))
            raise ValueError(
                f"{example.source}: {key} {ident} has the names {named}: "
                f"give each {name} its own {key}"
            )
