"""Write the demo's stock reports and record the stock anomalies planted in them.

Each facility sends its pharmacy's monthly "Báo cáo xuất nhập tồn thuốc" as one workbook with a
sheet per month (the facility in the letterhead, the month in the title, one row per item, a
"Tổng cộng" row and the signatures), some with Vietnamese number text ("12.500"), one listing
its vaccines per lot (Số lô, Hạn dùng). Three district centres report their EPI vaccines
through the province's logistics system instead, exported as one English CSV with year and
month columns. stock_series() in stock_plan.py decides the numbers; this module lays them out
and says where each planted series' row went.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from procurement.demo.catalog import BUYER_BY_NAME, PROVINCES, SIGNERS
from procurement.demo.layouts import strip_marks, vn_number
from procurement.demo.model import DemoFile
from procurement.demo.planting import Book, Plant, identity_of
from procurement.demo.stock_plan import (
    AS_OF,
    LATEST,
    LMIS_VACCINES,
    MAY_ALSO_FIRE,
    SCENARIOS,
    Month,
    Series,
    amc,
    months_of_stock,
    stock_series,
)

STOCK_FILE = "bao-cao-xuat-nhap-ton_{year}_{slug}.xlsx"
LMIS_FILE = "elmis_tiem-chung-mo-rong_{year}.csv"
# (header, what): "what" is a Month attribute, an item attribute or a lot column
COLUMNS: tuple[tuple[str, str], ...] = (
    ("STT", "line_no"), ("Mã thuốc", "code"), ("Tên thuốc", "name"),
    ("Hoạt chất", "ingredient"), ("Hàm lượng", "strength"), ("Dạng bào chế", "form"),
    ("Đơn vị tính", "unit"), ("Số lô", "lot"), ("Hạn dùng", "expiry"),
    ("Tồn đầu kỳ", "opening"), ("Nhập trong kỳ", "received"), ("Xuất trong kỳ", "issued"),
    ("Hư hao, điều chỉnh", "adjustment"), ("Tồn cuối kỳ", "closing"),
    ("Số ngày hết hàng", "stockout_days"),
)  # fmt: skip
LOT_COLUMNS = ("lot", "expiry")
QUANTITIES = ("opening", "received", "issued", "adjustment", "closing")
LMIS_COLUMNS = (
    "year", "month", "site_id", "site_name", "product_code", "product_name", "stock_initial",
    "stock_received", "stock_distributed", "stock_adjustment", "stock_end",
    "average_monthly_consumption", "stock_stockout_days", "stock_ordered",
)  # fmt: skip
HEADER_ROW, FIRST_ROW = 8, 10
SECTIONS = {"medicine": "I. THUỐC", "vaccine": "II. VẮC XIN TIÊM CHỦNG MỞ RỘNG"}
Where = tuple[str, str, int]  # file, sheet, row


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_marks(text).lower()).strip("-")


def site_code(facility: str) -> str:
    """Return a facility's code in the province's logistics system (e.g. TTYT-PHONGDIEN)."""
    place = strip_marks(facility.split("huyện")[-1]).upper().replace(" ", "")
    return f"TTYT-{place}"


@dataclass
class StockBuild:
    """What the stock part of the demo wrote: files, planted anomalies, controls, summary."""

    files: list[DemoFile]
    plants: list[Plant]
    controls: list[Plant]
    summary: dict[str, dict]
    series: list[Series]


def build_stock_files(out_dir: Path, seed: int) -> StockBuild:
    """Write the facilities' stock reports and the LMIS export; return them with the plants."""
    series = stock_series(seed)
    where: dict[tuple[str, str, date], Where] = {}
    files: list[DemoFile] = []
    summary: dict[str, dict] = {}
    by_facility: dict[str, list[Series]] = {}
    for one in series:
        by_facility.setdefault(one.facility.name, []).append(one)
    lmis: list[Series] = []
    for name, group in by_facility.items():
        in_book = [s for s in group if not (s.product.category == "vaccine"
                                             and s.facility.vaccines == "csv")]  # fmt: skip
        lmis += [s for s in group if s not in in_book]
        path = out_dir / STOCK_FILE.format(year=LATEST.year, slug=_slug(name))
        rows = write_stock_report(path, in_book, where)
        summary[path.name] = {"layout": "stock-report", "format": "xlsx", "facility": name,
                              "sheets": len(in_book[0].months), "rows": rows,
                              "lots": group[0].facility.lots,
                              "text_numbers": group[0].facility.text_numbers}  # fmt: skip
        files.append(DemoFile(path, "stock-reports", "stock-report", {}))
    path = out_dir / LMIS_FILE.format(year=LATEST.year)
    rows = write_lmis_csv(path, lmis, where)
    summary[path.name] = {"layout": "logistics-monthly", "format": "csv", "rows": rows,
                          "facilities": len({s.facility.name for s in lmis})}  # fmt: skip
    files.append(DemoFile(path, "stock-reports", "logistics-monthly", {}))
    plants, controls = _plants(series, where)
    return StockBuild(files, plants, controls, summary, series)


def _code_name(one: Series) -> tuple[str, str]:
    """Return the item's code and name as its report names it."""
    if one.product.category == "vaccine" and one.facility.vaccines == "csv":
        return LMIS_VACCINES[one.product.code]
    return one.product.code, one.product.name


def _plants(series: list[Series], where: dict) -> tuple[list[Plant], list[Plant]]:
    plants, controls = [], []
    for one in series:
        if not one.plant:
            continue
        rule, test, description = SCENARIOS[one.plant]
        month = one.months[6] if one.plant == "inconsistent" else one.months[-1]
        code, name = _code_name(one)
        file, sheet, row = where[(one.facility.name, code, month.period)]
        keys = {
            "facility": one.facility.name,
            "province": BUYER_BY_NAME[one.facility.name].province,
            "product_code": code,
            "product_name": name,
            "category": one.product.category,
            "period": month.period.isoformat(),
            "test": test,
            "file": file,
            "sheet": sheet,
            "row": str(row),
            "closing": str(month.stated_closing),
            "amc": f"{amc(one.months):.1f}",
            "months_of_stock": f"{months_of_stock(one):.2f}",
        }
        if one.plant == "late" or one.plant == "stockout":
            keys["stockout_days"] = str(month.stockout_days)
        if one.plant == "inconsistent":
            keys["difference"] = str(month.stated_closing - month.closing)
        if one.plant == "expiry":
            lot = min(month.lots, key=lambda x: x[1])
            keys.update(lot_number=lot[0], expiry_date=lot[1].isoformat(), lot_closing=str(lot[6]),
                        as_of=AS_OF.isoformat())  # fmt: skip
        if one.plant in MAY_ALSO_FIRE:
            keys["may_also_fire"] = MAY_ALSO_FIRE[one.plant]
        if one.plant == "recovery":
            out = [m.period.isoformat() for m in one.months if m.stockout_days]
            keys["stocked_out"] = ",".join(out)
            controls.append(Plant("STK", rule, description, keys))
        else:
            plants.append(Plant("STK", rule, f"{one.facility.name}, {name}: {description}",
                                keys))  # fmt: skip
    return plants, controls


def write_stock_report(path: Path, series: list[Series], where: dict) -> int:
    """Write a facility's monthly reports, one sheet per month; return the data rows."""
    facility = series[0].facility
    lots = facility.lots
    columns = [c for c in COLUMNS if lots or c[1] not in LOT_COLUMNS]
    wb = Workbook()
    wb.remove(wb.active)
    count = 0
    for index, month in enumerate(series[0].months):
        ws = wb.create_sheet(f"T{month.period:%m-%Y}")
        _title(ws, facility.name, month.period, len(columns))
        for col, (title, _) in enumerate(columns, start=1):
            ws.cell(row=HEADER_ROW, column=col, value=title)
            ws.cell(row=HEADER_ROW + 1, column=col, value=f"({col})")
        row, number = FIRST_ROW, 0
        totals = dict.fromkeys(QUANTITIES, 0)
        for category in ("medicine", "vaccine"):
            group = [s for s in series if s.product.category == category]
            if not group:
                continue
            ws.cell(row=row, column=1, value=SECTIONS[category])
            row += 1
            for one in group:
                m = one.months[index]
                code, _ = _code_name(one)
                where[(facility.name, code, m.period)] = (path.name, ws.title, row)
                for cells in _rows(one, m):
                    number += 1
                    _write_row(ws, row, number, one, cells, columns, facility.text_numbers)
                    for name in QUANTITIES:
                        totals[name] += cells[name]
                    row, count = row + 1, count + 1
        _footer(ws, row, facility.name, month.period, columns, totals, facility.text_numbers)
    wb.save(path)
    return count


def _rows(one: Series, month: Month) -> list[dict]:
    """Return the report rows of a series' month: one, or one per lot."""
    base = {"stockout_days": month.stockout_days}
    if one.lots and month.lots:
        return [{**base, "lot": lot, "expiry": expiry, "opening": opening, "received": got,
                 "issued": issued, "adjustment": adj, "closing": closing}
                for lot, expiry, opening, got, issued, adj, closing in month.lots]  # fmt: skip
    return [{**base, "lot": None, "expiry": None, "opening": month.opening,
             "received": month.received, "issued": month.issued,
             "adjustment": month.adjustment, "closing": month.stated_closing}]  # fmt: skip


def _title(ws: Worksheet, facility: str, period: date, width: int) -> None:
    province = BUYER_BY_NAME[facility].province
    ws.cell(row=1, column=1, value=PROVINCES[province][0])
    ws.cell(row=1, column=9, value="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ws.cell(row=2, column=1, value=facility.upper())
    ws.cell(row=2, column=9, value="Độc lập - Tự do - Hạnh phúc")
    ws.cell(row=3, column=1, value="KHOA DƯỢC")
    ws.cell(row=5, column=1, value=f"BÁO CÁO XUẤT NHẬP TỒN THUỐC THÁNG {period.month} NĂM "
            f"{period.year}")  # fmt: skip
    last = (period.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    ws.cell(row=6, column=1, value=f"(Từ ngày {period:%d/%m/%Y} đến ngày {last:%d/%m/%Y})")
    for row in (5, 6):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _value(value: object, text: bool) -> object:
    if text and isinstance(value, int):
        return vn_number(value)
    return value


def _write_row(ws: Worksheet, row: int, number: int, one: Series, cells: dict,
               columns: list, text: bool) -> None:  # fmt: skip
    code, name = _code_name(one)
    product = one.product
    values = {"line_no": number, "code": code, "name": name, "ingredient": product.ingredient,
              "strength": product.strength, "form": product.form, "unit": product.unit,
              **cells}  # fmt: skip
    if not values["stockout_days"]:
        values["stockout_days"] = None if text else 0
    for col, (_, what) in enumerate(columns, start=1):
        value = values.get(what)
        if value is None:
            continue
        cell = ws.cell(row=row, column=col, value=_value(value, text and what in QUANTITIES))
        if isinstance(value, date):
            cell.number_format = "dd/mm/yyyy"
        elif what in QUANTITIES and not text:
            cell.number_format = "#,##0"


def _footer(ws: Worksheet, row: int, facility: str, period: date, columns: list,
            totals: dict, text: bool) -> None:  # fmt: skip
    ws.cell(row=row, column=2, value="Tổng cộng")
    for col, (_, what) in enumerate(columns, start=1):
        if what in totals:
            ws.cell(row=row, column=col, value=_value(totals[what], text))
    signed = (period.replace(day=28) + timedelta(days=4)).replace(day=1) + timedelta(days=4)
    place = facility.split("huyện")[-1].strip() if "huyện" in facility else PROVINCES[
        BUYER_BY_NAME[facility].province][1]  # fmt: skip
    ws.cell(row=row + 2, column=10, value=f"{place}, ngày {signed.day:02d} tháng "
            f"{signed.month:02d} năm {signed.year}")  # fmt: skip
    for col, title in zip((2, 6, 10), SIGNERS["hospital"], strict=True):
        ws.cell(row=row + 3, column=col, value=title)


def write_lmis_csv(path: Path, series: list[Series], where: dict) -> int:
    """Write the province's logistics export of the district centres' vaccines; return the
    rows. One row per site, product and month; AMC as the system computes it (the mean of the
    last three months' issues); stock_ordered what the site requested for next month."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LMIS_COLUMNS)
        for index in range(len(series[0].months) if series else 0):
            for one in series:
                m = one.months[index]
                code, name = _code_name(one)
                count += 1
                where[(one.facility.name, code, m.period)] = (path.name, "", count + 1)
                issued = [x.issued for x in one.months[max(0, index - 2) : index + 1]]
                ordered = one.months[index + 1].received if index + 1 < len(one.months) else 0
                writer.writerow([
                    m.period.year, m.period.month, site_code(one.facility.name),
                    one.facility.name, code, name, m.opening, m.received, m.issued,
                    m.adjustment, m.stated_closing, round(sum(issued) / len(issued)),
                    m.stockout_days, ordered if one.plant not in ("reserve", "stockout") else 0,
                ])  # fmt: skip
    return count


def single_source_vaccines(book: Book) -> list[Plant]:
    """STK-07: the vaccines every award line of the last 365 days buys from one manufacturer
    (or from makers of one country), with at least three lines, as the award generator wrote
    them. Nothing is planted: the catalogue has single-brand vaccines (BCG, measles, Japanese
    encephalitis, tetanus), so this records where the rule must fire. Rows the importer
    rejects (the planted bad rows) do not count."""
    dated = [line for line in book.lines() if _importable(line)]
    end = max(line["decision_date"] for line in dated)
    start = end - timedelta(days=364)
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for line in dated:
        if line["decision_date"] >= start and line["active_ingredient"].startswith("Vắc xin"):
            groups.setdefault(identity_of(line), []).append(line)
    plants = []
    for identity, lines in sorted(groups.items()):
        makers = {line["manufacturer"] for line in lines}
        countries = {line["country"] for line in lines}
        one_maker = len(makers) == 1 and None not in makers
        one_country = len(countries) == 1 and None not in countries
        if len(lines) < 3 or not (one_maker or one_country):
            continue
        test = ("one manufacturer and one country" if one_maker and one_country
                else "one manufacturer" if one_maker else "one country")  # fmt: skip
        keys = {
            "active_ingredient": identity[0], "strength": identity[1], "dosage_form": identity[2],
            "manufacturers": ", ".join(sorted(str(m) for m in makers)),
            "countries": ", ".join(sorted(str(c) for c in countries)),
            "lines": str(len(lines)), "window_start": start.isoformat(),
            "window_end": end.isoformat(), "test": test,
        }  # fmt: skip
        plants.append(Plant("STK", "STK-07", f"{identity[0]}: all {len(lines)} award lines of "
                            f"{start:%d/%m/%Y}-{end:%d/%m/%Y} from {test}", keys))  # fmt: skip
    return plants


def _importable(line: dict) -> bool:
    """Tell whether the importer keeps the line (the planted bad rows it rejects do not)."""
    return (
        isinstance(line.get("decision_date"), date)
        and isinstance(line.get("quantity"), int) and line["quantity"] > 0
        and isinstance(line.get("unit_price"), int)
        and not line.get("_repeat_previous")
    )  # fmt: skip
