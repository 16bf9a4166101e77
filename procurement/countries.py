"""Country tables: GS1 prefixes of 12-digit registration numbers and country spellings.

Origin decides the domestic share (DOM-01..03), and files name countries in Vietnamese and
English ("Pháp"/"France", "Hàn Quốc"/"Korea"), NFC or NFD, sometimes several in one cell
("CSSX: Đức; CSĐG và xuất xưởng: Thụy Sỹ"). Names are canonical English, the same in both
tables so a registration prefix and a country cell can be compared. The tables are data
(DOMAIN.md marks them [S]) and can move to configuration unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from procurement.textkey import fold_key

VIETNAM = "Vietnam"

# (first prefix, last prefix, country) of GS1 member organisations, 3-digit prefixes.
GS1_PREFIXES: tuple[tuple[int, int, str], ...] = (
    (0, 19, "United States"),
    (30, 39, "United States"),
    (60, 139, "United States"),
    (300, 379, "France"),
    (380, 380, "Bulgaria"),
    (383, 383, "Slovenia"),
    (385, 385, "Croatia"),
    (400, 440, "Germany"),
    (450, 459, "Japan"),
    (460, 469, "Russia"),
    (471, 471, "Taiwan"),
    (474, 474, "Estonia"),
    (475, 475, "Latvia"),
    (477, 477, "Lithuania"),
    (479, 479, "Sri Lanka"),
    (480, 480, "Philippines"),
    (481, 481, "Belarus"),
    (482, 482, "Ukraine"),
    (484, 484, "Moldova"),
    (489, 489, "Hong Kong"),
    (490, 499, "Japan"),
    (500, 509, "United Kingdom"),
    (520, 521, "Greece"),
    (529, 529, "Cyprus"),
    (535, 535, "Malta"),
    (539, 539, "Ireland"),
    (540, 549, "Belgium"),
    (560, 560, "Portugal"),
    (570, 579, "Denmark"),
    (590, 590, "Poland"),
    (594, 594, "Romania"),
    (599, 599, "Hungary"),
    (600, 601, "South Africa"),
    (622, 622, "Egypt"),
    (625, 625, "Jordan"),
    (626, 626, "Iran"),
    (628, 628, "Saudi Arabia"),
    (640, 649, "Finland"),
    (690, 699, "China"),
    (700, 709, "Norway"),
    (729, 729, "Israel"),
    (730, 739, "Sweden"),
    (750, 750, "Mexico"),
    (754, 755, "Canada"),
    (760, 769, "Switzerland"),
    (779, 779, "Argentina"),
    (789, 790, "Brazil"),
    (800, 839, "Italy"),
    (840, 849, "Spain"),
    (850, 850, "Cuba"),
    (858, 858, "Slovakia"),
    (859, 859, "Czech Republic"),
    (865, 865, "Mongolia"),
    (868, 869, "Turkey"),
    (870, 879, "Netherlands"),
    (880, 880, "South Korea"),
    (883, 883, "Myanmar"),
    (884, 884, "Cambodia"),
    (885, 885, "Thailand"),
    (888, 888, "Singapore"),
    (890, 890, "India"),
    (893, 893, VIETNAM),
    (896, 896, "Pakistan"),
    (899, 899, "Indonesia"),
    (900, 919, "Austria"),
    (930, 939, "Australia"),
    (940, 949, "New Zealand"),
    (955, 955, "Malaysia"),
)

# Canonical English name -> spellings seen in files (Vietnamese, English, abbreviations).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    VIETNAM: ("Việt Nam", "Vietnam", "VN", "CHXHCN Việt Nam"),
    "France": ("Pháp", "France", "Cộng hòa Pháp"),
    "Germany": ("Đức", "CHLB Đức", "Germany", "Deutschland"),
    "India": ("Ấn Độ", "India"),
    "South Korea": ("Hàn Quốc", "Hàn", "Đại Hàn", "Korea", "South Korea", "Republic of Korea"),
    "Japan": ("Nhật Bản", "Nhật", "Japan"),
    "Switzerland": ("Thụy Sỹ", "Thụy Sĩ", "Thuỵ Sỹ", "Switzerland"),
    "United Kingdom": ("Anh", "Vương quốc Anh", "Anh Quốc", "United Kingdom", "UK", "England"),
    "United States": ("Mỹ", "Hoa Kỳ", "USA", "U.S.A", "U.S", "United States", "America"),
    "Italy": ("Ý", "Italia", "Italy"),
    "Spain": ("Tây Ban Nha", "Spain"),
    "Belgium": ("Bỉ", "Belgium"),
    "Netherlands": ("Hà Lan", "Netherlands", "The Netherlands", "Holland"),
    "Austria": ("Áo", "Austria"),
    "Poland": ("Ba Lan", "Poland"),
    "Hungary": ("Hungary", "Hung-ga-ri", "Hungari"),
    "Cyprus": ("Síp", "Cyprus"),
    "Portugal": ("Bồ Đào Nha", "Portugal"),
    "China": ("Trung Quốc", "China", "PR China"),
    "Thailand": ("Thái Lan", "Thailand"),
    "Indonesia": ("Indonesia", "In-đô-nê-xi-a"),
    "Malaysia": ("Malaysia", "Ma-lai-xi-a"),
    "Singapore": ("Singapore", "Xin-ga-po"),
    "Pakistan": ("Pakistan",),
    "Bangladesh": ("Bangladesh", "Băng-la-đét"),
    "Argentina": ("Argentina", "Ác-hen-ti-na"),
    "Cuba": ("Cuba",),
    "Australia": ("Úc", "Australia"),
    "Canada": ("Canada",),
    "Ireland": ("Ireland", "Ai-len", "Ai Len", "Ailen"),
    "Slovenia": ("Slovenia", "Slo-ven-ni-a"),
    "Greece": ("Hy Lạp", "Greece"),
    "Turkey": ("Thổ Nhĩ Kỳ", "Turkey", "Türkiye"),
    "Russia": ("Nga", "Liên bang Nga", "Russia", "Russian Federation"),
    "Taiwan": ("Đài Loan", "Taiwan"),
    "Egypt": ("Ai Cập", "Egypt"),
    "Denmark": ("Đan Mạch", "Denmark"),
    "Sweden": ("Thụy Điển", "Sweden"),
    "Finland": ("Phần Lan", "Finland"),
    "Norway": ("Na Uy", "Norway"),
    "Czech Republic": ("Séc", "Cộng hòa Séc", "Czech", "Czech Republic", "Czechia"),
    "Slovakia": ("Slovakia", "Xlô-va-ki-a"),
    "Croatia": ("Croatia",),
    "Romania": ("Romania", "Rumani", "Ru-ma-ni"),
    "Bulgaria": ("Bulgaria", "Bungari"),
    "Latvia": ("Latvia",),
    "Lithuania": ("Lithuania", "Litva"),
    "Estonia": ("Estonia",),
    "Israel": ("Israel", "Ixraen"),
    "Jordan": ("Jordan", "Gioóc-đa-ni"),
    "Iran": ("Iran",),
    "Sri Lanka": ("Sri Lanka", "Xri Lan-ca"),
    "Philippines": ("Philippines", "Philippin", "Phi-líp-pin"),
    "Brazil": ("Brazil", "Braxin"),
    "Mexico": ("Mexico", "Mê-hi-cô"),
    "South Africa": ("Nam Phi", "South Africa"),
    "Saudi Arabia": ("Ả Rập Xê Út", "Saudi Arabia"),
    "Ukraine": ("Ukraine", "Ukraina"),
    "Belarus": ("Belarus",),
    "Moldova": ("Moldova",),
    "Mongolia": ("Mông Cổ", "Mongolia"),
    "Cambodia": ("Campuchia", "Cambodia"),
    "Myanmar": ("Myanmar",),
    "Malta": ("Malta",),
    "New Zealand": ("New Zealand", "Niu Di-lân"),
    "Hong Kong": ("Hồng Kông", "Hong Kong"),
}

# Folded words that introduce the country of manufacture inside a cell naming several.
MANUFACTURING_LABELS: tuple[str, ...] = ("cssx", "san xuat", "nsx", "manufactured", "made in")

_ALIASES: dict[tuple[str, ...], str] = {
    tuple(fold_key(alias).split()): country
    for country, aliases in COUNTRY_ALIASES.items()
    for alias in (*aliases, country)
}
_LONGEST_ALIAS = max(len(words) for words in _ALIASES)
_LABELS = tuple(tuple(label.split()) for label in MANUFACTURING_LABELS)


def country_from_gs1_prefix(prefix: int) -> str | None:
    """Return the country of a 3-digit GS1 prefix, None when unassigned here."""
    return next((name for low, high, name in GS1_PREFIXES if low <= prefix <= high), None)


def _scan(words: list[str], start: int) -> tuple[str, int] | None:
    """Match the longest alias at `start`; return (country, words used)."""
    for size in range(min(_LONGEST_ALIAS, len(words) - start), 0, -1):
        country = _ALIASES.get(tuple(words[start : start + size]))
        if country:
            return country, size
    return None


def _found(text: str) -> tuple[list[tuple[int, str]], int | None]:
    """Return (word position, country) of each mention and the first label's position."""
    words = fold_key(text).split()
    mentions: list[tuple[int, str]] = []
    label_at: int | None = None
    index = 0
    while index < len(words):
        if label_at is None and any(tuple(words[index : index + len(lb)]) == lb for lb in _LABELS):
            label_at = index
        match = _scan(words, index)
        if match:
            mentions.append((index, match[0]))
        index += match[1] if match else 1
    return mentions, label_at


@lru_cache(maxsize=65536)
def countries_in(text: str | None) -> tuple[str, ...]:
    """Return every country a cell names, canonical English, in order, without repeats."""
    if not text:
        return ()
    return tuple(dict.fromkeys(country for _, country in _found(text)[0]))


@lru_cache(maxsize=65536)
def normalize_country(text: str | None) -> str | None:
    """Return the country of manufacture a cell names: after "CSSX:"/"sản xuất", else the first."""
    if not text:
        return None
    mentions, label_at = _found(text)
    if label_at is not None:
        labelled = [country for index, country in mentions if index > label_at]
        if labelled:
            return labelled[0]
    return mentions[0][1] if mentions else None
