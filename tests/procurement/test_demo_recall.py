"""`procurement demo` runs the rule pack: per rule, how many planted anomalies it flags (recall),
and for CEN-01 also that it flags nothing else (precision), not even the controls: hospital orders
under a framework agreement that look like the planted purchases outside one."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.buyers import clean_province
from procurement.cli import main
from procurement.models import AwardLine, Buyer, Flag, SourceFile
from procurement.textkey import fold_key

LINES = 4000  # the smallest demo in which every rule gets its plants (test_demo_generator)
# Recall per rule where it is not 1 (none today: every planted anomaly is found).
RECALL: dict[str, float] = {}
Located = tuple[str, str, int]  # file, sheet, row


def test_demo_flags_what_it_planted(
    runner: CliRunner, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """One demo build and import (the slow part) for both checks."""
    out = tmp_path / "demo"
    result = runner.invoke(main, ["demo", "--lines", str(LINES), "--out", str(out), "--keep"])
    assert result.exit_code == 0, result.output
    assert "CEN-01 4," in result.output
    record = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))
    with sessions() as session:
        flags = _flags(session)
    _check_recall(record, flags)
    _check_cen01(record, flags)


def _flags(session: Session) -> list[dict]:
    """Return each open flag with the file, sheet and row of its line, or its buyer or province."""
    buyers = {b.id: b for b in session.scalars(select(Buyer))}
    rows = session.execute(
        select(
            Flag.rule,
            Flag.test,
            Flag.subject_key,
            Flag.year,
            SourceFile.name,
            AwardLine.source_sheet,
            AwardLine.source_row,
        )
        .outerjoin(AwardLine, Flag.line_id == AwardLine.id)
        .outerjoin(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .where(Flag.active.is_(True))
    ).all()
    flags = []
    for rule, test, subject, year, name, sheet, row in rows:
        kind, _, rest = subject.partition(":")
        flag = {"rule": rule, "test": test, "year": year, "kind": kind}
        if name:  # a CSV has no sheet: the importer names it after the file
            flag["at"] = (name, "" if name.endswith(".csv") else sheet or "", row)
        elif kind == "buyer_year":
            flag["buyer"] = fold_key(buyers[int(rest.split(":")[0])].name)
        elif kind == "province_year":
            flag["province"] = rest.split(":")[0]
        flags.append(flag)
    return flags


def _at(keys: dict) -> Located:
    return keys["file"], keys["sheet"], int(keys["row"])


def _hit(anomaly: dict, flag: dict) -> bool:
    """Tell whether a flag is about the planted anomaly's line, buyer-year or province-year."""
    keys = anomaly["keys"]
    if flag["rule"] != anomaly["rule"]:
        return False
    if "row" in keys:
        return flag.get("at") == _at(keys)
    if str(flag["year"]) != keys["year"]:
        return False
    if keys.get("scope") == "province":
        return flag.get("province") == clean_province(keys["province"])[1]
    return flag.get("buyer") == fold_key(keys["buyer"])


def _check_recall(record: dict, flags: list[dict]) -> None:
    """Every rule flags its planted anomalies (RECALL names the known misses)."""
    planted: dict[str, list[dict]] = defaultdict(list)
    for anomaly in record["anomalies"]:
        if anomaly["family"] != "IMPORT":  # rejected rows: test_demo_import
            planted[anomaly["rule"]].append(anomaly)
    recall = {
        rule: sum(any(_hit(a, f) for f in flags) for a in found) / len(found)
        for rule, found in planted.items()
    }
    expected = {rule: RECALL.get(rule, 1.0) for rule in planted}
    assert {rule: round(r, 3) for rule, r in recall.items()} == {
        rule: round(r, 3) for rule, r in expected.items()
    }


def _check_cen01(record: dict, flags: list[dict]) -> None:
    """CEN-01 flags the planted purchases with their test and nothing else (precision)."""
    planted = [a for a in record["anomalies"] if a["rule"] == "CEN-01"]
    controls = record["controls"]
    assert [a["keys"]["test"] for a in planted].count("another supplier") == 3
    assert [a["keys"]["test"] for a in planted].count("above the agreement price") == 1
    assert len(controls) == 3
    cen = {f["at"]: f["test"] for f in flags if f["rule"] == "CEN-01"}
    tests = {
        "another supplier": "another supplier while an agreement is valid",
        "above the agreement price": "agreement supplier above the agreement price",
    }
    assert cen == {_at(a["keys"]): tests[a["keys"]["test"]] for a in planted}  # recall, precision
    quiet = {_at(c["keys"]) for c in controls}
    assert not [f for f in flags if f.get("at") in quiet]  # no rule fires on an order under one
