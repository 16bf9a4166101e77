"""A logistics dataset in a layout nothing ships for, imported through a profile a user wrote:
the facilities and products it shows stocked out in its latest month are exactly STK-01's flags.

The file is a French-language LMIS export (sites, product codes, year and month columns,
French number format), generated here with sites that miss the latest month, products with
zero stock, products with stock-out days but stock at the end, and rows of earlier months that
were stocked out and later recovered.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.cli import main
from procurement.models import Flag
from tests.importers.files import write_csv

PROFILE = """\
# Written by a user for the district LMIS export; nothing in the code knows these headers.
name: lmis-district-fr
kind: stock-reports
title: Rapport LMIS de district (mensuel)
columns:
  facility: ["Code site"]
  province: ["Région sanitaire"]
  product_code: ["Code produit"]
  product_name: ["Désignation"]
  opening: ["Stock initial"]
  received: ["Quantité reçue"]
  issued: ["Quantité distribuée"]
  adjustments: ["Ajustement (+/-)"]
  closing: ["Stock final"]
  stockout_days: ["Jours de rupture"]
  amc: ["CMM"]
compose_dates:
  - {field: period, year: "Année", month: "Mois"}
numbers:
  decimal: ","
  thousands: " "
"""
HEADER = [
    "Année", "Mois", "Région sanitaire", "Code site", "Code produit", "Désignation",
    "Stock initial", "Quantité reçue", "Quantité distribuée", "Ajustement (+/-)", "Stock final",
    "Jours de rupture", "CMM",
]  # fmt: skip
MONTHS = [(2019, 1), (2019, 2), (2019, 3), (2019, 4), (2019, 5), (2019, 6)]


def _number(value: float) -> str:
    """French formatting: a space between thousands, a decimal comma."""
    return f"{value:,.0f}".replace(",", " ")


def _dataset(seed: int) -> tuple[list[list[object]], set[tuple[str, str]]]:
    """Return the rows and the (site, product) pairs stocked out in the latest month."""
    rng = random.Random(seed)
    sites = [f"C{1000 + n}" for n in range(30)]
    products = [(f"AS{27000 + n}", f"Produit contraceptif {n}") for n in range(8)]
    rows: list[list[object]] = [HEADER]
    stocked_out: set[tuple[str, str]] = set()
    latest = MONTHS[-1]
    for site in sites:
        months = MONTHS[:-1] if rng.random() < 0.15 else MONTHS  # some miss the latest month
        for code, name in products:
            balance = rng.randint(0, 400)
            for year, month in months:
                received = rng.choice([0, 0, 50, 200])
                issued = min(balance + received, rng.randint(0, 150))
                closing = balance + received - issued
                days = rng.choice([0] * 8 + [3, 12]) if closing else rng.choice([0, 10, 30])
                if (year, month) == latest and (closing == 0 or days > 0):
                    stocked_out.add((site, code))
                rows.append([
                    year, month, "ABIDJAN 2", site, code, name, _number(balance),
                    _number(received), _number(issued), "0", _number(closing), days,
                    _number(rng.randint(20, 120)),
                ])  # fmt: skip
                balance = closing
    return rows, stocked_out


def test_stock_outs_of_the_latest_month_are_exactly_the_stk01_flags(
    tmp_path: Path, runner: CliRunner, sessions: sessionmaker[Session]
) -> None:
    rows, stocked_out = _dataset(seed=7)
    assert 10 < len(stocked_out) < 200  # the data has real stock-outs to find, not all pairs
    profile = tmp_path / "lmis-district-fr.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    path = write_csv(tmp_path / "rapport-lmis.csv", rows, delimiter=";")
    result = runner.invoke(
        main,
        ["import", str(path), "--kind", "stock-reports", "--profile", str(profile)],
    )
    assert result.exit_code == 0, result.output
    assert f"{len(rows) - 1:,} accepted, 0 rejected" in result.output
    with sessions() as session:
        flags = session.scalars(select(Flag).where(Flag.rule == "STK-01", Flag.active)).all()
    found = {(f.evidence["facility"], f.evidence["product_code"]) for f in flags}
    assert found == stocked_out
    assert {f.evidence["period"][:10] for f in flags} == {date(2019, 6, 1).isoformat()}
