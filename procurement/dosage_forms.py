"""Dosage form ("Dạng bào chế") and route ("Đường dùng") mapped to small canonical sets.

Peers for PRC-02 and the domestic-only list (DOM-03) are matched on the dosage form, which files
write freely: "Viên nén bao phim", "viên bao phim", "Film-coated tablet". The phrase tables are
plain data (phrase, canonical value) so they can move to configuration; matching folds the text
with `fold_key` and the longest phrase found as whole words wins, ties going to the earlier row.
A modifier ("giải phóng kéo dài", "sủi") then refines a tablet or capsule wherever it appears.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from procurement.textkey import fold_key

OTHER = "other"

DOSAGE_FORM_PHRASES: tuple[tuple[str, str], ...] = (
    # tablets
    ("viên nén", "tablet"),
    ("viên nén bao phim", "tablet"),
    ("viên bao phim", "tablet"),
    ("viên bao đường", "tablet"),
    ("viên nén phân tán", "tablet"),
    ("viên phân tán", "tablet"),
    ("viên nhai", "tablet"),
    ("viên ngậm", "tablet"),
    ("viên", "tablet"),
    ("tablet", "tablet"),
    ("tablets", "tablet"),
    ("film coated tablet", "tablet"),
    ("viên sủi", "effervescent_tablet"),
    ("viên nén sủi bọt", "effervescent_tablet"),
    ("effervescent tablet", "effervescent_tablet"),
    # capsules
    ("viên nang", "capsule"),
    ("viên nang cứng", "capsule"),
    ("viên nang mềm", "capsule"),
    ("nang", "capsule"),
    ("capsule", "capsule"),
    ("capsules", "capsule"),
    # injections
    ("tiêm", "injection"),
    ("thuốc tiêm", "injection"),
    ("dung dịch tiêm", "injection"),
    ("nhũ tương tiêm", "injection"),
    ("injection", "injection"),
    ("solution for injection", "injection"),
    ("bột pha tiêm", "powder_for_injection"),
    ("bột đông khô pha tiêm", "powder_for_injection"),
    ("bột pha dung dịch tiêm", "powder_for_injection"),
    ("bột đông khô", "powder_for_injection"),
    ("thuốc bột pha tiêm", "powder_for_injection"),
    ("powder for injection", "powder_for_injection"),
    ("powder for solution for injection", "powder_for_injection"),
    ("lyophilized", "powder_for_injection"),
    ("lyophilised", "powder_for_injection"),
    ("hỗn dịch tiêm", "suspension_for_injection"),
    ("suspension for injection", "suspension_for_injection"),
    ("dịch truyền", "infusion"),
    ("tiêm truyền", "infusion"),
    ("dung dịch truyền", "infusion"),
    ("dung dịch tiêm truyền", "infusion"),
    ("bột pha tiêm truyền", "powder_for_injection"),
    ("infusion", "infusion"),
    ("solution for infusion", "infusion"),
    # oral liquids and powders
    ("dung dịch uống", "oral_solution"),
    ("thuốc nước uống", "oral_solution"),
    ("oral solution", "oral_solution"),
    ("siro", "syrup"),
    ("siro thuốc", "syrup"),
    ("syrup", "syrup"),
    ("hỗn dịch uống", "oral_suspension"),
    ("oral suspension", "oral_suspension"),
    ("bột pha hỗn dịch uống", "powder_for_oral_suspension"),
    ("cốm pha hỗn dịch uống", "powder_for_oral_suspension"),
    ("powder for oral suspension", "powder_for_oral_suspension"),
    ("cốm", "granules"),
    ("thuốc cốm", "granules"),
    ("cốm pha dung dịch uống", "granules"),
    ("granules", "granules"),
    ("gói bột", "powder_oral"),
    ("bột uống", "powder_oral"),
    ("thuốc bột", "powder_oral"),
    ("bột pha dung dịch uống", "powder_oral"),
    ("oral powder", "powder_oral"),
    # topical
    ("kem", "cream"),
    ("kem bôi", "cream"),
    ("kem bôi da", "cream"),
    ("cream", "cream"),
    ("thuốc mỡ", "ointment"),
    ("mỡ bôi", "ointment"),
    ("mỡ bôi da", "ointment"),
    ("ointment", "ointment"),
    ("mỡ tra mắt", "eye_ointment"),
    ("thuốc mỡ tra mắt", "eye_ointment"),
    ("eye ointment", "eye_ointment"),
    ("gel", "gel"),
    ("gel bôi", "gel"),
    ("gel bôi da", "gel"),
    ("miếng dán", "patch"),
    ("cao dán", "patch"),
    ("patch", "patch"),
    ("transdermal", "patch"),
    # eyes, ears, nose, lungs
    ("nhỏ mắt", "eye_drops"),
    ("thuốc nhỏ mắt", "eye_drops"),
    ("dung dịch nhỏ mắt", "eye_drops"),
    ("hỗn dịch nhỏ mắt", "eye_drops"),
    ("eye drops", "eye_drops"),
    ("nhỏ tai", "ear_drops"),
    ("thuốc nhỏ tai", "ear_drops"),
    ("dung dịch nhỏ tai", "ear_drops"),
    ("ear drops", "ear_drops"),
    ("xịt mũi", "nasal_spray"),
    ("thuốc xịt mũi", "nasal_spray"),
    ("dung dịch xịt mũi", "nasal_spray"),
    ("hỗn dịch xịt mũi", "nasal_spray"),
    ("nasal spray", "nasal_spray"),
    ("nhỏ mũi", "nasal_drops"),
    ("dung dịch nhỏ mũi", "nasal_drops"),
    ("khí dung", "inhalation"),
    ("dung dịch khí dung", "inhalation"),
    ("hỗn dịch khí dung", "inhalation"),
    ("hít", "inhalation"),
    ("thuốc hít", "inhalation"),
    ("bột hít", "inhalation"),
    ("bình xịt định liều", "inhalation"),
    ("inhaler", "inhalation"),
    ("inhalation", "inhalation"),
    # suppositories
    ("viên đặt", "suppository"),
    ("thuốc đặt", "suppository"),
    ("viên đạn", "suppository"),
    ("đặt âm đạo", "suppository"),
    ("đặt hậu môn", "suppository"),
    ("suppository", "suppository"),
    # generic fallbacks, last so that ties favour the specific rows above
    ("dung dịch", "solution"),
    ("solution", "solution"),
    ("hỗn dịch", "suspension"),
    ("suspension", "suspension"),
    ("nhũ tương", "emulsion"),
    ("emulsion", "emulsion"),
    ("bột", "powder"),
    ("powder", "powder"),
)

# (phrase, form it refines, refined form)
FORM_MODIFIERS: tuple[tuple[str, str, str], ...] = (
    ("giải phóng kéo dài", "tablet", "extended_release_tablet"),
    ("tác dụng kéo dài", "tablet", "extended_release_tablet"),
    ("giải phóng có kiểm soát", "tablet", "extended_release_tablet"),
    ("prolonged release", "tablet", "extended_release_tablet"),
    ("extended release", "tablet", "extended_release_tablet"),
    ("modified release", "tablet", "extended_release_tablet"),
    ("sủi", "tablet", "effervescent_tablet"),
    ("giải phóng kéo dài", "capsule", "extended_release_capsule"),
    ("tác dụng kéo dài", "capsule", "extended_release_capsule"),
    ("prolonged release", "capsule", "extended_release_capsule"),
    ("extended release", "capsule", "extended_release_capsule"),
)

ROUTE_PHRASES: tuple[tuple[str, str], ...] = (
    ("uống", "oral"),
    ("đường uống", "oral"),
    ("ngậm", "oral"),
    ("oral", "oral"),
    ("tiêm", "injection"),
    ("tiêm bắp", "injection"),
    ("tiêm tĩnh mạch", "injection"),
    ("tiêm dưới da", "injection"),
    ("tiêm truyền", "injection"),
    ("truyền tĩnh mạch", "injection"),
    ("injection", "injection"),
    ("intravenous", "injection"),
    ("intramuscular", "injection"),
    ("subcutaneous", "injection"),
    ("iv", "injection"),
    ("im", "injection"),
    ("dùng ngoài", "topical"),
    ("bôi", "topical"),
    ("bôi ngoài da", "topical"),
    ("ngoài da", "topical"),
    ("topical", "topical"),
    ("nhỏ mắt", "ophthalmic"),
    ("tra mắt", "ophthalmic"),
    ("ophthalmic", "ophthalmic"),
    ("hít", "inhalation"),
    ("khí dung", "inhalation"),
    ("inhalation", "inhalation"),
    ("đặt hậu môn", "rectal"),
    ("trực tràng", "rectal"),
    ("rectal", "rectal"),
    ("đặt âm đạo", "vaginal"),
    ("vaginal", "vaginal"),
    ("nhỏ mũi", "nasal"),
    ("xịt mũi", "nasal"),
    ("nasal", "nasal"),
)


def _folded(table: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Fold the phrases and order them longest first (stable, so ties keep table order)."""
    rows = [(f" {fold_key(phrase)} ", value) for phrase, value in table]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


_FORMS = _folded(DOSAGE_FORM_PHRASES)
_ROUTES = _folded(ROUTE_PHRASES)
_MODIFIERS = tuple((f" {fold_key(p)} ", base, refined) for p, base, refined in FORM_MODIFIERS)


def _longest(text: str, table: tuple[tuple[str, str], ...]) -> str:
    padded = f" {fold_key(text)} "
    return next((value for phrase, value in table if phrase in padded), OTHER)


@lru_cache(maxsize=65536)
def canonical_dosage_form(text: str | None) -> str | None:
    """Map a dosage-form phrase to a canonical form; "other" if unknown, None if blank."""
    if text is None or not fold_key(text):
        return None
    form = _longest(text, _FORMS)
    padded = f" {fold_key(text)} "
    refined = (new for phrase, base, new in _MODIFIERS if base == form and phrase in padded)
    return next(refined, form)


@lru_cache(maxsize=65536)
def canonical_route(text: str | None) -> str | None:
    """Map a route phrase to oral, injection, topical, ophthalmic, ...; "other" if unknown."""
    if text is None or not fold_key(text):
        return None
    return _longest(text, _ROUTES)
