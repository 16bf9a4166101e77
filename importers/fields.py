"""The canonical fields of each import kind, their types and the header texts that name them.

The synonyms are the ones seen in real files (DOMAIN.md), Vietnamese and English; matching folds
diacritics, case, spacing and punctuation, so one spelling per variant is enough here. A profile
adds its own header texts on top of these, so a new layout needs YAML, not code.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT, NUMBER, INTEGER, DATE = "text", "number", "integer", "date"


@dataclass(frozen=True)
class Field:
    """A canonical field: its value type, the header texts that name it and its documentation."""

    name: str
    type: str
    synonyms: tuple[str, ...]
    label_vi: str
    label_en: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (phrase, value): a closed vocabulary


@dataclass(frozen=True)
class Kind:
    """An import kind: its fields, what a file must provide and what every row must carry."""

    name: str
    fields: tuple[Field, ...]
    required: tuple[tuple[str, ...], ...]  # each entry: one of these fields must be present
    numeric_evidence: tuple[str, ...]  # a value in any of these makes a row a data row

    def field(self, name: str) -> Field:
        """Return the field of that name (KeyError for an unknown one)."""
        return self.by_name[name]

    @property
    def by_name(self) -> dict[str, Field]:
        """Map field names to fields."""
        return {field.name: field for field in self.fields}


def _f(name: str, type_: str, vi: str, en: str, *synonyms: str, **extra: object) -> Field:
    return Field(name, type_, (vi, en, *synonyms), vi, en, **extra)  # type: ignore[arg-type]


LINE_NO = _f("line_no", TEXT, "STT", "No.", "Số thứ tự", "TT", "Số TT", "Item no", "#", "stt")

_DRUG_FIELDS = (
    _f(
        "product_name",
        TEXT,
        "Tên thuốc",
        "Product name",
        "Tên thương mại",
        "Tên thuốc/ Tên thương mại",
        "Tên biệt dược",
        "Tên vắc xin",
        "Brand name",
        "Trade name",
        "ten",
        "ten_thuoc",
    ),
    _f(
        "active_ingredient",
        TEXT,
        "Tên hoạt chất",
        "Active ingredient",
        "Hoạt chất",
        "Tên hoạt chất/ Tên thành phần của thuốc",
        "Tên thành phần",
        "Hoạt chất/ Thành phần",
        "Active ingredients",
        "INN",
        "Generic name",
        "hoatchat",
        "ten_hoat_chat",
    ),
    _f(
        "strength",
        TEXT,
        "Nồng độ, hàm lượng",
        "Strength",
        "Nồng độ - Hàm lượng",
        "Nồng độ/ hàm lượng",
        "Hàm lượng",
        "Nồng độ hàm lượng",
        "Dosage strength",
        "hamluong",
    ),
    _f("route", TEXT, "Đường dùng", "Route", "Route of administration", "duongdung"),
    _f("dosage_form", TEXT, "Dạng bào chế", "Dosage form", "Form", "dangbaoche"),
    _f(
        "route_form",
        TEXT,
        "Đường dùng, dạng bào chế",
        "Route and dosage form",
        "Đường dùng - dạng bào chế",
        "Dạng bào chế, đường dùng",
    ),
    _f(
        "drug_group",
        TEXT,
        "Nhóm thuốc",
        "Technical group",
        "Nhóm TCKT",
        "Nhóm tiêu chí kỹ thuật",
        "Nhóm",
        "Group",
        "nhomthau",
        "nhom_tckt",
    ),
    _f("unit", TEXT, "Đơn vị tính", "Unit", "ĐVT", "Đơn vị", "Unit of measure", "UoM", "donvitinh"),
)

_PRODUCT_FIELDS = (
    _f(
        "packaging",
        TEXT,
        "Quy cách đóng gói",
        "Packaging",
        "Quy cách",
        "Pack size",
        "Quy cách đóng gói/ Dạng đóng gói",
        "donggoi",
    ),
    _f(
        "registration_number",
        TEXT,
        "GĐKLH hoặc GPNK",
        "Registration number",
        "SĐK hoặc GPNK",
        "SĐK/GPNK",
        "Số đăng ký",
        "Visa/GPNK",
        "SĐK",
        "Số GĐKLH",
        "Số đăng ký/ Số GPNK",
        "GĐKLH/GPNK",
        "Marketing authorization",
        "Registration no",
        "sodk",
    ),
    _f(
        "manufacturer",
        TEXT,
        "Cơ sở sản xuất",
        "Manufacturer",
        "Tên cơ sở sản xuất",
        "Nhà sản xuất",
        "Hãng sản xuất",
        "Hãng SX",
        "Cơ sở SX",
        "nhasx",
    ),
    _f(
        "country",
        TEXT,
        "Nước sản xuất",
        "Country of manufacture",
        "Xuất xứ",
        "Nước SX",
        "NSX",
        "Country of origin",
        "Country",
        "Origin",
        "Hãng, nước sản xuất",
        "nuocsx",
    ),
)

_TENDER_FIELDS = (
    _f(
        "tender_code",
        TEXT,
        "Mã TBMT",
        "Tender code",
        "Số TBMT",
        "Mã thông báo mời thầu",
        "Tender ID",
        "Tender number",
        "ma_tbmt",
    ),
    _f("tender_name", TEXT, "Tên gói thầu", "Tender name", "Gói thầu", "Lot", "goithau"),
    _f(
        "procedure",
        TEXT,
        "Hình thức LCNT",
        "Procedure",
        "Hình thức lựa chọn nhà thầu",
        "Hình thức đấu thầu",
        "Procurement method",
        "Method",
        "hinhthuc",
    ),
    _f(
        "buyer",
        TEXT,
        "Chủ đầu tư",
        "Buyer",
        "Bên mời thầu",
        "Cơ sở y tế",
        "Đơn vị mua sắm",
        "Tên cơ sở KCB",
        "Tên đơn vị",
        "Procuring entity",
        "Purchaser",
        "Facility",
        "ten_cskcb",
    ),
    _f("province", TEXT, "Tỉnh", "Province", "Tỉnh/ Thành phố", "Tỉnh/TP", "Region", "ten_tinh"),
    _f("buyer_level", TEXT, "Tuyến", "Level", "Tuyến bệnh viện", "Facility level"),
    _f(
        "decision_number",
        TEXT,
        "Số quyết định",
        "Decision number",
        "Số QĐ",
        "Số quyết định phê duyệt",
        "Quyết định",
        "Award decision",
        "quyetdinh",
    ),
    _f(
        "decision_date",
        DATE,
        "Ngày ban hành quyết định",
        "Decision date",
        "Ngày quyết định",
        "Ngày QĐ",
        "Ngày phê duyệt",
        "Ngày phê duyệt KQLCNT",
        "Award date",
        "Date of award",
        "ngay_qd",
    ),
    _f(
        "bidder_count",
        INTEGER,
        "Số nhà thầu tham dự",
        "Number of bidders",
        "Số nhà thầu",
        "Số lượng nhà thầu",
        "Bidders",
        "so_nha_thau",
        minimum=0,
        maximum=10_000,
    ),
)

_AWARD_VALUE_FIELDS = (
    _f(
        "quantity",
        NUMBER,
        "Số lượng",
        "Quantity",
        "SL trúng thầu",
        "Số lượng trúng thầu",
        "SL",
        "Qty",
        "soluong",
        minimum=0,
        maximum=1e10,
    ),
    _f(
        "planned_unit_price",
        NUMBER,
        "Giá kế hoạch",
        "Planned unit price",
        "Đơn giá kế hoạch",
        "Giá kế hoạch (VND)",
        "Giá dự toán",
        "Estimated unit price",
        "gia_ke_hoach",
        minimum=0,
        maximum=1e11,
    ),
    _f(
        "unit_price",
        NUMBER,
        "Đơn giá trúng thầu",
        "Unit price",
        "Đơn giá trúng thầu (VND)",
        "Đơn giá",
        "Giá trúng thầu",
        "Giá trúng thầu (VNĐ)",
        "Đơn giá (có VAT)",
        "Đơn giá trúng thầu (có VAT)",
        "Awarded unit price",
        "Price",
        "gia",
        minimum=0,
        maximum=1e11,
    ),
    _f(
        "amount",
        NUMBER,
        "Thành tiền",
        "Amount",
        "Thành tiền (VND)",
        "Thành tiền (VNĐ)",
        "Giá trị trúng thầu",
        "Total value",
        "Total amount",
        "Value",
        "thanhtien",
        minimum=0,
        maximum=1e14,
    ),
    _f(
        "supplier",
        TEXT,
        "Nhà thầu trúng thầu",
        "Supplier",
        "Tên nhà thầu",
        "Tên nhà thầu trúng thầu",
        "Công ty trúng thầu",
        "Đơn vị trúng thầu",
        "Winning bidder",
        "Vendor",
        "Contractor",
        "tennhathau",
    ),
    _f("currency", TEXT, "Loại tiền", "Currency", "Tiền tệ", "Đơn vị tiền tệ"),
)

AWARDS = Kind(
    name="awards",
    fields=(LINE_NO, *_TENDER_FIELDS, *_DRUG_FIELDS, *_PRODUCT_FIELDS, *_AWARD_VALUE_FIELDS),
    required=(
        ("buyer",),
        ("decision_date",),
        ("product_name", "active_ingredient"),
        ("quantity",),
        ("unit_price",),
    ),
    numeric_evidence=("quantity", "unit_price", "amount"),
)

REFERENCE_PRICES = Kind(
    name="reference-prices",
    fields=(
        LINE_NO,
        *_DRUG_FIELDS,
        _PRODUCT_FIELDS[1],
        _f(
            "price",
            NUMBER,
            "Giá tham chiếu",
            "Reference price",
            "Giá tham chiếu (VND)",
            "Giá",
            "Đơn giá",
            "Giá trần",
            "Giá kê khai",
            "Giá đàm phán",
            "Price",
            minimum=0,
            maximum=1e11,
        ),
        _f("price_source", TEXT, "Nguồn", "Source", "Nguồn giá", "Loại giá", "Price source"),
        _f("valid_from", DATE, "Hiệu lực từ", "Valid from", "Ngày hiệu lực", "Từ ngày"),
        _f("valid_to", DATE, "Hiệu lực đến", "Valid to", "Đến ngày", "Ngày hết hiệu lực"),
        _AWARD_VALUE_FIELDS[-1],
    ),
    required=(("active_ingredient",), ("price",)),
    numeric_evidence=("price",),
)

REFERENCE_LIST = Kind(
    name="reference-list",
    fields=(
        LINE_NO,
        *_DRUG_FIELDS,
        _f(
            "list_type",
            TEXT,
            "Loại danh mục",
            "List type",
            "Danh mục",
            choices=(
                ("domestic-only", "domestic-only"),
                ("domestic only", "domestic-only"),
                ("trong nuoc", "domestic-only"),
                ("centralized", "centralized"),
                ("tap trung", "centralized"),
                ("negotiation", "negotiation"),
                ("dam phan gia", "negotiation"),
            ),
        ),
        _f("effective_date", DATE, "Ngày hiệu lực", "Effective date", "Hiệu lực từ"),
        _f("legal_basis", TEXT, "Căn cứ", "Legal basis", "Văn bản"),
    ),
    required=(("active_ingredient",), ("list_type",), ("effective_date",)),
    numeric_evidence=(),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (AWARDS, REFERENCE_PRICES, REFERENCE_LIST)}

FRAMEWORK_AGREEMENTS = Kind(
    name="framework-agreements",
    fields=(
        LINE_NO,
        _f(
            "agreement_number",
            TEXT,
            "Số thỏa thuận khung",
            "Agreement number",
            "Số TTK",
            "Số thỏa thuận",
            "Thỏa thuận khung",
            "Thỏa thuận khung số",
            "Framework agreement",
            "Framework agreement number",
            "Agreement no",
        ),
        _f(
            "holder",
            TEXT,
            "Đơn vị mua sắm tập trung",
            "Purchasing centre",
            "Đơn vị ký thỏa thuận khung",
            "Bên mời thầu",
            "Purchasing center",
            "Centralized purchasing unit",
            "Agreement holder",
        ),
        *_DRUG_FIELDS,
        _PRODUCT_FIELDS[1],
        _f(
            "supplier",
            TEXT,
            "Nhà thầu",
            "Supplier",
            "Nhà thầu trúng thầu",
            "Tên nhà thầu",
            "Tên nhà thầu trúng thầu",
            "Công ty trúng thầu",
            "Đơn vị trúng thầu",
            "Nhà cung cấp",
            "Winning bidder",
            "Vendor",
            "Contractor",
        ),
        _f(
            "price",
            NUMBER,
            "Đơn giá",
            "Price",
            "Đơn giá trúng thầu",
            "Đơn giá (có VAT)",
            "Giá trúng thầu",
            "Giá thỏa thuận khung",
            "Unit price",
            "Agreement price",
            minimum=0,
            maximum=1e11,
        ),
        _AWARD_VALUE_FIELDS[-1],
        _f(
            "valid_from",
            DATE,
            "Hiệu lực từ",
            "Valid from",
            "Ngày hiệu lực",
            "Từ ngày",
            "Start date",
        ),
        _f(
            "valid_to",
            DATE,
            "Hiệu lực đến",
            "Valid to",
            "Ngày hết hiệu lực",
            "Đến ngày",
            "End date",
            "Valid until",
        ),
        _f(
            "facility",
            TEXT,
            "Cơ sở y tế",
            "Facility",
            "Tên cơ sở y tế",
            "Đơn vị sử dụng",
            "Cơ sở KCB",
            "Tên cơ sở KCB",
            "Health facility",
            "ten_cskcb",
        ),
        _TENDER_FIELDS[4],
        _f(
            "allocated_quantity",
            NUMBER,
            "Số lượng phân bổ",
            "Allocated quantity",
            "SL phân bổ",
            "Số lượng",
            "Quantity",
            "Số lượng thỏa thuận",
            "Contracted quantity",
            minimum=0,
            maximum=1e10,
        ),
        _f(
            "delivered_quantity",
            NUMBER,
            "Số lượng đã giao",
            "Delivered quantity",
            "SL đã giao",
            "Số lượng đã cung ứng",
            "Đã giao",
            "Delivered",
            minimum=0,
            maximum=1e10,
        ),
        _f(
            "reported_on",
            DATE,
            "Tính đến ngày",
            "As of",
            "Ngày báo cáo",
            "Số liệu đến ngày",
            "Reported on",
            "Reporting date",
            "Delivered as of",
        ),
    ),
    required=(
        ("agreement_number",),
        ("active_ingredient",),
        ("supplier",),
        ("price",),
        ("valid_from",),
        ("valid_to",),
    ),
    numeric_evidence=("price", "allocated_quantity", "delivered_quantity"),
)
KINDS[FRAMEWORK_AGREEMENTS.name] = FRAMEWORK_AGREEMENTS


def _quantity(name: str, vi: str, en: str, *synonyms: str, signed: bool = False) -> Field:
    """A stock quantity: never absurd, and never negative unless it is an adjustment."""
    return _f(name, NUMBER, vi, en, *synonyms, minimum=-1e10 if signed else 0, maximum=1e10)


# Stock reports ("Báo cáo xuất nhập tồn", a facility's monthly logistics report). The English
# synonyms are OpenLMIS's and the logistics datasets' own (stock_initial, stock_end, ...), so an
# English export usually needs no profile; one period per row, from a date or year and month.
STOCK_REPORTS = Kind(
    name="stock-reports",
    fields=(
        LINE_NO,
        _f(
            "facility",
            TEXT,
            "Cơ sở y tế",
            "Facility",
            "Tên cơ sở y tế",
            "Đơn vị",
            "Tên đơn vị",
            "Đơn vị báo cáo",
            "Cơ sở KCB",
            "Health facility",
            "Facility name",
            "Site",
            "Site name",
            "Site code",
            "Facility code",
            "site_code",
            "facility_code",
        ),
        _TENDER_FIELDS[4],  # province
        _f(
            "period",
            DATE,
            "Kỳ báo cáo",
            "Period",
            "Tháng báo cáo",
            "Reporting period",
            "Period start",
            "Ngày báo cáo",
            "Report date",
        ),
        _f("period_months", INTEGER, "Số tháng", "Months in period", minimum=1, maximum=12),
        _f(
            "product_code",
            TEXT,
            "Mã thuốc",
            "Product code",
            "Mã hàng",
            "Mã sản phẩm",
            "Mã vật tư",
            "Item code",
            "product_code",
        ),
        *_DRUG_FIELDS,
        _PRODUCT_FIELDS[1],  # registration number
        _f(
            "category",
            TEXT,
            "Loại",
            "Category",
            "Phân loại",
            "Product category",
            choices=(
                ("vaccine", "vaccine"),
                ("vac xin", "vaccine"),
                ("tiem chung mo rong", "vaccine"),
                ("tcmr", "vaccine"),
                ("epi", "vaccine"),
                ("medicine", "medicine"),
                ("thuoc", "medicine"),
                ("drug", "medicine"),
            ),
        ),
        _quantity(
            "opening",
            "Tồn đầu kỳ",
            "Opening balance",
            "Tồn đầu",
            "Số lượng tồn đầu kỳ",
            "SL tồn đầu kỳ",
            "Beginning balance",
            "Stock initial",
            "stock_initial",
        ),
        _quantity(
            "received",
            "Nhập trong kỳ",
            "Received",
            "Nhập",
            "Số lượng nhập",
            "SL nhập trong kỳ",
            "Tổng nhập",
            "Quantity received",
            "Stock received",
            "stock_received",
        ),
        _quantity(
            "issued",
            "Xuất trong kỳ",
            "Issued",
            "Xuất",
            "Xuất sử dụng",
            "Số lượng xuất",
            "SL xuất trong kỳ",
            "Tổng xuất",
            "Sử dụng trong kỳ",
            "Consumption",
            "Consumed",
            "Quantity dispensed",
            "Quantity issued",
            "Dispensed",
            "Stock distributed",
            "stock_distributed",
        ),
        _quantity("losses", "Hư hao", "Losses", "Hư hỏng", "Hao hụt", "Quantity lost"),
        _quantity(
            "adjustments",
            "Hư hao, điều chỉnh",
            "Losses and adjustments",
            "Điều chỉnh",
            "Hư hao/ điều chỉnh",
            "Adjustments",
            "Stock adjustment",
            "stock_adjustment",
            signed=True,
        ),
        _quantity(
            "closing",
            "Tồn cuối kỳ",
            "Closing balance",
            "Tồn cuối",
            "Tồn kho",
            "Số lượng tồn cuối kỳ",
            "SL tồn cuối kỳ",
            "Stock on hand",
            "Ending balance",
            "Stock end",
            "stock_end",
            signed=True,  # a negative balance is kept for STK-08 to report, not refused
        ),
        _f(
            "stockout_days",
            NUMBER,
            "Số ngày hết hàng",
            "Stock-out days",
            "Số ngày hết thuốc",
            "Số ngày thiếu thuốc",
            "Ngày hết hàng",
            "Stockout days",
            "Days out of stock",
            "stock_stockout_days",
            minimum=0,
            maximum=366,
        ),
        _quantity(
            "amc",
            "Tiêu thụ bình quân tháng",
            "Average monthly consumption",
            "Sử dụng bình quân tháng",
            "Bình quân tháng",
            "AMC",
            "average_monthly_consumption",
        ),
        _quantity(
            "on_order",
            "Số lượng đặt hàng",
            "Quantity on order",
            "Đang đặt hàng",
            "Dự trù",
            "Quantity ordered",
            "Stock ordered",
            "stock_ordered",
        ),
        _f("lot_number", TEXT, "Số lô", "Lot number", "Lô", "Lô SX", "Batch", "Batch number"),
        _f("expiry_date", DATE, "Hạn dùng", "Expiry date", "Hạn sử dụng", "HSD", "Expiry"),
    ),
    required=(
        ("facility",),
        ("period",),
        ("product_code", "product_name", "active_ingredient"),
        ("closing",),
    ),
    numeric_evidence=("opening", "received", "issued", "closing"),
)
KINDS[STOCK_REPORTS.name] = STOCK_REPORTS

LIST_TYPES = ("domestic-only", "centralized", "negotiation")


def get_kind(name: str) -> Kind:
    """Return the kind of that name, or raise ValueError listing the known kinds."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown kind {name!r}; known kinds: {', '.join(KINDS)}") from None
