"""The national centre's framework agreements: their terms, allocations and published file.

Why: CEN-01 compares a facility's purchase of a centralized-list item with the framework
agreement valid for it, so the demo needs agreements that agree with its awards. In practice the
national centre (Trung tâm Mua sắm tập trung thuốc Quốc gia) tenders the centralized list, then
signs one framework agreement per winning supplier: each lot it awarded becomes an agreement item
at the awarded price, valid until the next tender's agreement for it starts (at most 36 months),
with the awarded quantity allocated to facilities. agreement_items() derives exactly that from
the centre's own award lines; write_framework_agreements() publishes one tender's agreements
laid out as the centre publishes them (title block, a header over two rows, a numbering row, a
section row per agreement, one row per item and facility, the signature), each row with the
quantity delivered to the facility by the day the table counts to ("Tính đến ngày"), which
STK-06 compares with the quantity due pro rata.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from procurement.demo.catalog import BUYER_BY_NAME, BUYERS, HOSPITAL, NATIONAL, Buyer
from procurement.demo.plan import CENTRALIZED
from procurement.demo.planting import Book, product_of, std_price
from procurement.demo.products import Product

CENTRE = next(b.name for b in BUYERS if b.role == NATIONAL)
SIGNING_DAYS = 14  # from the award decision to the agreements' signature
TERM_MONTHS = 24  # an agreement's term when no later tender replaces it (the law allows 36)
FACILITIES_PER_ITEM = 6
DATE_FORMAT = "dd/mm/yyyy"
# (header text, key of _values()); PARENTS merges a parent header over columns 16-17, 18-20.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("STT", "line_no"), ("Số thỏa thuận khung", "number"), ("Nhà thầu", "supplier"),
    ("Tên thuốc", "product_name"), ("Tên hoạt chất", "active_ingredient"),
    ("Nồng độ, hàm lượng", "strength"), ("Đường dùng", "route"), ("Dạng bào chế", "form"),
    ("Quy cách đóng gói", "packaging"), ("Nhóm TCKT", "group"),
    ("GĐKLH hoặc GPNK", "registration"), ("Cơ sở sản xuất", "manufacturer"),
    ("Nước sản xuất", "country"), ("Đơn vị tính", "unit"), ("Đơn giá (VND)", "price"),
    ("Từ ngày", "valid_from"), ("Đến ngày", "valid_to"), ("Tên cơ sở y tế", "facility"),
    ("Tỉnh", "province"), ("Số lượng phân bổ", "allocated"),
    ("Số lượng đã giao", "delivered"), ("Tính đến ngày", "reported_on"),
)  # fmt: skip
PARENTS = (
    ("Thời hạn hiệu lực", 16, 17), ("Phân bổ cho cơ sở y tế", 18, 20),
    ("Tình hình cung ứng", 21, 22),
)  # fmt: skip
HEADER_ROW, NUMBER_ROW, FIRST_DATA_ROW = 8, 10, 11


@dataclass(frozen=True)
class AgreementItem:
    """One lot of a framework agreement: a product of one supplier at one price, for a time."""

    number: str
    supplier: str
    valid_from: date
    valid_to: date
    product: Product
    price: int  # VND per base unit of the identity (tablet, vial)
    quantity: int  # base units the centre awarded, allocated to facilities
    decision_number: str
    decision_date: date
    tender_code: str
    tender_name: str

    @property
    def key(self) -> tuple[tuple[str, str, str], str | None]:
        """Return the item an award line must match: (identity, technical group)."""
        return self.product.identity.key, self.product.group

    def valid_on(self, day: date) -> bool:
        """Tell whether the agreement is valid on the day (both ends included)."""
        return self.valid_from <= day <= self.valid_to


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def _months_later(day: date, months: int) -> date:
    """Return the day before the same date `months` later (the last day of a term)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last) - timedelta(days=1)
        except ValueError:
            continue
    raise AssertionError(day)


def agreement_items(book: Book) -> list[AgreementItem]:
    """Return the agreement items of the national centre's centralized tenders, by date.

    One agreement per tender and supplier, numbered in the order the tender lists them; each
    item ends the day before the next tender's item for the same product and group starts, or
    after TERM_MONTHS. Call after the price anomalies and before DQ-01's: a price planted on a
    centre lot (PRC-05 may pick one) is what the tender awarded, so the agreement carries it,
    while a supplier or registration number DQ-01 later blanks in the published award is only
    missing from that file, not from the agreement.
    """
    tenders = sorted(
        (d for d in book.decisions
         if BUYER_BY_NAME[d.buyer].role == NATIONAL and d.lines[0]["procedure"] == CENTRALIZED),
        key=lambda d: (d.date, d.number),
    )  # fmt: skip
    drafts: list[dict] = []
    for tender in tenders:
        start = _weekday_on_or_after(tender.date + timedelta(days=SIGNING_DAYS))
        numbers: dict[str, str] = {}
        for line in tender.lines:
            supplier = line["supplier"]
            if supplier not in numbers:
                numbers[supplier] = f"{len(numbers) + 1:02d}/{tender.year}/TTKQG-TTMS"
            base = 100 if line["unit"] == "Hộp" else 1
            drafts.append({
                "number": numbers[supplier], "supplier": supplier, "valid_from": start,
                "product": product_of(line), "price": round(std_price(line)),
                "quantity": line["quantity"] * base, "decision_number": tender.number,
                "decision_date": tender.date, "tender_code": line["tender_code"],
                "tender_name": line["tender_name"],
            })  # fmt: skip
    items = []
    for i, draft in enumerate(drafts):
        product = draft["product"]
        later = [
            d["valid_from"] for d in drafts[i + 1 :]
            if d["product"].identity == product.identity and d["product"].group == product.group
            and d["valid_from"] > draft["valid_from"]
        ]  # fmt: skip
        end = _months_later(draft["valid_from"], TERM_MONTHS)
        if later:
            end = min(end, min(later) - timedelta(days=1))
        items.append(AgreementItem(valid_to=end, **draft))
    return items


def allocations(
    items: Sequence[AgreementItem], seed: int, buyers_of: dict[int, set[str]]
) -> dict[int, list[tuple[Buyer, int]]]:
    """Split each item's quantity over facilities: a seeded sample of hospitals plus the
    facilities named in buyers_of[index] (the demo's facilities that bought the item).

    Why: the centre publishes what each facility may order; a facility that bought the item
    elsewhere usually had an allocation, which is what CEN-01's evidence shows.
    """
    rng = random.Random(f"{seed}:frameworks")
    hospitals = [b for b in BUYERS if b.role == HOSPITAL]
    out: dict[int, list[tuple[Buyer, int]]] = {}
    for index, item in enumerate(items):
        chosen = {b.name for b in rng.sample(hospitals, FACILITIES_PER_ITEM)}
        chosen |= buyers_of.get(index, set())
        facilities = [b for b in hospitals if b.name in chosen]
        weights = [b.size * rng.uniform(0.7, 1.3) for b in facilities]
        step = 100 if item.product.identity.unit == "Viên" else 10
        total = sum(weights)
        out[index] = [
            (b, max(step, round(item.quantity * w / total / step) * step))
            for b, w in zip(facilities, weights, strict=True)
        ]
    return out


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, letters in numerals:
        while number >= value:
            text, number = text + letters, number - value
    return text


def _title_block(ws: Worksheet, first: AgreementItem, width: int, notice: str) -> None:
    ws.cell(row=1, column=1, value="BỘ Y TẾ")
    ws.cell(row=1, column=12, value="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ws.cell(row=2, column=1, value=CENTRE.upper())
    ws.cell(row=2, column=12, value="Độc lập - Tự do - Hạnh phúc")
    ws.cell(row=4, column=1, value="DANH SÁCH THỎA THUẬN KHUNG VÀ SỐ LƯỢNG THUỐC PHÂN BỔ "
            "CHO CÁC CƠ SỞ Y TẾ")  # fmt: skip
    signed = first.valid_from.strftime("%d/%m/%Y")
    ws.cell(row=5, column=1, value=f"(Kèm theo Công văn số {notice} ngày {signed} của {CENTRE})")
    ws.cell(row=6, column=1, value=f"Gói thầu: {first.tender_name} - Mã TBMT: {first.tender_code}"
            f" (Quyết định phê duyệt kết quả số {first.decision_number} ngày "
            f"{first.decision_date:%d/%m/%Y})")  # fmt: skip
    for row in (4, 5, 6):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _header(ws: Worksheet) -> None:
    grouped = {col for _, start, end in PARENTS for col in range(start, end + 1)}
    for col, (title, _) in enumerate(COLUMNS, start=1):
        if col in grouped:
            ws.cell(row=HEADER_ROW + 1, column=col, value=title)
        else:
            ws.cell(row=HEADER_ROW, column=col, value=title)
            ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW + 1,
                           end_column=col)  # fmt: skip
    for title, start, end in PARENTS:
        ws.cell(row=HEADER_ROW, column=start, value=title)
        ws.merge_cells(start_row=HEADER_ROW, start_column=start, end_row=HEADER_ROW,
                       end_column=end)  # fmt: skip
    for col in range(1, len(COLUMNS) + 1):
        ws.cell(row=NUMBER_ROW, column=col, value=f"({col})")


@dataclass(frozen=True)
class Allocation:
    """A facility's share of an agreement item and what the supplier delivered of it by the
    day the centre's table counts deliveries to (reported_on)."""

    facility: Buyer
    allocated: int
    delivered: int
    reported_on: date


def due(item: AgreementItem, allocated: int, day: date) -> float:
    """Return the quantity due pro rata by a day: allocated x elapsed / validity days (both
    ends counted; an agreement that has ended is due in full), as STK-06 reads the table."""
    total = (item.valid_to - item.valid_from).days + 1
    elapsed = min(total, max(0, (day - item.valid_from).days + 1))
    return allocated * elapsed / total


def deliveries(
    items: Sequence[AgreementItem], shares: dict[int, list[tuple[Buyer, int]]], day: date,
    seed: int, short: dict[tuple[int, str], float],
) -> dict[int, list[Allocation]]:  # fmt: skip
    """Return each item's allocations with the quantity delivered by `day`: 92-100% of the
    pro-rata quantity (suppliers deliver on schedule, in whole steps), or the share `short`
    names for an (item index, facility) the demo plants as under-delivered (STK-06)."""
    rng = random.Random(f"{seed}:deliveries")
    out: dict[int, list[Allocation]] = {}
    for index, allocations in shares.items():
        item = items[index]
        step = 100 if item.product.identity.unit == "Viên" else 10
        rows = []
        for facility, allocated in allocations:
            expected = due(item, allocated, day)
            share = short.get((index, facility.name), rng.uniform(0.92, 1.0))
            delivered = min(allocated, int(expected * share / step + 0.999) * step)
            if (index, facility.name) in short:  # rounding must not lift it back over 80%
                delivered = min(delivered, int(expected * share))
            rows.append(Allocation(facility, allocated, delivered, day))
        out[index] = rows
    return out


def _values(item: AgreementItem, allocation: Allocation) -> dict[str, object]:
    product, identity = item.product, item.product.identity
    facility = allocation.facility
    return {
        "number": item.number, "supplier": item.supplier, "product_name": product.name,
        "active_ingredient": identity.ingredient, "strength": identity.strength,
        "route": identity.route, "form": identity.form, "packaging": identity.packaging,
        "group": product.group, "registration": product.registration,
        "manufacturer": product.manufacturer, "country": product.country,
        "unit": identity.unit, "price": item.price, "valid_from": item.valid_from,
        "valid_to": item.valid_to, "facility": facility.name, "province": facility.province,
        "allocated": allocation.allocated, "delivered": allocation.delivered,
        "reported_on": allocation.reported_on,
    }  # fmt: skip


def write_framework_agreements(
    path: Path, items: Sequence[tuple[AgreementItem, list[Allocation]]], notice: str
) -> dict[tuple[int, str], int]:
    """Write one tender's agreements, items grouped by agreement, a row per facility.

    Every row repeats the agreement's and the item's cells (no merged data cells), as the
    centre's allocation tables do, so each row reads on its own (and the importer needs every
    row to carry the agreement number, supplier, price and validity).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Thỏa thuận khung"
    width = len(COLUMNS)
    _title_block(ws, items[0][0], width, notice)
    _header(ws)
    row, number, section, current = FIRST_DATA_ROW, 0, 0, ""
    rows: dict[tuple[int, str], int] = {}
    for position, (item, facilities) in enumerate(items):
        if item.number != current:
            current, section = item.number, section + 1
            ws.cell(row=row, column=1, value=f"{_roman(section)}. Thỏa thuận khung số "
                    f"{item.number} - {item.supplier}")  # fmt: skip
            row += 1
        for allocation in facilities:
            number += 1
            values = _values(item, allocation)
            ws.cell(row=row, column=1, value=number)
            for col, (_, name) in enumerate(COLUMNS[1:], start=2):
                cell = ws.cell(row=row, column=col, value=values[name])
                if name in ("valid_from", "valid_to", "reported_on"):
                    cell.number_format = DATE_FORMAT
            rows[(position, allocation.facility.name)] = row
            row += 1
    last = items[-1][0].valid_from
    ws.cell(row=row + 1, column=15, value=f"Hà Nội, ngày {last.day:02d} tháng {last.month:02d} "
            f"năm {last.year}")  # fmt: skip
    ws.cell(row=row + 2, column=15, value="GIÁM ĐỐC")
    ws.cell(row=row + 2, column=2, value="NGƯỜI LẬP BIỂU")
    wb.save(path)
    return rows


def tender_groups(items: Sequence[AgreementItem]) -> list[list[int]]:
    """Return the indexes of the items of each centre tender, in date order (one file each)."""
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(item.decision_number, []).append(index)
    return list(groups.values())
