"""Demo catalog: provinces, buyers, manufacturers and suppliers as plain data.

Everything here is fixed data (no randomness): the generator draws from it with a seeded
random.Random. Names are realistic Vietnamese public buyers and pharmaceutical firms; the
numbers (sizes, GS1 prefixes) are demo assumptions, not facts about any firm.
"""

from __future__ import annotations

from dataclasses import dataclass

CENTRAL, PROVINCIAL, DISTRICT = "central", "provincial", "district"
HOSPITAL, HEALTH_DEPT, CDC, EPI, NATIONAL = "hospital", "health-dept", "cdc", "epi", "national"

# province -> (letterhead of its health department, place name in the date line)
PROVINCES: dict[str, tuple[str, str]] = {
    "Hà Nội": ("SỞ Y TẾ THÀNH PHỐ HÀ NỘI", "Hà Nội"),
    "TP. Hồ Chí Minh": ("SỞ Y TẾ THÀNH PHỐ HỒ CHÍ MINH", "TP. Hồ Chí Minh"),
    "Đà Nẵng": ("SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG", "Đà Nẵng"),
    "Hải Phòng": ("SỞ Y TẾ THÀNH PHỐ HẢI PHÒNG", "Hải Phòng"),
    "Cần Thơ": ("SỞ Y TẾ THÀNH PHỐ CẦN THƠ", "Cần Thơ"),
    "Nghệ An": ("SỞ Y TẾ TỈNH NGHỆ AN", "Nghệ An"),
    "Thanh Hóa": ("SỞ Y TẾ TỈNH THANH HÓA", "Thanh Hóa"),
    "Đắk Lắk": ("SỞ Y TẾ TỈNH ĐẮK LẮK", "Buôn Ma Thuột"),
    "Khánh Hòa": ("SỞ Y TẾ TỈNH KHÁNH HÒA", "Khánh Hòa"),
    "Quảng Ninh": ("SỞ Y TẾ TỈNH QUẢNG NINH", "Quảng Ninh"),
    "Thừa Thiên Huế": ("SỞ Y TẾ TỈNH THỪA THIÊN HUẾ", "Huế"),
}


@dataclass(frozen=True)
class Buyer:
    """A public buyer: name, province, level, role, decision-number suffix and size."""

    name: str
    province: str
    level: str
    role: str
    code: str  # decision number suffix: 215/QĐ-BV
    size: float  # quantity multiplier
    parent: str = ""  # letterhead row 1; the province's health department when empty

    def letterhead(self) -> str:
        """Return the parent authority printed in row 1 of the buyer's lists."""
        if self.parent:
            return self.parent
        return "BỘ Y TẾ" if self.level == CENTRAL else PROVINCES[self.province][0]

    def as_dict(self) -> dict[str, str]:
        """Return the buyer as the dict the layout writers take."""
        return {
            "name": self.name,
            "province": self.province,
            "level": self.level,
            "role": self.role,
            "parent": self.letterhead(),
            "place": PROVINCES[self.province][1],
        }


_B = Buyer
BUYERS: tuple[Buyer, ...] = (
    _B("Bệnh viện Bạch Mai", "Hà Nội", CENTRAL, HOSPITAL, "QĐ-BM", 4.0),
    _B("Bệnh viện Chợ Rẫy", "TP. Hồ Chí Minh", CENTRAL, HOSPITAL, "QĐ-BVCR", 4.0),
    _B("Bệnh viện Trung ương Huế", "Thừa Thiên Huế", CENTRAL, HOSPITAL, "QĐ-BVH", 3.0),
    _B("Bệnh viện Nhi Trung ương", "Hà Nội", CENTRAL, HOSPITAL, "QĐ-BVNTW", 2.0),
    _B("Bệnh viện Hữu nghị Việt Đức", "Hà Nội", CENTRAL, HOSPITAL, "QĐ-VĐ", 2.5),
    _B("Bệnh viện Đa khoa Trung ương Cần Thơ", "Cần Thơ", CENTRAL, HOSPITAL, "QĐ-BVĐKTW", 2.0),
    _B("Trung tâm Mua sắm tập trung thuốc Quốc gia", "Hà Nội", CENTRAL, NATIONAL, "QĐ-TTMS", 30.0),
    _B("Viện Vệ sinh Dịch tễ Trung ương", "Hà Nội", CENTRAL, EPI, "QĐ-VSDTTƯ", 25.0),
    _B("Bệnh viện Đa khoa tỉnh Nghệ An", "Nghệ An", PROVINCIAL, HOSPITAL, "QĐ-BV", 2.0),
    _B("Sở Y tế tỉnh Thanh Hóa", "Thanh Hóa", PROVINCIAL, HEALTH_DEPT, "QĐ-SYT", 6.0,
       "UBND TỈNH THANH HÓA"),
    _B("Bệnh viện Đa khoa tỉnh Thanh Hóa", "Thanh Hóa", PROVINCIAL, HOSPITAL, "QĐ-BVĐK", 1.8),
    _B("Bệnh viện Đa khoa vùng Tây Nguyên", "Đắk Lắk", PROVINCIAL, HOSPITAL, "QĐ-BVTN", 1.5),
    _B("Bệnh viện Đa khoa tỉnh Khánh Hòa", "Khánh Hòa", PROVINCIAL, HOSPITAL, "QĐ-BVĐK", 1.5),
    _B("Bệnh viện Đa khoa tỉnh Quảng Ninh", "Quảng Ninh", PROVINCIAL, HOSPITAL, "QĐ-BVT", 1.5),
    _B("Bệnh viện Đà Nẵng", "Đà Nẵng", PROVINCIAL, HOSPITAL, "QĐ-BVĐN", 2.0),
    _B("Bệnh viện Hữu nghị Việt Tiệp", "Hải Phòng", PROVINCIAL, HOSPITAL, "QĐ-BVVT", 1.8),
    _B("Bệnh viện Nhân dân 115", "TP. Hồ Chí Minh", PROVINCIAL, HOSPITAL, "QĐ-BV115", 2.0),
    _B("Bệnh viện Đa khoa thành phố Cần Thơ", "Cần Thơ", PROVINCIAL, HOSPITAL, "QĐ-BVĐKTP", 1.2),
    _B("Trung tâm Kiểm soát bệnh tật tỉnh Nghệ An", "Nghệ An", PROVINCIAL, CDC, "QĐ-KSBT", 3.0),
    _B("Trung tâm Kiểm soát bệnh tật tỉnh Đắk Lắk", "Đắk Lắk", PROVINCIAL, CDC, "QĐ-KSBT", 2.0),
    _B("Trung tâm Kiểm soát bệnh tật thành phố Hà Nội", "Hà Nội", PROVINCIAL, CDC, "QĐ-KSBT",
       4.0),
    _B("Trung tâm Y tế huyện Quỳnh Lưu", "Nghệ An", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.6),
    _B("Trung tâm Y tế huyện Hoằng Hóa", "Thanh Hóa", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.5),
    _B("Trung tâm Y tế huyện Krông Pắc", "Đắk Lắk", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.4),
    _B("Trung tâm Y tế huyện Diên Khánh", "Khánh Hòa", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.4),
    _B("Trung tâm Y tế huyện Thủy Nguyên", "Hải Phòng", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.6),
    _B("Bệnh viện Đa khoa huyện Đông Anh", "Hà Nội", DISTRICT, HOSPITAL, "QĐ-BV", 0.7),
    _B("Trung tâm Y tế huyện Củ Chi", "TP. Hồ Chí Minh", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.6),
    _B("Trung tâm Y tế huyện Hòa Vang", "Đà Nẵng", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.4),
    _B("Trung tâm Y tế huyện Tiên Yên", "Quảng Ninh", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.3),
    _B("Trung tâm Y tế huyện Phong Điền", "Cần Thơ", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.4),
    _B("Trung tâm Y tế huyện Phú Vang", "Thừa Thiên Huế", DISTRICT, HOSPITAL, "QĐ-TTYT", 0.4),
)  # fmt: skip
BUYER_BY_NAME: dict[str, Buyer] = {buyer.name: buyer for buyer in BUYERS}

# Buyers whose purchases the generator tilts to imported products (DOM-01 is planted on them).
LOW_DOMESTIC_BUYERS: tuple[str, ...] = ("Bệnh viện Chợ Rẫy", "Bệnh viện Đa khoa tỉnh Khánh Hòa")

# Country (Vietnamese) -> (GS1 prefix, English name)
COUNTRIES: dict[str, tuple[str, str]] = {
    "Việt Nam": ("893", "Viet Nam"),
    "Ấn Độ": ("890", "India"),
    "Pháp": ("300", "France"),
    "Đức": ("400", "Germany"),
    "Ý": ("800", "Italy"),
    "Tây Ban Nha": ("840", "Spain"),
    "Hàn Quốc": ("880", "Korea"),
    "Nhật Bản": ("499", "Japan"),
    "Thụy Sỹ": ("760", "Switzerland"),
    "Anh": ("500", "UK"),
    "Mỹ": ("001", "USA"),
    "Slovenia": ("383", "Slovenia"),
    "Áo": ("900", "Austria"),
    "Bỉ": ("540", "Belgium"),
    "Đan Mạch": ("570", "Denmark"),
    "Thụy Điển": ("730", "Sweden"),
    "Indonesia": ("899", "Indonesia"),
    "Hungary": ("599", "Hungary"),
}
VIETNAM = "Việt Nam"

# key -> (manufacturer name, country in Vietnamese)
MANUFACTURERS: dict[str, tuple[str, str]] = {
    "DHG": ("Công ty CP Dược Hậu Giang", VIETNAM),
    "IMEX": ("Công ty CP Dược phẩm Imexpharm", VIETNAM),
    "PME": ("Công ty CP Pymepharco", VIETNAM),
    "STELLA": ("Công ty TNHH Liên doanh Stellapharm - Chi nhánh 1", VIETNAM),
    "TRAPHACO": ("Công ty CP Traphaco", VIETNAM),
    "DOMESCO": ("Công ty CP Xuất nhập khẩu Y tế Domesco", VIETNAM),
    "BOSTON": ("Công ty CP Dược phẩm Boston Việt Nam", VIETNAM),
    "MEKO": ("Công ty CP Hóa - Dược phẩm Mekophar", VIETNAM),
    "PHARBACO": ("Công ty CP Dược phẩm Trung ương 1 - Pharbaco", VIETNAM),
    "BIDI": ("Công ty CP Dược - Trang thiết bị Y tế Bình Định (Bidiphar)", VIETNAM),
    "VIDIPHA": ("Công ty CP Dược phẩm Trung ương Vidipha", VIETNAM),
    "BBRAUN_VN": ("Công ty TNHH B. Braun Việt Nam", VIETNAM),
    "OPC": ("Công ty CP Dược phẩm OPC", VIETNAM),
    "AGIMEX": ("Công ty CP Dược phẩm Agimexpharm", VIETNAM),
    "DAVI": ("Công ty CP Dược phẩm Đạt Vi Phú", VIETNAM),
    "HASAN": ("Công ty TNHH Liên doanh Hasan - Dermapharm", VIETNAM),
    "SANOFI_VN": ("Công ty CP Sanofi Việt Nam", VIETNAM),
    "VABIOTECH": ("Công ty TNHH MTV Vắc xin và Sinh phẩm số 1 (Vabiotech)", VIETNAM),
    "IVAC": ("Viện Vắc xin và Sinh phẩm Y tế (IVAC)", VIETNAM),
    "POLYVAC": ("Trung tâm Nghiên cứu, Sản xuất Vắc xin và Sinh phẩm Y tế (Polyvac)", VIETNAM),
    "NANOGEN": ("Công ty CP Công nghệ Sinh học Dược Nanogen", VIETNAM),
    "SANOFI_FR": ("Sanofi Winthrop Industrie", "Pháp"),
    "SANOFI_PASTEUR": ("Sanofi Pasteur", "Pháp"),
    "SERVIER": ("Les Laboratoires Servier Industrie", "Pháp"),
    "GSK_UK": ("SmithKline Beecham Limited", "Anh"),
    "GSK_BE": ("GlaxoSmithKline Biologicals S.A.", "Bỉ"),
    "NOVARTIS_CH": ("Novartis Pharma Stein AG", "Thụy Sỹ"),
    "NOVARTIS_DE": ("Novartis Pharma Produktions GmbH", "Đức"),
    "ROCHE": ("F. Hoffmann-La Roche Ltd.", "Thụy Sỹ"),
    "PFIZER_US": ("Pfizer Pharmaceuticals LLC", "Mỹ"),
    "SANDOZ_SI": ("Lek Pharmaceuticals d.d. (Sandoz)", "Slovenia"),
    "SANDOZ_AT": ("Sandoz GmbH", "Áo"),
    "CADILA": ("Cadila Healthcare Ltd. (Zydus)", "Ấn Độ"),
    "SUN": ("Sun Pharmaceutical Industries Ltd.", "Ấn Độ"),
    "MICRO": ("Micro Labs Limited", "Ấn Độ"),
    "SII": ("Serum Institute of India Pvt. Ltd.", "Ấn Độ"),
    "BIOE": ("Biological E. Limited", "Ấn Độ"),
    "BORYUNG": ("Boryung Pharmaceutical Co., Ltd.", "Hàn Quốc"),
    "DAEWOONG": ("Daewoong Pharmaceutical Co., Ltd.", "Hàn Quốc"),
    "CKD": ("Chong Kun Dang Pharmaceutical Corp.", "Hàn Quốc"),
    "LGCHEM": ("LG Chem Ltd.", "Hàn Quốc"),
    "BERNA": ("Berna Biotech Korea Corp.", "Hàn Quốc"),
    "NOVO": ("Novo Nordisk A/S", "Đan Mạch"),
    "ASTRA": ("AstraZeneca AB", "Thụy Điển"),
    "FRESENIUS": ("Fresenius Kabi Deutschland GmbH", "Đức"),
    "BBRAUN_DE": ("B. Braun Melsungen AG", "Đức"),
    "BAYER": ("Bayer AG", "Đức"),
    "DOBFAR": ("ACS Dobfar S.p.A.", "Ý"),
    "NORMON": ("Laboratorios Normon S.A.", "Tây Ban Nha"),
    "GEDEON": ("Gedeon Richter Plc.", "Hungary"),
    "TAKEDA": ("Takeda Pharmaceutical Company Limited", "Nhật Bản"),
    "BIOFARMA": ("PT Bio Farma (Persero)", "Indonesia"),
}

# Distributors (winning bidders). The first six also carry imported lines.
SUPPLIERS: tuple[str, ...] = (
    "Công ty CP Dược phẩm Trung ương CPC1",
    "Công ty TNHH Zuellig Pharma Việt Nam",
    "Công ty CP Vimedimex",
    "Công ty TNHH DKSH Pharma Việt Nam",
    "Công ty CP Dược phẩm Thiết bị Y tế Hà Nội (Hapharco)",
    "Công ty TNHH MTV Dược Sài Gòn (Sapharco)",
    "Công ty CP Dược liệu Trung ương 2 (Phytopharma)",
    "Công ty CP Dược phẩm Trung ương 2 (Codupha)",
    "Công ty CP Dược phẩm Trung ương 3",
    "Công ty CP Dược - Vật tư Y tế Nghệ An",
    "Công ty CP Dược - Vật tư Y tế Thanh Hóa (Thephaco)",
    "Công ty CP Dược phẩm Khánh Hòa",
    "Công ty CP Dược - Vật tư Y tế Đắk Lắk",
    "Công ty TNHH Dược phẩm Việt Đức",
    "Công ty CP Dược phẩm Bến Tre",
    "Công ty CP Thương mại Dược phẩm Phú Thái",
    "Công ty TNHH Dược phẩm Minh Khang",
)
IMPORTERS: tuple[str, ...] = SUPPLIERS[:6]
LOCAL_SUPPLIERS: dict[str, str] = {
    "Nghệ An": SUPPLIERS[9], "Thanh Hóa": SUPPLIERS[10], "Khánh Hòa": SUPPLIERS[11],
    "Đắk Lắk": SUPPLIERS[12],
}  # fmt: skip
# Vaccine suppliers: the domestic makers sell directly, two firms import.
VACCINE_SUPPLIERS: tuple[str, ...] = (
    "Công ty TNHH MTV Vắc xin và Sinh phẩm số 1 (Vabiotech)",
    "Viện Vắc xin và Sinh phẩm Y tế (IVAC)",
    "Công ty CP Y tế Đức Minh",
    "Công ty TNHH Vắc xin Việt Nam Pharma",
    "Công ty CP Dược phẩm Trung ương CPC1",
    "Công ty CP Vimedimex",
)

# Tender names per role (formatted with year and a round number).
TENDER_NAMES: dict[str, tuple[str, ...]] = {
    HOSPITAL: (
        "Cung cấp thuốc generic năm {year}",
        "Mua sắm thuốc phục vụ công tác khám, chữa bệnh năm {year}",
        "Cung cấp thuốc generic, thuốc biệt dược gốc năm {year}",
    ),
    HEALTH_DEPT: ("Mua sắm tập trung thuốc cấp địa phương năm {year}",),
    CDC: ("Mua vắc xin phục vụ công tác tiêm chủng năm {year}",),
    EPI: ("Mua vắc xin Tiêm chủng mở rộng năm {year}",),
    NATIONAL: ("Mua sắm tập trung thuốc cấp quốc gia năm {year}",),
}
SUPPLEMENT_NAME = "Mua bổ sung thuốc năm {year} (đợt {round})"
DIRECT_NAME = "Mua sắm thuốc cấp cứu, bổ sung năm {year}"
NEGOTIATION_NAME = "Đàm phán giá thuốc biệt dược gốc năm {year}"

# Signature titles: (compiler, head of pharmacy, director) per role.
SIGNERS: dict[str, tuple[str, str, str]] = {
    HOSPITAL: ("NGƯỜI LẬP BIỂU", "TRƯỞNG KHOA DƯỢC", "GIÁM ĐỐC"),
    HEALTH_DEPT: ("NGƯỜI LẬP BIỂU", "TRƯỞNG PHÒNG NGHIỆP VỤ DƯỢC", "GIÁM ĐỐC"),
    CDC: ("NGƯỜI LẬP BIỂU", "TRƯỞNG KHOA DƯỢC - VẬT TƯ Y TẾ", "GIÁM ĐỐC"),
    EPI: ("NGƯỜI LẬP BIỂU", "TRƯỞNG PHÒNG VẬT TƯ", "VIỆN TRƯỞNG"),
    NATIONAL: ("NGƯỜI LẬP BIỂU", "TRƯỞNG PHÒNG NGHIỆP VỤ", "GIÁM ĐỐC"),
}
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Quang", "Ngọc", "Đức")
GIVEN_NAMES = ("Lan", "Hùng", "Hà", "Minh", "Tuấn", "Hương", "Dũng", "Mai", "Sơn", "Thảo", "Long")
