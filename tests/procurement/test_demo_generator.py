"""The demo generator: deterministic, large enough, realistic, and every planted anomaly present.

The demo files are read back with openpyxl, xlrd and csv (not with the importer under test
elsewhere), so these tests check what is really written in the published layouts.
"""

from __future__ import annotations

import csv
import inspect
import itertools
import json
import re
import statistics
import time
import unicodedata
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlrd
from openpyxl import load_workbook

from procurement.demo import (
    LINE_KEYS,
    award_lines,
    build_demo_files,
    write_hospital_list,
    write_portal_export,
    write_social_security_csv,
)
from procurement.demo.catalog import BUYER_BY_NAME, BUYERS, COUNTRIES, PROVINCES, VIETNAM
from procurement.demo.exports import CSV_COLUMNS, PORTAL_COLUMNS
from procurement.demo.frameworks import CENTRE
from procurement.demo.frameworks import COLUMNS as AGREEMENT_COLUMNS
from procurement.demo.layouts import FIELDS, STANDARD, ListStyle, strip_marks
from procurement.demo.products import (
    BIOLOGICALS,
    DOMESTIC_ONLY,
    HERBAL_MARK,
    IDENTITIES,
    PRODUCT_BY_REGISTRATION,
    PRODUCTS,
)

SMALL = 4000  # the smallest size at which every rule gets its three plants
HOSPITAL_FIELDS = {i + 1: name for i, name in enumerate(FIELDS) if name}
UPPER_BUYERS = {b.name.upper(): b.name for b in BUYERS}
DECISION = re.compile(r"Quyết định số (\S+) ngày (\d\d)/(\d\d)/(\d{4})")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, list]:
    out = tmp_path_factory.mktemp("demo")
    files, anomalies = build_demo_files(out, seed=7, lines=SMALL)
    return out, files, anomalies


@pytest.fixture(scope="module")
def rows(demo: tuple[Path, list, list]) -> dict[tuple[str, str, int], dict]:
    return read_awards(demo[0])


def number(value: Any) -> float | None:
    """Parse a cell as the importer would: 1234, "1.234.567", "12.000 đ"."""
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"-?[\d.]+(,\d+)?( đ)?", value.strip()):
        return float(value.strip().removesuffix(" đ").replace(".", "").replace(",", "."))
    return None


def std(row: dict, key: str = "unit_price") -> float:
    """Return a price per base unit (box prices are for 100 tablets)."""
    value = number(row[key])
    assert value is not None
    return value / 100 if row.get("unit") == "Hộp" else value


def _hospital_sheet(name: str, sheet: str, cells: list[list[Any]], out: dict) -> None:
    buyer = UPPER_BUYERS[cells[1][0]]
    found = DECISION.search(cells[4][0])
    assert found, cells[4][0]
    day = date(int(found[4]), int(found[3]), int(found[2]))
    for index, row in enumerate(cells[10:], start=11):
        if not isinstance(row[0], int | float) or isinstance(row[0], bool):
            continue
        line = {HOSPITAL_FIELDS[col]: row[col - 1] for col in HOSPITAL_FIELDS}
        line.update(
            buyer_name=buyer,
            decision_number=found[1],
            decision_date=day,
            stt=row[0],
            province=BUYER_BY_NAME[buyer].province,
        )
        out[(name, sheet, index)] = line


def pad(row: tuple) -> list:
    """Return a row as a list of 30 cells (read-only sheets drop trailing empty cells)."""
    return [*row, *[None] * (30 - len(row))]


def read_awards(folder: Path) -> dict[tuple[str, str, int], dict]:
    """Read every award file back into dicts keyed by (file, sheet, Excel row)."""
    out: dict[tuple[str, str, int], dict] = {}
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith("kqlcnt_") and path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            for ws in wb.worksheets:
                cells = [pad(r) for r in ws.iter_rows(values_only=True)]
                _hospital_sheet(name, ws.title, cells, out)
        elif name.startswith("kqlcnt_") and path.suffix == ".xls":
            book = xlrd.open_workbook(str(path))
            for sh in book.sheets():
                cells = [[_xls(v) for v in sh.row_values(r)] for r in range(sh.nrows)]
                _hospital_sheet(name, sh.name, cells, out)
        elif name.startswith("cong-dau-thau"):
            wb = load_workbook(path, read_only=True)
            names = {title: i for i, (title, _) in enumerate(PORTAL_COLUMNS)}
            for ws in wb.worksheets:
                for index, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                    row = pad(cells)
                    line = {key: row[names[t]] for t, key in PORTAL_COLUMNS if key}
                    if isinstance(line["decision_date"], datetime):
                        line["decision_date"] = line["decision_date"].date()
                    elif re.fullmatch(r"\d\d/\d\d/\d{4}", str(line["decision_date"])):
                        d, m, y = map(int, str(line["decision_date"]).split("/"))
                        line["decision_date"] = date(y, m, d) if (m, d) != (2, 31) else None
                    out[(name, ws.title, index)] = line
        elif path.suffix == ".csv" and not name.startswith("elmis_"):  # not the stock export
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for index, row in enumerate(csv.DictReader(handle), start=2):
                    line = {key: row[col] or None for col, key in CSV_COLUMNS if key}
                    number_, _, when = row["quyetdinh"].partition(" ngày ")
                    d, m, y = map(int, when.split("/"))
                    line.update(decision_number=number_, decision_date=date(y, m, d))
                    out[(name, "", index)] = line
    return out


def _xls(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if value != "" else None


def ident(line: dict) -> tuple[str, str]:
    """Return (ingredient, strength) with the spacing of the strength folded."""
    return (line["active_ingredient"], str(line["strength"]).replace(" ", ""))


def valid(line: dict) -> bool:
    """Tell whether a read-back line is one the importer accepts (numbers and a date)."""
    q, p = number(line.get("quantity")), number(line.get("unit_price"))
    return q is not None and q > 0 and p is not None and isinstance(line["decision_date"], date)


def domestic(line: dict) -> bool:
    """Decide origin as DOMAIN.md says: 12-digit prefix, VD/GC/VN prefixes, then country."""
    reg = line.get("registration_number") or ""
    if re.fullmatch(r"\d{12}", reg):
        return reg.startswith("893")
    if reg.startswith(("VD-", "GC-")):
        return True
    if reg.startswith(("VN-", "VN2-", "VN3-")):
        return False
    if reg:
        return next(p.domestic for p in PRODUCTS if p.registration == reg)
    country = unicodedata.normalize("NFC", line.get("country") or "")
    return country in ("Việt Nam", "Viet Nam", "VN")


def test_award_lines_are_fast_complete_and_deterministic() -> None:
    start = time.perf_counter()
    lines = list(award_lines(11, 1000))
    assert time.perf_counter() - start < 5
    assert len(lines) == 1000
    assert all(tuple(line) == LINE_KEYS for line in lines)
    assert lines == list(award_lines(11, 1000))
    assert lines != list(award_lines(12, 1000))
    assert [line["decision_date"] for line in lines] == sorted(x["decision_date"] for x in lines)
    assert all(x["amount"] == x["quantity"] * x["unit_price"] for x in lines)
    assert len(list(award_lines(11, 1))) == 1


def test_default_size_and_coverage() -> None:
    default = inspect.signature(build_demo_files).parameters["lines"].default
    assert default >= 20_000
    lines = list(award_lines(20251, default))
    assert len(lines) == default
    assert len({x["buyer_name"] for x in lines}) >= 24
    assert len({x["province"] for x in lines}) >= 8
    assert {x["buyer_level"] for x in lines} == {"central", "provincial", "district"}
    identities = {(x["active_ingredient"], x["strength"], x["dosage_form"]) for x in lines}
    assert len(identities) >= 60
    vaccines = {x["active_ingredient"] for x in lines if x["active_ingredient"].startswith("Vắc")}
    assert len(vaccines) >= 8
    assert {x["decision_date"].year for x in lines} == {2024, 2025}
    regs = {x["registration_number"] for x in lines}
    for pattern in (r"VD-\d{5}-\d\d", r"VN[23]?-\d+-\d\d", r"GC-\d+-\d\d", r"QLVX-\d+-\d\d",
                    r"QLSP-\d+-\d\d", r"\d{12}"):  # fmt: skip
        assert any(re.fullmatch(pattern, r) for r in regs), pattern
    assert {x["country"] == VIETNAM for x in lines} == {True, False}
    assert any(x["unit"] == "Hộp" for x in lines)
    procedures = {x["procedure"] for x in lines}
    assert {"DTRR", "DTHC", "Mua sắm tập trung", "Đàm phán giá"} <= procedures
    assert procedures & {"CDT", "MSTT", "CDTRG"}
    centre = "Trung tâm Mua sắm tập trung thuốc Quốc gia"
    restricted = {(a, s) for a, s, _ in DOMESTIC_ONLY}
    for x in lines:  # the lists only meet planted anomalies
        product = PRODUCT_BY_REGISTRATION[x["registration_number"]]
        assert (product.identity.role == "cen") == (x["buyer_name"] == centre) or (
            product.identity.role == "neg"
        )
        assert product.domestic or (x["active_ingredient"], x["strength"]) not in restricted
        assert not product.planted
    per_buyer = defaultdict(set)
    for line in lines:
        per_buyer[line["buyer_name"]].add(line["decision_number"])
    assert all(2 <= len(numbers) <= 6 for numbers in per_buyer.values())


def test_catalog_is_consistent() -> None:
    assert len(BUYERS) >= 24 and len(PROVINCES) >= 8
    assert len({p.registration for p in PRODUCTS}) == len(PRODUCTS)
    for product in PRODUCTS:
        reg = product.registration
        if re.fullmatch(r"\d{12}", reg):
            ingredient = product.identity.ingredient
            biological = product.identity.role == "vx" or ingredient.startswith(BIOLOGICALS)
            herbal = ingredient.startswith(HERBAL_MARK)
            assert reg[:3] == COUNTRIES[product.country][0]
            assert reg[3] == ("4" if biological else "2" if herbal else "1")
        elif reg.startswith(("VD-", "GC-")):
            assert product.domestic
        elif reg.startswith("VN"):
            assert not product.domestic
    for identity in IDENTITIES:  # where both origins compete, imports are the cheaper ones
        natural = [p for p in identity.products if not p.planted]
        if len({p.domestic for p in natural}) == 2:
            assert max(p.factor for p in natural if not p.domestic) <= 0.82
            assert min(p.factor for p in natural if p.domestic) >= 1.0


def test_files_split_lines_once_over_the_layouts(demo: tuple, rows: dict) -> None:
    out, files, _ = demo
    record = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))
    kinds = {f.kind for f in files}
    assert kinds == {
        "awards", "reference-prices", "reference-list", "framework-agreements", "stock-reports"
    }  # fmt: skip
    lists = {f.set_fields["list_type"] for f in files if f.kind == "reference-list"}
    assert lists == {"domestic-only", "centralized"}
    assert all(f.path.exists() for f in files)
    by_layout = defaultdict(int)
    for entry in record["files"]:
        by_layout[entry.get("layout")] += entry.get("rows", 0)
    duplicates = sum(1 for a in record["anomalies"] if "duplicate" in a["description"])
    assert by_layout["hospital-list"] + by_layout["portal"] + by_layout["social-security"] == (
        SMALL + duplicates
    )
    assert len(rows) == SMALL + duplicates
    assert 0.6 < by_layout["hospital-list"] / SMALL < 0.8
    assert 0.12 < by_layout["portal"] / SMALL < 0.28
    assert 0.05 < by_layout["social-security"] / SMALL < 0.15
    assert record["notes"][0]["family"] == "STK"


def test_hospital_list_layout(demo: tuple) -> None:
    out = demo[0]
    record = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))
    name = next(f["name"] for f in record["files"] if f.get("layout") == "hospital-list"
                and f["format"] == "xlsx" and f["headers"] == "standard"
                and f["numbers"] == "number")  # fmt: skip
    wb = load_workbook(out / name)
    ws = wb.worksheets[0]
    assert ws["A1"].value in ("BỘ Y TẾ", "UBND TỈNH THANH HÓA") or ws["A1"].value.startswith(
        "SỞ Y TẾ"
    )
    assert ws["J1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["J2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert ws["A2"].value in UPPER_BUYERS
    assert ws["A4"].value == "DANH MỤC THUỐC TRÚNG THẦU"
    assert DECISION.search(ws["A5"].value)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:R4", "A5:R5", "A8:A9", "B8:B9", "M8:M9", "N8:O8", "P8:P9", "Q8:Q9"} <= merged
    assert ws["N8"].value == "Giá (VND)"
    assert (ws["N9"].value, ws["O9"].value) == ("Giá kế hoạch", "Đơn giá trúng thầu")
    assert [c.value for c in ws[10]] == [f"({i})" for i in range(1, 19)]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert re.match(r"(I|II|III)\. |Gói thầu số", values[10][0] or values[10][1])
    total_row = next(i for i, r in enumerate(values) if r[1] == "Tổng cộng")
    amounts = [r[15] for r in values[10:total_row] if isinstance(r[0], int)]
    assert values[total_row][15] == sum(amounts)
    below = [v for r in values[total_row:] for v in r if v]
    assert "NGƯỜI LẬP BIỂU" in below and any(v in ("GIÁM ĐỐC", "VIỆN TRƯỞNG") for v in below)
    assert any(re.search(r", ngày \d\d tháng \d\d năm 20\d\d", str(v)) for v in below)
    assert len(below) >= 8  # total, date line, three titles, three names


def test_layout_variants_are_present(demo: tuple) -> None:
    out = demo[0]
    record = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in record["files"]]
    headers = {f.get("headers") for f in record["files"] if f.get("layout") == "hospital-list"}
    assert {"standard", "variant", "ascii", "nfd"} <= headers
    assert any(n.endswith(".xls") for n in names)
    hygiene = {h["what"] for h in record["hygiene"]}
    assert "numbers written as text (1.234.567)" in hygiene
    assert "unit price as text with the currency sign" in hygiene
    ascii_file = next(f["name"] for f in record["files"] if f.get("headers") == "ascii")
    if ascii_file.endswith(".xlsx"):
        ws = load_workbook(out / ascii_file).worksheets[0]
        assert ws["C8"].value == "Ten hoat chat" and ws["O9"].value == "Don gia trung thau"
    portal = load_workbook(out / "cong-dau-thau-quoc-gia_kqlcnt_2024-2025.xlsx")
    assert [ws.title for ws in portal.worksheets] == ["Năm 2024", "Năm 2025"]
    header = [c.value for c in portal.worksheets[0][1]]
    assert header == [title for title, _ in PORTAL_COLUMNS]
    kinds = {
        type(r[7]) for ws in portal.worksheets for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert {datetime, str} <= kinds
    raw = (out / "bhxh_cong-khai-gia-thuoc-trung-thau.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbften,hoatchat,hamluong,")
    assert unicodedata.normalize("NFD", VIETNAM).encode() in raw
    assert re.search(r",\d+/QĐ-[^,]+ ngày \d\d/\d\d/20\d\d,", raw.decode("utf-8-sig"))


def _cell(out: Path, keys: dict, column: str) -> Any:
    path = out / keys["file"]
    row = int(keys["row"])
    if path.suffix == ".xls":
        sheet = xlrd.open_workbook(str(path)).sheet_by_name(keys["sheet"])
        return _xls(sheet.cell_value(row - 1, STANDARD.index(column)))
    ws = load_workbook(path)[keys["sheet"]]
    headers = [c.value for c in ws[1]] if keys["file"].startswith("cong-") else None
    if headers:
        return ws.cell(row=row, column=headers.index(column) + 1).value
    return ws.cell(row=row, column=STANDARD.index(column) + 1).value


def test_every_planted_anomaly_is_in_the_files(demo: tuple, rows: dict) -> None:
    out, _, anomalies = demo
    rules = defaultdict(list)
    for anomaly in anomalies:
        rules[anomaly.rule].append(anomaly)
    for rule in (
        "PRC-01",
        "PRC-02",
        "PRC-03",
        "PRC-04",
        "PRC-05",
        "PLN-01",
        "CMP-01",
        "CMP-02",
        "CMP-03",
        "CMP-04",
        "DOM-01",
        "DOM-02",
        "DOM-03",
        "CEN-01",
    ):
        assert len(rules[rule]) >= 3, rule
    assert len(rules["DQ-01"]) == 9 and len(rules["IMPORT"]) == 5
    lines = [line for line in rows.values() if valid(line)]
    refs = _table(out / "gia-tham-chieu_2024-2025.xlsx", 1)
    domestic_only = _table(out / "tt03-2024_danh-muc-thuoc-trong-nuoc.xlsx", 4)
    centralized = _table(out / "tt04-2024_danh-muc-dau-thau-tap-trung.xlsx", 4)
    agreements = read_agreements(out)
    for anomaly in anomalies:
        keys = anomaly.keys
        if anomaly.family == "STK":  # test_stock_plants_are_in_the_files
            continue
        if "row" not in keys:
            _check_aggregate(anomaly.rule, keys, lines)
            continue
        line = rows.get((keys["file"], keys["sheet"], int(keys["row"])))
        if anomaly.family == "IMPORT":
            _check_bad_row(out, keys, rows)
            continue
        assert line is not None, keys
        assert line["buyer_name"] == keys["buyer"] and line["product_name"] == keys["product_name"]
        if anomaly.rule == "CEN-01":
            _check_framework_line(keys, line, agreements, centralized)
        else:
            _check_line(anomaly.rule, keys, line, lines, rows, refs, domestic_only)


def _table(path: Path, header_row: int) -> list[tuple]:
    ws = load_workbook(path).worksheets[0]
    return [r for r in ws.iter_rows(min_row=header_row + 1, values_only=True) if r[1]]


def _check_line(rule: str, keys: dict, line: dict, lines: list, rows: dict, refs: list,
                domestic_only: list) -> None:  # fmt: skip
    price, planned = number(line["unit_price"]), number(line.get("planned_unit_price"))
    if rule == "PRC-01":
        assert price > planned
    elif rule == "CMP-02":
        assert price >= 0.995 * planned
    elif rule == "PRC-02":
        assert std(line) >= 3.9 * float(keys["peer_median"])
    elif rule == "PRC-03":
        others = [std(o) for o in lines if o["registration_number"] == line["registration_number"]
                  and o["buyer_name"] != line["buyer_name"]]  # fmt: skip
        assert std(line) >= 1.3 * min(others)
    elif rule == "PRC-04":
        ref = next(r for r in refs if (r[0], r[1].replace(" ", "")) == ident(line))
        assert std(line) > ref[4] == int(keys["reference_price"])
    elif rule == "PRC-05":
        before = rows[(keys["other_file"], keys["other_sheet"], int(keys["other_row"]))]
        assert before["buyer_name"] == line["buyer_name"]
        assert before["registration_number"] == line["registration_number"]
        assert before["decision_date"].year == 2024 and line["decision_date"].year == 2025
        assert std(line) >= 1.2 * std(before)
    elif rule == "PLN-01":
        assert std(line, "planned_unit_price") > float(keys["highest_prior"])
    elif rule == "CMP-01":
        assert line["bidder_count"] == 1 and line["procedure"] == "DTRR"
    elif rule == "DOM-02":
        assert not domestic(line)
        cheaper = [o for o in lines if ident(o) == ident(line) and domestic(o)
                   and std(o) < std(line)]  # fmt: skip
        assert cheaper
    elif rule == "DOM-03":
        assert not domestic(line)
        assert (*ident(line), line["group"]) in {(r[1], r[2], r[5]) for r in domestic_only}
    elif rule == "DQ-01":
        assert line[keys["missing"]] in (None, "")
    else:
        raise AssertionError(rule)


def read_agreements(folder: Path) -> dict[tuple[str, str], dict]:
    """Read the framework-agreement files: each item (agreement number, registration number)
    with its terms and its facilities' allocations, from the numbered rows under the header."""
    names = [name for _, name in AGREEMENT_COLUMNS]
    items: dict[tuple[str, str], dict] = {}
    for path in sorted(folder.glob("ttms-quoc-gia_thoa-thuan-khung_*.xlsx")):
        for row in load_workbook(path).active.iter_rows(min_row=11, values_only=True):
            if not isinstance(row[0], int):
                continue
            cells = dict(zip(names, row, strict=False))
            for key in ("valid_from", "valid_to"):
                cells[key] = cells[key].date()
            item = items.setdefault((cells["number"], cells["registration"]),
                                    {**cells, "file": path.name, "allocations": {},
                                     "deliveries": {}})  # fmt: skip
            assert all(item[k] == cells[k] for k in names if k not in ("line_no", "facility",
                       "province", "allocated", "delivered", "reported_on"))  # fmt: skip
            item["allocations"][cells["facility"]] = cells["allocated"]
            item["deliveries"][cells["facility"]] = (cells["delivered"],
                                                     cells["reported_on"].date())  # fmt: skip
    return items


def _check_framework_line(keys: dict, line: dict, agreements: dict, centralized: list) -> None:
    """A CEN-01 plant or control: a hospital's line for an item of the centralized list, while
    the agreement its keys name was valid, from another supplier, above the agreement price, or
    (a control) from its supplier at or below its price."""
    item = agreements[(keys["agreement_number"], line["registration_number"])]
    listed = {(r[1], str(r[2]).replace(" ", ""), r[5]) for r in centralized}
    assert (*ident(line), line["group"]) in listed
    assert BUYER_BY_NAME[line["buyer_name"]].role == "hospital" and line["buyer_name"] != CENTRE
    assert item["valid_from"] <= line["decision_date"] <= item["valid_to"]
    assert line["decision_date"] >= date(2024, 4, 16)  # the list is in force
    assert line["buyer_name"] in item["allocations"]
    assert str(item["price"]) == keys["agreement_price"]
    if keys["test"] == "another supplier":
        assert line["supplier"] and line["supplier"] != item["supplier"]
    elif keys["test"] == "above the agreement price":
        assert line["supplier"] == item["supplier"] and std(line) > item["price"]
    else:
        assert keys["test"] == "order under the agreement"
        assert line["supplier"] == item["supplier"] and std(line) <= item["price"]


def test_controls_are_orders_under_an_agreement(demo: tuple, rows: dict) -> None:
    out = demo[0]
    record = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))
    agreements = read_agreements(out)
    centralized = _table(out / "tt04-2024_danh-muc-dau-thau-tap-trung.xlsx", 4)
    controls = [c for c in record["controls"] if c["rule"] == "CEN-01"]
    assert len(controls) == 3
    for control in controls:
        keys = control["keys"]
        line = rows[(keys["file"], keys["sheet"], int(keys["row"]))]
        assert (line["buyer_name"], line["product_name"]) == (keys["buyer"], keys["product_name"])
        _check_framework_line(keys, line, agreements, centralized)
    planted = {a.keys["test"] for a in demo[2] if a.rule == "CEN-01"}
    assert planted == {"another supplier", "above the agreement price"}


def test_framework_agreements_are_the_centre_tenders(demo: tuple, rows: dict) -> None:
    out, files, _ = demo
    framework = [f for f in files if f.kind == "framework-agreements"]
    assert [f.path.name for f in framework] == [
        "ttms-quoc-gia_thoa-thuan-khung_2024.xlsx",
        "ttms-quoc-gia_thoa-thuan-khung_2025.xlsx",
    ]
    assert all(f.profile == "framework-agreements" for f in framework)
    assert all(f.set_fields == {"holder": CENTRE} for f in framework)
    ws = load_workbook(framework[0].path).active
    assert (ws["A1"].value, ws["A2"].value) == ("BỘ Y TẾ", CENTRE.upper())
    assert ws["A4"].value.startswith("DANH SÁCH THỎA THUẬN KHUNG")
    assert re.match(r"Gói thầu: .* - Mã TBMT: IB24\d{8} \(Quyết định", ws["A6"].value)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A8:A9", "B8:B9", "P8:Q8", "R8:T8", "U8:V8"} <= merged
    assert (ws["P8"].value, ws["P9"].value, ws["Q9"].value) == ("Thời hạn hiệu lực", "Từ ngày",
                                                               "Đến ngày")  # fmt: skip
    assert [c.value for c in ws[10]] == [f"({i})" for i in range(1, 23)]
    assert (ws["U9"].value, ws["V9"].value) == ("Số lượng đã giao", "Tính đến ngày")
    assert ws["A11"].value.startswith("I. Thỏa thuận khung số 01/2024/")
    items = read_agreements(out)
    assert len(items) >= 10
    under = {
        (a.keys["agreement_number"], a.keys["registration_number"], a.keys["facility"])
        for a in demo[2] if a.rule == "STK-06"
    }  # fmt: skip
    assert len(under) == 2
    centralized = _table(out / "tt04-2024_danh-muc-dau-thau-tap-trung.xlsx", 4)
    listed = {(r[1], str(r[2]), r[5]) for r in centralized}
    tender = {
        (x["product_name"], x["decision_date"].year): x for x in rows.values()
        if x["buyer_name"] == CENTRE and x.get("procedure") == "Mua sắm tập trung"
    }  # fmt: skip
    spans = defaultdict(list)
    for (agreement, registration), item in items.items():
        assert (item["active_ingredient"], item["strength"], item["group"]) in listed
        assert agreement.endswith(f"/{item['valid_from'].year}/TTKQG-TTMS")
        line = tender[(item["product_name"], item["valid_from"].year)]  # the tender's lot
        assert std(line) == item["price"]
        # a DQ-01 plant may blank the lot's supplier or number in the award file, not here
        assert line["supplier"] in (item["supplier"], None)
        assert line["registration_number"] in (registration, None)
        assert 0 < (item["valid_from"] - line["decision_date"]).days <= 30
        base = 100 if line["unit"] == "Hộp" else 1
        allocated = sum(item["allocations"].values())
        for facility, quantity in item["allocations"].items():  # on schedule: >= 92% pro rata
            delivered, day = item["deliveries"][facility]
            total = (item["valid_to"] - item["valid_from"]).days + 1
            due = quantity * min(total, (day - item["valid_from"]).days + 1) / total
            planted = (agreement, registration, facility) in under
            assert (delivered < 0.8 * due) == planted
            assert planted or delivered >= 0.92 * due - 1e-6
        assert abs(allocated - number(line["quantity"]) * base) <= 100 * len(item["allocations"])
        spans[registration].append((item["valid_from"], item["valid_to"]))
    for periods in spans.values():  # a later tender's lot replaces the earlier one, no overlap
        periods.sort()
        for (_, end), (start, _) in itertools.pairwise(periods):
            assert end < start
        assert all((end - start).days <= 3 * 366 for start, end in periods)


def _check_aggregate(rule: str, keys: dict, lines: list) -> None:
    year = int(keys["year"])
    if keys.get("scope") == "province":
        scope = [x for x in lines if x["province"] == keys["province"]]
    else:
        scope = [x for x in lines if x["buyer_name"] == keys["buyer"]]
    scope = [x for x in scope if x["decision_date"].year == year]
    total = sum(number(x["amount"]) for x in scope)
    assert total > 0

    def share(test: Any) -> float:
        return sum(number(x["amount"]) for x in scope if test(x)) / total

    if rule == "CMP-03":
        assert share(lambda x: x["supplier"] == keys["supplier"]) >= 0.5
    elif rule == "CMP-04":
        assert share(lambda x: x.get("procedure") in ("CDT", "MSTT")) >= 0.3
    elif rule == "DOM-01":
        assert share(domestic) < 0.7
    else:
        raise AssertionError(rule)


def _check_bad_row(out: Path, keys: dict, rows: dict) -> None:
    if keys["problem"].startswith("exact duplicate"):
        here = rows[(keys["file"], keys["sheet"], int(keys["row"]))]
        assert here == rows[(keys["other_file"], keys["other_sheet"], int(keys["other_row"]))]
        return
    value = _cell(out, keys, keys["column"])
    if keys["problem"] == "negative quantity":
        assert number(value) < 0 and str(int(number(value))) == keys["value"]
    else:
        assert value == keys["value"]


def test_same_seed_gives_the_same_files(demo: tuple, tmp_path: Path) -> None:
    first, second = demo[0], tmp_path / "again"
    build_demo_files(second, seed=7, lines=SMALL)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    lists = [n for n in names if n.startswith("kqlcnt_")]
    sample = [n for n in names if not n.startswith("kqlcnt_")] + lists[::8]
    sample += [n for n in lists if n.endswith(".xls")][:2]
    for name in sample:
        a, b = first / name, second / name
        if a.suffix in (".csv", ".json"):
            assert a.read_bytes() == b.read_bytes(), name
        elif a.suffix == ".xlsx":
            assert _values(a) == _values(b), name
        else:
            assert _xls_values(a) == _xls_values(b), name


def _values(path: Path) -> list:
    wb = load_workbook(path, read_only=True)
    return [(ws.title, [pad(r) for r in ws.iter_rows(values_only=True)]) for ws in wb]


def _xls_values(path: Path) -> list:
    book = xlrd.open_workbook(str(path))
    return [[sh.row_values(r) for r in range(sh.nrows)] for sh in book.sheets()]


def test_writers_take_any_lines(tmp_path: Path) -> None:
    lines = list(award_lines(3, 40))
    buyer = {"name": "Bệnh viện Đa khoa tỉnh Nghệ An", "province": "Nghệ An",
             "parent": "SỞ Y TẾ TỈNH NGHỆ AN", "place": "Nghệ An"}  # fmt: skip
    decision = {
        "number": "215/QĐ-BV",
        "date": date(2025, 3, 15),
        "tender_name": "Cung cấp thuốc generic năm 2025",
        "tender_code": "IB2500012345",
    }
    write_hospital_list(tmp_path / "kqlcnt_a.xlsx", buyer, decision, lines)
    write_hospital_list(tmp_path / "kqlcnt_b.xls", buyer, decision, lines, fmt="xls",
                        style=ListStyle(headers="ascii", split_sheets=True))  # fmt: skip
    write_hospital_list(tmp_path / "kqlcnt_c.xlsx", buyer, decision, iter(lines))  # streamed
    write_portal_export(tmp_path / "cong-dau-thau.xlsx", lines, sheets_by="province")
    write_social_security_csv(tmp_path / "s.csv", lines)
    found = read_awards(tmp_path)
    per_file = defaultdict(list)
    for (name, _, _), row in sorted(found.items()):
        per_file[name].append((row["registration_number"], number(row["unit_price"])))
    expected = sorted((x["registration_number"], float(x["unit_price"])) for x in lines)
    assert len(per_file) == 5
    assert all(sorted(got) == expected for got in per_file.values())
    ws = load_workbook(tmp_path / "kqlcnt_c.xlsx").worksheets[0]
    assert {"A4:R4", "A8:A9", "N8:O8"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["A5"].value.startswith("(Kèm theo Quyết định số 215/QĐ-BV ngày 15/03/2025 của ")
    sheet = xlrd.open_workbook(str(tmp_path / "kqlcnt_b.xls")).sheet_by_index(0)
    assert sheet.cell_value(7, 2) == strip_marks("Tên hoạt chất") == "Ten hoat chat"


def read_stock(folder: Path) -> dict[tuple[str, str], list[dict]]:
    """Read every stock report back: per (facility, item code) its months in order, each with
    the rows (lots) of that month and where the first one is (file, sheet, row)."""
    series: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)

    def add(facility: str, code: str, month: int, at: tuple, row: dict) -> None:
        entry = series[(facility, code)].setdefault(month, {"at": at, "rows": [], "month": month})
        entry["rows"].append(row)

    for path in sorted(folder.glob("bao-cao-xuat-nhap-ton_*.xlsx")):
        book = load_workbook(path, read_only=True)
        sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book]
        book.close()
        for title, cells in sheets:
            facility = UPPER_BUYERS[cells[1][0]]
            found = re.search(r"THÁNG (\d+) NĂM (\d{4})", cells[4][0])
            assert found and title == f"T{int(found[1]):02d}-{found[2]}"
            month = int(found[2]) * 12 + int(found[1]) - 1
            header = cells[7]
            assert header[0] == "STT" and cells[8][0] == "(1)"
            names = {
                "Mã thuốc": "code", "Tồn đầu kỳ": "opening", "Nhập trong kỳ": "received",
                "Xuất trong kỳ": "issued", "Hư hao, điều chỉnh": "adjustment",
                "Tồn cuối kỳ": "closing", "Số ngày hết hàng": "days", "Số lô": "lot",
                "Hạn dùng": "expiry", "Tên thuốc": "name", "Hoạt chất": "ingredient",
            }  # fmt: skip
            columns = {names[t]: i for i, t in enumerate(header) if t in names}
            assert any(row[1] == "Tổng cộng" for row in cells)
            for index, row in enumerate(cells, start=1):
                if not isinstance(row[0], int):
                    continue
                values = {k: row[i] for k, i in columns.items()}
                for key in ("opening", "received", "issued", "adjustment", "closing", "days"):
                    values[key] = number(values[key]) or 0.0
                add(facility, values["code"], month, (path.name, title, index), values)
    for path in folder.glob("elmis_*.csv"):  # the logistics export
        with path.open(encoding="utf-8") as handle:
            for index, row in enumerate(csv.DictReader(handle), start=2):
                values = {
                    "code": row["product_code"], "opening": float(row["stock_initial"]),
                    "received": float(row["stock_received"]),
                    "issued": float(row["stock_distributed"]),
                    "adjustment": float(row["stock_adjustment"]),
                    "closing": float(row["stock_end"]), "days": float(row["stock_stockout_days"]),
                    "name": row["product_name"], "ingredient": None,
                }  # fmt: skip
                month = int(row["year"]) * 12 + int(row["month"]) - 1
                add(row["site_name"], row["product_code"], month, (path.name, "", index), values)
    return {key: [months[m] for m in sorted(months)] for key, months in series.items()}


def _amc(months: list[dict]) -> float:
    """DESIGN.md's AMC: the mean adjusted consumption of the last three non-zero months."""
    used = []
    for month in months:
        issued = sum(r["issued"] for r in month["rows"])
        days = min(r["days"] for r in month["rows"])
        used.append(issued * 30 / (30 - days) if 0 < days < 30 else issued)
    used = [n for n in used if n > 0][-3:]
    return sum(used) / len(used)


def _mos(months: list[dict]) -> float:
    return sum(r["closing"] for r in months[-1]["rows"]) / _amc(months)


def test_stock_reports_are_realistic_and_quiet_where_nothing_is_planted(demo: tuple) -> None:
    out, files, anomalies = demo
    stock = [f for f in files if f.kind == "stock-reports"]
    assert sorted(f.profile for f in stock) == ["logistics-monthly"] + ["stock-report"] * 12
    series = read_stock(out)
    facilities = {facility for facility, _ in series}
    assert len(facilities) == 12 and all(BUYER_BY_NAME[f].role == "hospital" for f in facilities)
    assert len(series) == 12 * 20 + 8 * 5
    assert {len(months) for months in series.values()} == {12}
    vaccines = {code for _, code in series if code.startswith(("VX", "EPI-"))}
    assert len(vaccines) == 10  # five EPI vaccines, under their LMIS codes too
    planted = {
        (a.keys["facility"], a.keys["product_code"])
        for a in anomalies if a.family == "STK" and "product_code" in a.keys
    }  # fmt: skip
    inconsistent = {
        (a.keys["facility"], a.keys["product_code"], a.keys["period"])
        for a in anomalies if a.rule == "STK-08"
    }  # fmt: skip
    text = lots = 0
    for (facility, code), months in series.items():
        for month in months:
            for row in month["rows"]:
                balance = row["opening"] + row["received"] - row["issued"] + row["adjustment"]
                if balance != row["closing"]:
                    assert (facility, code) in {(f, c) for f, c, _ in inconsistent}
                assert row["closing"] >= 0
            lots += len(month["rows"]) > 1
        closings = [sum(r["closing"] for r in m["rows"]) for m in months]
        for before, after in itertools.pairwise(months):  # a month opens with the last's close
            assert sum(r["opening"] for r in after["rows"]) == sum(
                r["closing"] for r in before["rows"]
            )
        delivered = [i for i, m in enumerate(months) if any(r["received"] for r in m["rows"])]
        issued = [sum(r["issued"] for r in m["rows"]) for m in months]
        if (facility, code) not in planted:  # every 1-3 months, a month more when one is late
            assert delivered and max(b - a for a, b in itertools.pairwise([-1, *delivered])) <= 4
            low, high = (6.6, 7.8) if code.startswith(("VX", "EPI-")) else (2.6, 3.6)
            assert low <= _mos(months) <= high, (facility, code, closings)
            assert statistics.pstdev(issued) > 0.03 * statistics.mean(issued)  # it varies
    assert lots >= 2 * 12  # the lot file lists its vaccines by lot, often two or more a month
    quynh_luu = [m for (f, c), ms in series.items() if f.endswith("Quỳnh Lưu") and c[:2] == "VX"
                 for m in ms]  # fmt: skip
    assert quynh_luu and all(r["lot"] and r["expiry"] for m in quynh_luu for r in m["rows"])
    for path in out.glob("bao-cao-xuat-nhap-ton_*.xlsx"):
        book = load_workbook(path, read_only=True)
        cells = [c for r in book.worksheets[0].iter_rows(values_only=True) for c in r]
        book.close()
        text += any(isinstance(c, str) and re.fullmatch(r"\d{1,3}(\.\d{3})+", c) for c in cells)
    assert text >= 3  # Vietnamese number text in some files


def test_stock_plants_are_in_the_files(demo: tuple, rows: dict) -> None:
    out, _, anomalies = demo
    series = read_stock(out)
    stock = [a for a in anomalies if a.family == "STK"]
    by_rule = defaultdict(list)
    for anomaly in stock:
        by_rule[anomaly.rule].append(anomaly)
    assert {rule: len(found) >= 1 for rule, found in by_rule.items()} == {
        f"STK-0{i}": True for i in range(1, 9)
    }
    for anomaly in stock:
        keys = anomaly.keys
        if anomaly.rule in ("STK-06", "STK-07"):
            continue  # test_framework_agreements_are_the_centre_tenders, _check_single_source
        months = series[(keys["facility"], keys["product_code"])]
        period = date.fromisoformat(keys["period"])
        wanted = period.year * 12 + period.month - 1
        index = next(i for i, m in enumerate(months) if m["month"] == wanted)
        month = months[index]
        assert month["at"] == (keys["file"], keys["sheet"], int(keys["row"]))
        closing = sum(r["closing"] for r in month["rows"])
        days = min(r["days"] for r in month["rows"])
        mos = _mos(months[: index + 1])
        minimum = 6 if keys["category"] == "vaccine" else 2
        if anomaly.rule == "STK-01":
            assert closing == 0 if keys["test"] == "closing balance 0" else closing > 0 < days
        elif anomaly.rule == "STK-02":
            assert closing > 0 and days == 0 and mos < 0.5
        elif anomaly.rule == "STK-03":
            assert keys["category"] == "vaccine" and 0.5 <= mos < minimum
        elif anomaly.rule == "STK-04":
            assert 0.5 <= mos < minimum and not any(r["received"] for r in month["rows"])
            assert closing - 2 * _amc(months) < 0  # out within the next two months
        elif keys["test"] == "overstock":
            assert mos > 6
        elif keys["test"] == "expiry":
            lot = next(r for r in month["rows"] if r["lot"] == keys["lot_number"])
            left = (lot["expiry"].date() - date.fromisoformat(keys["as_of"])).days / 30
            assert lot["closing"] > _amc(months) * left > 0
        elif anomaly.rule == "STK-08":
            row = month["rows"][0]
            balance = row["opening"] + row["received"] - row["issued"] + row["adjustment"]
            assert row["closing"] - balance == float(keys["difference"]) == 120
    for control in json.loads((out / "anomalies.json").read_text("utf-8"))["controls"]:
        if control["rule"] == "STK-01":
            months = series[(control["keys"]["facility"], control["keys"]["product_code"])]
            assert any(min(r["days"] for r in m["rows"]) > 0 for m in months[:-3])
            assert sum(r["closing"] for r in months[-1]["rows"]) > 0
            assert min(r["days"] for r in months[-1]["rows"]) == 0
    _check_single_source(by_rule["STK-07"], rows)


def _check_single_source(plants: list, rows: dict) -> None:
    """STK-07: every vaccine line of the plant's window names its one manufacturer."""
    for plant in plants:
        keys = plant.keys
        start, end = (
            date.fromisoformat(keys["window_start"]),
            date.fromisoformat(keys["window_end"]),
        )
        lines = [
            x for x in rows.values()
            if isinstance(x["decision_date"], date) and start <= x["decision_date"] <= end
            and x["active_ingredient"] == keys["active_ingredient"]
        ]  # fmt: skip
        assert len(lines) >= int(keys["lines"]) >= 3
        assert {x["manufacturer"] for x in lines} == {keys["manufacturers"]}
