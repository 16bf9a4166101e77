"""`procurement rules`: the pack's rules listed, and their documentation pages written."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from procurement.cli import main
from rules.engine.registry import REGISTRY


def test_docs_writes_a_page_per_rule_and_an_index(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "site" / "rules"
    result = runner.invoke(main, ["rules", "--docs", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(REGISTRY)} rule pages and index.md written to {out}" in result.output
    assert {p.name for p in out.iterdir()} == {f"{code}.md" for code in REGISTRY} | {"index.md"}
    index = (out / "index.md").read_text(encoding="utf-8")
    assert all(f"[{code}]({code}.md)" in index for code in REGISTRY)
    page = (out / "PRC-01.md").read_text(encoding="utf-8")
    assert page.startswith("# PRC-01: Awarded above the planned price\n")
    assert "| `tolerance` | float | 0 | 0 |" in page


def test_docs_show_the_given_packs_values(runner: CliRunner, tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("name: strict\nrules:\n  CMP-01:\n    params: {max_bidders: 2}\n", "utf-8")
    out = tmp_path / "docs"
    result = runner.invoke(main, ["rules", "--pack", str(pack), "--docs", str(out)])
    assert result.exit_code == 0, result.output
    assert "| `max_bidders` | int | 1 | 2 |" in (out / "CMP-01.md").read_text(encoding="utf-8")
    assert "The rules of the pack `strict`" in (out / "index.md").read_text(encoding="utf-8")


def test_without_docs_the_rules_are_listed(runner: CliRunner) -> None:
    result = runner.invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    assert "Awarded above the planned price" in result.output
    assert "    tolerance = 0.0" in result.output
