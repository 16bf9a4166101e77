"""Drug identity: folding, ingredients, strength, dosage form, route and the identity key."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.identity import (
    CANONICAL_FORMS,
    Strength,
    StrengthPart,
    canonical_dosage_form,
    canonical_route,
    identity_key,
    identity_key_from_text,
    ingredient_key,
    ingredients_as_written,
    parse_strength,
    split_ingredients,
)
from procurement.textkey import fold_key

NFD = "NFD"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Việt Nam", "viet nam", id="marks"),
        pytest.param(unicodedata.normalize(NFD, "Việt Nam"), "viet nam", id="nfd"),
        pytest.param("ĐƠN GIÁ", "don gia", id="d-stroke-upper"),
        pytest.param("  Nồng độ,  hàm lượng ", "nong do ham luong", id="punctuation-runs"),
        pytest.param("Tên hoạt chất/ Tên thành phần", "ten hoat chat ten thanh phan", id="slash"),
        pytest.param("a__b", "a b", id="underscore"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold_key(text: str, expected: str) -> None:
    assert fold_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Amoxicilin + Acid clavulanic", ("Acid clavulanic", "Amoxicilin"), id="plus-sorted"
        ),
        pytest.param("Paracetamol", ("Paracetamol",), id="single"),
        pytest.param(
            "Sulfamethoxazol/Trimethoprim", ("Sulfamethoxazol", "Trimethoprim"), id="slash-names"
        ),
        pytest.param("Vitamin B1, B6, B12", ("Vitamin B1, B6, B12",), id="vitamin-list-whole"),
        pytest.param(
            "Magnesi lactat dihydrat, Pyridoxin hydroclorid",
            ("Magnesi lactat dihydrat", "Pyridoxin hydroclorid"),
            id="comma-names",
        ),
        pytest.param("Paracetamol và  Codein", ("Codein", "Paracetamol"), id="va-and-spaces"),
        pytest.param("Lidocain and Epinephrin", ("Epinephrin", "Lidocain"), id="and"),
        pytest.param("Lamivudin; Zidovudin", ("Lamivudin", "Zidovudin"), id="semicolon"),
        pytest.param(
            "Amoxicilin (dưới dạng Amoxicilin trihydrat) + Acid clavulanic",
            ("Acid clavulanic", "Amoxicilin (dưới dạng Amoxicilin trihydrat)"),
            id="parentheses-kept-in-display",
        ),
        pytest.param(
            "Insulin (người/rDNA)", ("Insulin (người/rDNA)",), id="no-split-inside-parentheses"
        ),
        pytest.param("Natri clorid/ml", ("Natri clorid/ml",), id="slash-before-unit"),
        pytest.param("amoxicilin + Amoxicilin", ("amoxicilin",), id="duplicates"),
        pytest.param(None, (), id="none"),
        pytest.param("", (), id="empty"),
    ],
)
def test_split_ingredients(text: str | None, expected: tuple[str, ...]) -> None:
    assert split_ingredients(text) == expected


def test_ingredients_as_written_keep_order_and_nfc() -> None:
    text = unicodedata.normalize(NFD, "Amoxicilin + Acid clavulanic + Ácid")
    assert ingredients_as_written(text) == ("Amoxicilin", "Acid clavulanic", "Ácid")


def _parts(*parts: tuple[float, str, str | None]) -> tuple[StrengthPart, ...]:
    return tuple(StrengthPart(value, unit, 1.0 if per else None, per) for value, unit, per in parts)


@pytest.mark.parametrize(
    ("text", "key", "parts"),
    [
        pytest.param("500mg", "500mg", _parts((500, "mg", None)), id="mg"),
        pytest.param("500 mg", "500mg", _parts((500, "mg", None)), id="mg-space"),
        pytest.param("0,5g", "500mg", _parts((500, "mg", None)), id="comma-decimal-gram"),
        pytest.param("1g", "1000mg", _parts((1000, "mg", None)), id="gram"),
        pytest.param("250 µg", "250mcg", _parts((250, "mcg", None)), id="micro-sign"),
        pytest.param("50 microgram", "50mcg", _parts((50, "mcg", None)), id="microgram"),
        pytest.param(
            "875mg + 125mg", "875mg+125mg", _parts((875, "mg", None), (125, "mg", None)), id="plus"
        ),
        pytest.param(
            "875mg/125mg", "875mg+125mg", _parts((875, "mg", None), (125, "mg", None)), id="slash"
        ),
        pytest.param("875 + 125 mg", "875mg+125mg", None, id="shared-unit"),
        pytest.param("0,5g/1g", "500mg+1000mg", None, id="gram-combination"),
        pytest.param("40mg/ml", "40mg/ml", _parts((40, "mg", "ml")), id="per-ml"),
        pytest.param("40 mg/2 ml", "20mg/ml", _parts((20, "mg", "ml")), id="per-2ml"),
        pytest.param("10mg/10ml", "1mg/ml", _parts((1, "mg", "ml")), id="per-10ml"),
        pytest.param("200mg/5ml", "40mg/ml", _parts((40, "mg", "ml")), id="per-5ml"),
        pytest.param("1,5 mg/ 1,5 ml", "1mg/ml", None, id="comma-both-sides"),
        pytest.param("1g/100g", "10mg/g", _parts((10, "mg", "g")), id="per-100g"),
        pytest.param("25.000 IU/5ml", "5000iu/ml", None, id="thousands-iu-per-ml"),
        pytest.param("1.000.000 IU", "1000000iu", _parts((1e6, "iu", None)), id="thousands-dot"),
        pytest.param("1 triệu IU", "1000000iu", None, id="trieu"),
        pytest.param("3 MIU", "3000000iu", None, id="million-iu"),
        pytest.param("100 UI/ml", "100iu/ml", None, id="ui"),
        pytest.param("5 đvqt", "5iu", None, id="dvqt"),
        pytest.param("5%", "5%", _parts((5, "%", None)), id="percent"),
        pytest.param("0,9%", "0.9%", _parts((0.9, "%", None)), id="percent-comma"),
        pytest.param("0,9% 500ml", "0.9%+500ml", None, id="percent-and-volume"),
        pytest.param("500ml", "500ml", _parts((500, "ml", None)), id="volume"),
        pytest.param("1 lít", "1000ml", None, id="litre"),
        pytest.param("0,5 ml/liều", "0.5ml/dose", _parts((0.5, "ml", "dose")), id="per-dose"),
        pytest.param("100mcg/liều xịt", "100mcg/dose", None, id="per-puff"),
        pytest.param("500mg/viên", "500mg", None, id="per-tablet-dropped"),
        pytest.param(
            "10 Lf + 2 Lf", "10lf+2lf", _parts((10, "lf", None), (2, "lf", None)), id="vaccine-lf"
        ),
        pytest.param("≥ 10^7.5 CCID50", "31622800ccid50", None, id="vaccine-ccid50-power"),
        pytest.param("2 x 10^9 CFU", "2000000000cfu", None, id="coefficient-power"),
        pytest.param("720 EL.U/ml", "720elu/ml", None, id="elisa-units"),
        pytest.param("Amoxicilin 500mg; Acid clavulanic 125mg", "500mg+125mg", None, id="named"),
    ],
)
def test_parse_strength(text: str, key: str, parts: tuple[StrengthPart, ...] | None) -> None:
    strength = parse_strength(text)
    assert strength is not None
    assert strength.key == key
    if parts is not None:
        actual = [
            (part.value, part.unit, part.per_value, part.per_unit) for part in strength.components
        ]
        assert actual == [
            (pytest.approx(part.value), part.unit, part.per_value, part.per_unit) for part in parts
        ]


@pytest.mark.parametrize(
    "text", ["", None, "abc", "Vitamin B1, B6, B12", "500", "10^999 CCID50", "mg/ml"]
)
def test_parse_strength_none(text: str | None) -> None:
    assert parse_strength(text) is None


def test_strength_single_and_combination_properties() -> None:
    single = parse_strength("0,5g")
    combination = parse_strength("875mg/125mg")
    assert single is not None and (single.value, single.unit) == (500.0, "mg")
    assert combination is not None and (combination.value, combination.unit) == (None, None)


@given(st.text())
def test_parse_strength_never_raises(text: str) -> None:
    result = parse_strength(text)
    assert result is None or isinstance(result, Strength)


@given(st.text(alphabet="0123456789.,/+;% xmgulIUđvqtriệu^lieu", max_size=40))
def test_parse_strength_never_raises_on_number_soup(text: str) -> None:
    result = parse_strength(text)
    assert result is None or all(part.key for part in result.components)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        pytest.param("Viên nén", "tablet", id="vien-nen"),
        pytest.param("Viên nén bao phim", "tablet", id="film-coated"),
        pytest.param("viên bao đường", "tablet", id="sugar-coated"),
        pytest.param("Viên nén phân tán", "tablet", id="dispersible"),
        pytest.param("Film-coated tablet", "tablet", id="english-film-coated"),
        pytest.param("Viên sủi", "effervescent_tablet", id="effervescent"),
        pytest.param("Viên nén sủi bọt", "effervescent_tablet", id="effervescent-long"),
        pytest.param("Viên nén giải phóng kéo dài", "extended_release_tablet", id="er"),
        pytest.param(
            "Viên nén bao phim tác dụng kéo dài", "extended_release_tablet", id="er-film-coated"
        ),
        pytest.param("Prolonged-release tablet", "extended_release_tablet", id="er-english"),
        pytest.param("Viên nang", "capsule", id="capsule"),
        pytest.param("Viên nang cứng", "capsule", id="hard-capsule"),
        pytest.param("viên nang mềm", "capsule", id="soft-capsule"),
        pytest.param("Capsule", "capsule", id="capsule-english"),
        pytest.param("Dung dịch tiêm", "injection", id="solution-for-injection"),
        pytest.param("Thuốc tiêm", "injection", id="thuoc-tiem"),
        pytest.param("Tiêm", "injection", id="tiem"),
        pytest.param("Solution for injection", "injection", id="injection-english"),
        pytest.param("Bột pha tiêm", "powder_for_injection", id="powder-injection"),
        pytest.param("Bột đông khô pha tiêm", "powder_for_injection", id="lyophilized-vi"),
        pytest.param("Lyophilized powder", "powder_for_injection", id="lyophilized"),
        pytest.param("Dịch truyền", "infusion", id="dich-truyen"),
        pytest.param("Dung dịch tiêm truyền", "infusion", id="tiem-truyen"),
        pytest.param("Infusion", "infusion", id="infusion-english"),
        pytest.param("Hỗn dịch tiêm", "suspension_for_injection", id="vaccine-suspension"),
        pytest.param("Dung dịch uống", "oral_solution", id="oral-solution-bopv"),
        pytest.param("Siro", "syrup", id="siro"),
        pytest.param("Sirô", "syrup", id="siro-accent"),
        pytest.param("Hỗn dịch uống", "oral_suspension", id="oral-suspension"),
        pytest.param("Bột pha hỗn dịch uống", "powder_for_oral_suspension", id="powder-susp"),
        pytest.param("Cốm", "granules", id="com"),
        pytest.param("Thuốc cốm", "granules", id="thuoc-com"),
        pytest.param("Gói bột", "powder_oral", id="goi-bot"),
        pytest.param("Kem bôi", "cream", id="cream"),
        pytest.param("Thuốc mỡ", "ointment", id="ointment"),
        pytest.param("Mỡ tra mắt", "eye_ointment", id="eye-ointment"),
        pytest.param("Gel", "gel", id="gel"),
        pytest.param("Thuốc nhỏ mắt", "eye_drops", id="eye-drops"),
        pytest.param("Dung dịch nhỏ mắt", "eye_drops", id="eye-drops-solution"),
        pytest.param("Eye drops", "eye_drops", id="eye-drops-english"),
        pytest.param("Thuốc nhỏ tai", "ear_drops", id="ear-drops"),
        pytest.param("Thuốc xịt mũi", "nasal_spray", id="nasal-spray"),
        pytest.param("Khí dung", "inhalation", id="khi-dung"),
        pytest.param("Thuốc hít", "inhalation", id="hit"),
        pytest.param("Bình xịt định liều", "inhalation", id="metered-dose"),
        pytest.param("Inhaler", "inhalation", id="inhaler"),
        pytest.param("Viên đặt", "suppository", id="vien-dat"),
        pytest.param("Thuốc đặt", "suppository", id="thuoc-dat"),
        pytest.param("Viên nén đặt âm đạo", "suppository", id="vaginal-tablet"),
        pytest.param("Miếng dán", "patch", id="patch"),
        pytest.param(unicodedata.normalize(NFD, "VIÊN NÉN BAO PHIM"), "tablet", id="nfd-upper"),
        pytest.param("Something else", "other", id="unknown"),
        pytest.param("   ", None, id="blank"),
        pytest.param(None, None, id="none"),
    ],
)
def test_canonical_dosage_form(text: str | None, form: str | None) -> None:
    assert canonical_dosage_form(text) == form


@pytest.mark.parametrize(
    ("text", "route"),
    [
        pytest.param("Uống", "oral", id="uong"),
        pytest.param("Tiêm", "injection", id="tiem"),
        pytest.param("Tiêm bắp", "injection", id="im"),
        pytest.param("Tiêm tĩnh mạch", "injection", id="iv"),
        pytest.param("Tiêm dưới da", "injection", id="sc"),
        pytest.param("Dùng ngoài", "topical", id="dung-ngoai"),
        pytest.param("Bôi", "topical", id="boi"),
        pytest.param("Nhỏ mắt", "ophthalmic", id="nho-mat"),
        pytest.param("Tra mắt", "ophthalmic", id="tra-mat"),
        pytest.param("Hít", "inhalation", id="hit"),
        pytest.param("Đặt hậu môn", "rectal", id="rectal"),
        pytest.param("Đặt âm đạo", "vaginal", id="vaginal"),
        pytest.param("Xịt mũi", "nasal", id="nasal"),
        pytest.param("Oral", "oral", id="english"),
        pytest.param("Khác", "other", id="unknown"),
        pytest.param(None, None, id="none"),
    ],
)
def test_canonical_route(text: str | None, route: str | None) -> None:
    assert canonical_route(text) == route


@pytest.mark.parametrize(
    ("name", "key"),
    [
        pytest.param("Amlodipin besilat", "amlodipin", id="besilat"),
        pytest.param("Amlodipin", "amlodipin", id="base"),
        pytest.param("Metformin hydroclorid", "metformin", id="hydroclorid"),
        pytest.param("Diclofenac natri", "diclofenac", id="natri-salt"),
        pytest.param("Losartan kali", "losartan", id="kali-salt"),
        pytest.param("Atorvastatin calci", "atorvastatin", id="calci-salt"),
        pytest.param("Amoxicilin trihydrat", "amoxicilin", id="trihydrat"),
        pytest.param("Magnesi lactat dihydrat", "magnesi lactat", id="hydrate-only"),
        pytest.param("Natri clorid", "natri clorid", id="natri-clorid-kept"),
        pytest.param("Kali clorid", "kali clorid", id="kali-clorid-kept"),
        pytest.param("Calci carbonat", "calci carbonat", id="calci-carbonat-kept"),
        pytest.param("Magnesi sulfat", "magnesi sulfat", id="magnesi-sulfat-kept"),
        pytest.param("Amoxicilin (dưới dạng Amoxicilin trihydrat)", "amoxicilin", id="duoi-dang"),
    ],
)
def test_ingredient_key(name: str, key: str) -> None:
    assert ingredient_key(name) == key


@pytest.mark.parametrize(
    ("ingredients", "strength", "form", "key"),
    [
        pytest.param(
            ("Amoxicilin", "Acid clavulanic"),
            "875mg+125mg",
            "tablet",
            "acid clavulanic+amoxicilin|125mg+875mg|tablet",
            id="aligned-combination",
        ),
        pytest.param(
            ("Acid Clavulanic", "Amoxicilin"),
            "125mg/875mg",
            "Viên nén bao phim",
            "acid clavulanic+amoxicilin|125mg+875mg|tablet",
            id="aligned-reversed-and-raw-form",
        ),
        pytest.param(("Amlodipin besilat",), "5mg", "Viên nén", "amlodipin|5mg|tablet", id="salt"),
        pytest.param(
            ("Natri clorid",), "0,9%", "infusion", "natri clorid|0.9%|infusion", id="nacl"
        ),
        pytest.param(
            ("Vitamin B1", "Vitamin B6"),
            "100mg",
            None,
            "vitamin b1+vitamin b6|100mg|?",
            id="misaligned-strength-as-given",
        ),
        pytest.param((), None, None, "?|?|?", id="all-unknown"),
    ],
)
def test_identity_key(
    ingredients: tuple[str, ...], strength: str, form: str | None, key: str
) -> None:
    assert identity_key(ingredients, parse_strength(strength), form) == key


def test_identity_key_from_text_equal_for_reordered_combination() -> None:
    first = identity_key_from_text("Amoxicilin + Acid clavulanic", "875mg + 125mg", "Viên nén")
    second = identity_key_from_text("Acid Clavulanic+Amoxicilin", "125mg/875mg", "tablet")
    assert first == second == "acid clavulanic+amoxicilin|125mg+875mg|tablet"


def test_identity_key_salt_removed_but_natri_clorid_kept() -> None:
    assert identity_key(("Amlodipin besilat",), None, None) == identity_key(
        ("Amlodipin",), None, None
    )
    assert identity_key(("Natri clorid",), None, None).startswith("natri clorid|")


def test_canonical_forms_are_fixed_points() -> None:
    for form in CANONICAL_FORMS:
        assert identity_key(("X",), None, form).endswith(f"|{form}")


_NAMES = st.sampled_from(
    [
        "Amoxicilin",
        "Acid clavulanic",
        "Amlodipin besilat",
        "Natri clorid",
        "Paracetamol",
        "Đồng sulfat",
        "Kẽm gluconat",
        "Sulfamethoxazol",
        "Vitamin B12",
    ]
) | st.text(alphabet="abcdeghiklmnopqrstuvxyđăâêôơưáàảãạéèẻẽẹóòỏõọúùủũụíìỉĩịýỳỷỹỵ ", min_size=1)
_PARTS = st.builds(
    StrengthPart,
    st.floats(min_value=0.001, max_value=1e6, allow_nan=False),
    st.sampled_from(["mg", "mcg", "ml", "iu", "%"]),
)


@given(
    st.lists(st.tuples(_NAMES, _PARTS), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
    st.sampled_from([None, "tablet", "Viên nén bao phim", "Dung dịch tiêm"]),
)
def test_identity_key_invariant_to_order_case_and_normalization(
    pairs: list[tuple[str, StrengthPart]], rng: random.Random, form: str | None
) -> None:
    names, parts = zip(*pairs, strict=True)
    expected = identity_key(tuple(names), Strength(tuple(parts)), form)
    shuffled = list(pairs)
    rng.shuffle(shuffled)
    variants = [
        (name.upper(), part) if index % 2 else (unicodedata.normalize(NFD, name.lower()), part)
        for index, (name, part) in enumerate(shuffled)
    ]
    new_names, new_parts = zip(*variants, strict=True)
    assert identity_key(tuple(new_names), Strength(tuple(new_parts)), form) == expected


@given(st.lists(_NAMES, min_size=1, max_size=4))
def test_split_ingredients_invariant_to_order(names: list[str]) -> None:
    clean = [" ".join(name.split()) for name in names if name.strip()]
    forward, backward = " + ".join(clean), " + ".join(reversed(clean))
    assert [fold_key(n) for n in split_ingredients(forward)] == [
        fold_key(n) for n in split_ingredients(backward)
    ]
