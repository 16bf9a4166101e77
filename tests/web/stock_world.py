"""A small stock dataset with one series in every risk band, inserted as rows (no importer).

Two facilities of Nghệ An report July to October 2026, one file. The closings and
consumptions are chosen so the bands, months of stock, projected stock-out months and the
public shares can be worked out by hand (tests/web/test_stock_pages.py does):

  facility  item         issued/month      closing Jul..Oct     Oct AMC  MOS   band
  A         Paracetamol  100               300 200 100 0        100      0     stocked out
  A         Amoxicillin  0 90 120 150      400 310 190 30       120      0.25  below emergency
  A         Oresol       100 (5 days out)  500 400 300 20       106.67   0.19  stocked out
  A         BCG vaccine  200               1600 1400 1200 1000  200      5     below minimum (6)
  B         Paracetamol  100               550 450 350 250      100      2.5   projected 01/2027
  B         Amoxicillin  10                130 120 110 100      10       10    overstock (> 6)
  B         Oresol       100               700 600 500 400      100      4     OK
  B         BCG vaccine  0                 500 500 0 500        -        -     no consumption
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from procurement.models import Buyer, Flag, SourceFile, StockItem, StockReport

PERIODS = [date(2026, month, 1) for month in (7, 8, 9, 10)]
FACILITY_A = "Trạm Y tế xã Nam Anh"
FACILITY_B = "Trung tâm Y tế huyện Nam Đàn"
ITEMS = {
    "para": ("identity:paracetamol|500mg|tablet", "PARA500", "Paracetamol 500mg", "medicine"),
    "amox": ("code:amox500", "AMOX500", "Amoxicillin 500mg", "medicine"),
    "ors": ("code:ors", "ORS", "Oresol 245", "medicine"),
    "bcg": ("identity:bcg|vaccine", "VX-BCG", "Vắc xin BCG", "vaccine"),
}
SERIES: list[tuple[str, str, list[float], list[float], list[float]]] = [
    # facility, item, issued, closing, stock-out days (per period, Jul..Oct)
    ("A", "para", [100] * 4, [300, 200, 100, 0], [0] * 4),
    ("A", "amox", [0, 90, 120, 150], [400, 310, 190, 30], [0] * 4),
    ("A", "ors", [100] * 4, [500, 400, 300, 20], [0, 0, 0, 5]),
    ("A", "bcg", [200] * 4, [1600, 1400, 1200, 1000], [0] * 4),
    ("B", "para", [100] * 4, [550, 450, 350, 250], [0] * 4),
    ("B", "amox", [10] * 4, [130, 120, 110, 100], [0] * 4),
    ("B", "ors", [100] * 4, [700, 600, 500, 400], [0] * 4),
    ("B", "bcg", [0] * 4, [500, 500, 0, 500], [0] * 4),
]
FLAG_MESSAGE = "Paracetamol 500mg is stocked out at Trạm Y tế xã Nam Anh"


def build(sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Insert the facilities, items, reports and three STK flags; return their ids."""
    with sessions() as session, session.begin():
        source = SourceFile(
            sha256="5" * 64, name="bao-cao-ton-kho-2026.xlsx", kind="stock-reports",
            file_format="xlsx", size_bytes=1000, uploaded_by="officer",
        )  # fmt: skip
        facilities = {
            "A": Buyer(name=FACILITY_A, name_key="tram y te xa nam anh", province="Nghệ An",
                       province_code="nghe-an", level="commune"),
            "B": Buyer(name=FACILITY_B, name_key="trung tam y te huyen nam dan",
                       province="Nghệ An", province_code="nghe-an", level="district"),
        }  # fmt: skip
        items = {
            name: StockItem(item_key=key, product_code=code, product_name=label, category=kind,
                            unit="viên" if kind == "medicine" else "liều",
                            identity_key=key.split(":", 1)[1] if key.startswith("identity:")
                            else None)
            for name, (key, code, label, kind) in ITEMS.items()
        }  # fmt: skip
        session.add_all([source, *facilities.values(), *items.values()])
        session.flush()
        row = 1
        for facility, item, issued, closing, days in SERIES:
            for n, period in enumerate(PERIODS):
                row += 1
                session.add(
                    StockReport(
                        source_file_id=source.id, source_sheet="Tồn kho", source_row=row,
                        buyer_id=facilities[facility].id, stock_item_id=items[item].id,
                        period=period, months=1, opening=closing[n] + issued[n],
                        received=0, issued=issued[n], losses=0, adjustments=0,
                        closing=closing[n], stockout_days=days[n],
                    )
                )  # fmt: skip
        a, para = facilities["A"].id, items["para"].item_key
        flags = {
            # matched by the evidence's item_key
            "stockout": _flag(session, "STK-01", "open", a, f"{a}:{para}", para),
            # matched by the subject key alone (a lot of the series)
            "balance": _flag(session, "STK-08", "open", a, f"{a}:{para}:lot-7", None),
            # closed: the stock recovered once, the table does not list it
            "closed": _flag(session, "STK-03", "closed", a, f"{a}:{para}:old", para),
        }
        return {
            "source": source.id,
            "A": a,
            "B": facilities["B"].id,
            **{f"flag_{k}": v for k, v in flags.items()},
        }


def _flag(
    session: Session, rule: str, status: str, buyer_id: int, subject: str, item_key: str | None
) -> int:
    evidence = {"facility": FACILITY_A, "product_code": "PARA500",
                "product_name": "Paracetamol 500mg", "period": "2026-10-01"}  # fmt: skip
    if item_key is not None:
        evidence["item_key"] = item_key
    flag = Flag(
        fingerprint=f"stock-{rule}-{subject}", rule=rule, rule_version=1, family="STK",
        severity="high", status=status, subject_type="stock_item", subject_key=subject,
        buyer_id=buyer_id, year=2026, observed=0.0, evidence=evidence,
        message_en=FLAG_MESSAGE, message_vi="Paracetamol 500mg đã hết tại Trạm Y tế xã Nam Anh",
    )  # fmt: skip
    session.add(flag)
    session.flush()
    return flag.id
