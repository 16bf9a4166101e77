"""`procurement demo` runs the rule pack: per rule, how many planted anomalies it flags (recall),
and for CEN-01 also that it flags nothing else (precision), not even the controls: hospital orders
under a framework agreement that look like the planted purchases outside one. For STK-01 the
flags are exactly the facility and item pairs the generated stock files show stocked out in
their latest month, read back from the files (not from the generator)."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.buyers import clean_province
from procurement.cli import main
from procurement.models import AwardLine, Buyer, Flag, SourceFile
from procurement.normalize import item_identity
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
    _check_stk01(out, record, flags)


def _flags(session: Session) -> list[dict]:
    """Return each open flag with the file, sheet and row of its line, or its buyer or province."""
    buyers = {b.id: b for b in session.scalars(select(Buyer))}
    rows = session.execute(
        select(
            Flag.rule,
            Flag.test,
            Flag.subject_key,
            Flag.year,
            Flag.evidence,
            SourceFile.name,
            AwardLine.source_sheet,
            AwardLine.source_row,
        )
        .outerjoin(AwardLine, Flag.line_id == AwardLine.id)
        .outerjoin(SourceFile, AwardLine.source_file_id == SourceFile.id)
        .where(Flag.active.is_(True))
    ).all()
    flags = []
    for rule, test, subject, year, evidence, name, sheet, row in rows:
        kind, _, rest = subject.partition(":")
        flag = {"rule": rule, "test": test, "year": year, "kind": kind}
        if rule.startswith("STK-"):  # a facility's item in a period, an agreement, an identity
            flag.update(subject=subject, evidence=evidence)
        elif name:  # a CSV has no sheet: the importer names it after the file
            flag["at"] = (name, "" if name.endswith(".csv") else sheet or "", row)
        elif kind == "buyer_year":
            flag["buyer"] = fold_key(buyers[int(rest.split(":")[0])].name)
        elif kind == "province_year":
            flag["province"] = rest.split(":")[0]
        flags.append(flag)
    return flags


def _at(keys: dict) -> Located:
    return keys["file"], keys["sheet"], int(keys["row"])


def _stock_hit(rule: str, keys: dict, flag: dict) -> bool:
    """Tell whether a stock flag is about the planted series (facility, item code, period),
    framework allocation (agreement, facility, product) or identity (STK-07)."""
    evidence = flag["evidence"]
    if rule == "STK-07":
        identity = item_identity(keys["active_ingredient"], keys["strength"], keys["dosage_form"])
        return flag["subject"] == identity["identity_key"] and flag["test"] == keys["test"]
    same_facility = fold_key(evidence["facility"] or "") == fold_key(keys["facility"])
    if rule == "STK-06":
        return (
            same_facility
            and evidence["agreement_number"] == keys["agreement_number"]
            and evidence["product_name"] == keys["product_name"]
        )
    return (
        same_facility
        and evidence["product_code"] == keys["product_code"]
        and str(evidence["period"])[:10] == keys["period"]
        and (rule != "STK-05" or flag["test"] == keys["test"])  # overstock | expiry
    )


def _hit(anomaly: dict, flag: dict) -> bool:
    """Tell whether a flag is about the planted anomaly's line, buyer-year or province-year."""
    keys = anomaly["keys"]
    if flag["rule"] != anomaly["rule"]:
        return False
    if anomaly["family"] == "STK":
        return _stock_hit(anomaly["rule"], keys, flag)
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
    controls = [c for c in record["controls"] if c["rule"] == "CEN-01"]
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


def _number(value: object) -> float:
    """Read a stock quantity cell: a number, Vietnamese text ("12.500"), or blank (0)."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).replace(".", "").replace(",", "."))


def _stocked_out_in_files(out: Path) -> set[tuple[str, str]]:
    """Return (facility, item code) of every series the stock files show stocked out in the
    latest month: its rows (lots) add up to a closing balance of 0 or less, or state
    stock-out days (the smallest stated, as the rows of one series are one balance)."""
    latest: dict[tuple[str, str], tuple[int, list[tuple[float, float | None]]]] = {}

    def keep(facility: str, code: str, month: int, closing: float, days: float | None) -> None:
        key = (fold_key(facility), code)
        seen = latest.get(key)
        if seen is None or month > seen[0]:
            latest[key] = (month, [])
        if latest[key][0] == month:
            latest[key][1].append((closing, days))

    for path in sorted(out.glob("bao-cao-xuat-nhap-ton_*.xlsx")):
        book = load_workbook(path, read_only=True)
        sheets = [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book]
        book.close()
        for rows in sheets:
            facility = rows[1][0]
            found = re.search(r"THÁNG (\d+) NĂM (\d{4})", rows[4][0])
            assert found, rows[4][0]
            month = int(found[2]) * 12 + int(found[1])
            header = next(r for r in rows if r[0] == "STT")
            column = {title: i for i, title in enumerate(header) if title}
            for row in rows:
                if isinstance(row[0], int) and row[column["Mã thuốc"]]:
                    days = row[column["Số ngày hết hàng"]]
                    keep(facility, row[column["Mã thuốc"]], month,
                         _number(row[column["Tồn cuối kỳ"]]),
                         None if days in (None, "") else _number(days))  # fmt: skip
    for path in sorted(out.glob("elmis_*.csv")):  # the logistics export
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                days = row["stock_stockout_days"]
                keep(row["site_name"], row["product_code"],
                     int(row["year"]) * 12 + int(row["month"]), float(row["stock_end"]),
                     float(days) if days else None)  # fmt: skip
    last = max(month for month, _ in latest.values())
    out_of_stock = set()
    for key, (month, rows) in latest.items():
        stated = [days for _, days in rows if days is not None]
        if month == last and (sum(c for c, _ in rows) <= 0 or (stated and min(stated) > 0)):
            out_of_stock.add(key)
    return out_of_stock


def _check_stk01(out: Path, record: dict, flags: list[dict]) -> None:
    """STK-01's flags are exactly the series stocked out in the files' latest month (recall
    and precision), and none is about a series stocked out earlier and restocked since."""
    expected = _stocked_out_in_files(out)
    flagged = {
        (fold_key(f["evidence"]["facility"]), f["evidence"]["product_code"])
        for f in flags if f["rule"] == "STK-01"
    }  # fmt: skip
    planted = {
        (fold_key(a["keys"]["facility"]), a["keys"]["product_code"])
        for a in record["anomalies"] if a["rule"] == "STK-01"
    }  # fmt: skip
    recovered = {
        (fold_key(c["keys"]["facility"]), c["keys"]["product_code"])
        for c in record["controls"] if c["rule"] == "STK-01"
    }  # fmt: skip
    assert len(planted) == 4 and len(recovered) == 2
    assert planted <= expected
    assert flagged == expected
    assert not flagged & recovered
