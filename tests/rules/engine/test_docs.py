"""Rule pages generated from metadata, and the worked examples they show, run as tests."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

import rules  # noqa: F401 - registers every rule
from rules.engine import frames
from rules.engine.data import load_rule_data
from rules.engine.docs import describe_params, parse_docstring, rule_docs, show
from rules.engine.examples import (
    EXAMPLES_DIR,
    differences,
    load_examples,
    parse_example,
    result_of,
    run_example,
)
from rules.engine.pack import DEFAULT_PACK, RulePack, load_pack, parse_pack
from rules.engine.registry import REGISTRY

EXAMPLES = load_examples()
SECTIONS = (
    "## What it flags",
    "## Why it is a red flag",
    "## Evidence shown",
    "## Not applicable",
    "## Parameters",
    "## Example",
)


def test_registry_pack_examples_and_pages_list_the_same_codes() -> None:
    pack_codes = set(yaml.safe_load(DEFAULT_PACK.read_text(encoding="utf-8"))["rules"])
    pages = {doc.code for doc in rule_docs(load_pack(), EXAMPLES)}
    assert set(REGISTRY) == pack_codes == set(EXAMPLES) == pages
    assert {path.stem for path in EXAMPLES_DIR.glob("*.yaml")} == set(REGISTRY)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_the_example_gives_the_documented_result(code: str) -> None:
    example = EXAMPLES[code]
    assert differences(example.expected, result_of(example, run_example(example))) == []


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_the_example_fires_and_passes_something(code: str) -> None:
    """A worked example shows both sides of the rule: a subject that fires and one that passes."""
    result = EXAMPLES[code].expected
    assert result.findings
    assert result.evaluated > len(result.findings)


def _page(pack: RulePack, code: str) -> str:
    return next(d for d in rule_docs(pack, EXAMPLES) if d.code == code).to_markdown()


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_page_has_the_sections_in_order(code: str) -> None:
    page = _page(load_pack(), code)
    positions = [page.index(heading + "\n") for heading in SECTIONS]
    assert positions == sorted(positions)
    assert page.startswith(f"# {code}: {REGISTRY[code].title_en}\n")
    stated = "| line |" if EXAMPLES[code].lines else "Checked on "
    assert stated in page and "Result: " in page


def test_a_wrong_documented_number_is_reported() -> None:
    example = EXAMPLES["PRC-01"]
    [finding] = example.expected.findings
    wrong = dataclasses.replace(
        example.expected,
        evaluated=3,
        findings=(dataclasses.replace(finding, evidence={"excess_share": 0.06}),),
    )
    assert differences(wrong, result_of(example, run_example(example))) == [
        "evaluated: documented 3, got 2",
        "line 1: evidence excess_share: documented 0.06, got 0.050000000000000044",
    ]


def test_a_finding_not_documented_is_reported() -> None:
    example = EXAMPLES["CMP-01"]
    silent = dataclasses.replace(example.expected, findings=())
    assert differences(silent, result_of(example, run_example(example))) == [
        "line 1: fired, documented not to"
    ]


DOC = """Flag a line priced above its plan.

    The plan is the package's planned unit price.

    Why: an award may not
    exceed the plan.
    What fires: any excess.
    Evidence: both prices.
    Not applicable: no planned price.
    """


def test_a_docstring_is_cut_at_its_labels_and_unwrapped() -> None:
    sections = parse_docstring("XYZ-01", DOC)
    assert sections.summary == "Flag a line priced above its plan."
    assert sections.details == "The plan is the package's planned unit price."
    assert sections.why == "An award may not exceed the plan."
    assert (sections.what_fires, sections.evidence) == ("Any excess.", "Both prices.")
    assert (sections.not_applicable, sections.not_fired) == ("No planned price.", "")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        pytest.param(DOC.replace("Evidence:", "Shown:"), "lacks 'Evidence:'", id="no-evidence"),
        pytest.param(DOC.replace("    Why:", "    Because:"), "lacks 'Why:'", id="no-why"),
        pytest.param("", "lacks 'Why:', 'Evidence:', 'Not applicable:'", id="empty"),
        pytest.param(DOC + "Why: again.\n", "repeats the section 'Why'", id="repeated"),
        pytest.param(DOC.replace("both prices.", ""), "has an empty section", id="empty-section"),
    ],
)
def test_a_docstring_without_a_section_fails_naming_the_rule(doc: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_docstring("XYZ-01", doc)
    assert str(refused.value).startswith("XYZ-01: ")
    assert message in str(refused.value)


def test_parameters_show_type_default_pack_value_and_category_values() -> None:
    pack = parse_pack(
        {
            "rules": {
                "PRC-02": {
                    "params": {"min_peers": 8},
                    "categories": {"vaccine": {"window_days": 730}},
                }
            }
        },
        "mine.yaml",
    )
    rows = {
        row.name: row for row in describe_params(REGISTRY["PRC-02"].params, pack.rules["PRC-02"])
    }
    assert (rows["min_peers"].type, rows["min_peers"].default, rows["min_peers"].pack_value) == (
        "int",
        5,
        8,
    )
    assert rows["window_days"].by_category == {"vaccine": 730}
    assert rows["iqr_k"].type == "float" and not rows["iqr_k"].overridden
    assert rows["same_group"].description.startswith("peers must also share")
    dq = describe_params(REGISTRY["DQ-01"].params)
    assert (dq[0].type, show(dq[0].default)) == (
        "list of str",
        "[buyer, supplier, unit_price, quantity, registration_number, country]",
    )


def test_a_parameter_without_a_description_is_refused() -> None:
    @dataclass(frozen=True)
    class Params:
        limit: float = field(default=1.0)

    with pytest.raises(ValueError, match=r"Params\.limit: no metadata\['doc'\]"):
        describe_params(Params)


def test_a_pack_override_shows_on_the_page() -> None:
    pack = parse_pack({"rules": {"PRC-01": {"severity": "low", "params": {"tolerance": 0.1}}}}, "p")
    assert "| severity | low in this pack (default high) |" in _page(pack, "PRC-01")
    assert "| `tolerance` | float | 0 | 0.1 |" in _page(pack, "PRC-01")
    assert "| in this pack | off |" in _page(pack, "CMP-01")  # a rule the pack leaves out


def _example(**changes: Any) -> dict[str, Any]:
    data = {
        "code": "PRC-01",
        "summary": "One line above its plan.",
        "lines": [{"planned_unit_price": 400, "unit_price": 420}],
        "expected": {"evaluated": 1, "findings": [{"line": 1, "observed": 420, "benchmark": 400}]},
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"colour": "red"}, "unknown key(s) colour", id="unknown-key"),
        pytest.param({"code": "PRC-77"}, "unknown rule 'PRC-77'", id="unknown-rule"),
        pytest.param({"lines": [{"price": 1}]}, "line 1: unknown key(s) price", id="column"),
        pytest.param({"params": {"tolerence": 0.1}}, "params.tolerence", id="param"),
        pytest.param(
            {"reference_prices": [{"prise": 1}]},
            "reference_prices: unknown column(s) prise",
            id="reference-column",
        ),
        pytest.param(
            {"lines": [{"buyer": "A"}, {"buyer": "B"}]},
            "buyer_id 1 has the names 'A', 'B'",
            id="one-id-two-names",
        ),
        pytest.param(
            {
                "expected": {
                    "evaluated": 1,
                    "findings": [{"line": "1", "observed": 1, "benchmark": 1}],
                }
            },
            "'line' is a number",
            id="line-as-text",
        ),
        pytest.param(
            {"expected": {"evaluated": 1, "findings": [{"line": 1}]}},
            "give 'observed' and 'benchmark'",
            id="no-observed",
        ),
    ],
)
def test_a_bad_example_is_refused_naming_the_file(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_example(_example(**changes), "ex.yaml")
    assert str(refused.value).startswith("ex.yaml: ")
    assert message in str(refused.value)


def test_an_example_file_must_be_named_for_its_rule(tmp_path: Path) -> None:
    (tmp_path / "PRC-02.yaml").write_text(yaml.safe_dump(_example()), encoding="utf-8")
    with pytest.raises(ValueError, match="holds the example of PRC-01, not PRC-02"):
        load_examples(tmp_path)


def test_a_rule_without_an_example_fails_the_pages() -> None:
    with pytest.raises(ValueError, match=r"without an example \['PRC-01'\]"):
        rule_docs(load_pack(), {k: v for k, v in EXAMPLES.items() if k != "PRC-01"})


def test_example_frames_have_the_columns_the_loader_gives(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        loaded = load_rule_data(session)
    built = {
        "awards": frames.awards(frames.line()),
        "reference_prices": frames.reference_prices([]),
        "reference_items": frames.reference_items([]),
        "frameworks": frames.frameworks([]),
    }
    for name, frame in built.items():
        assert set(frame.columns) == set(getattr(loaded, name).columns), name
