"""The Vietnamese catalog: every message of the app translated, placeholders kept, no English.

The messages are extracted afresh from the source (as `python -m web.translations.catalog`
does), so a string added without a translation fails here even if nobody ran the tool.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from web.translations.catalog import CATALOG, untranslated

WEB = Path(__file__).resolve().parents[2] / "web"
HOLES = re.compile(r"%\((\w+)\)[sd]")


def _extracted() -> dict[str, str | tuple[str, ...]]:
    """Return every message id in the web app's source, keyed by its singular form."""
    with (WEB / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found: dict[str, str | tuple[str, ...]] = {}
    for _, _, message, _, _ in extract_from_dir(WEB, method_map, options_map, keywords):
        found[message[0] if isinstance(message, tuple) else message] = message
    return found


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    with CATALOG.open("rb") as handle:
        return read_po(handle)


def test_the_catalog_has_no_untranslated_or_fuzzy_message() -> None:
    assert untranslated() == []


def test_every_message_of_the_source_is_translated_with_its_placeholders(catalog) -> None:  # type: ignore[no-untyped-def]
    extracted = _extracted()
    assert len(extracted) > 300  # the extraction found the app's strings
    wrong = {}
    for key, message in extracted.items():
        entry = catalog.get(message if isinstance(message, str) else message[0])
        if entry is None or entry.fuzzy:
            wrong[key] = "missing or fuzzy"
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(forms):
            wrong[key] = "empty"
        elif any(set(HOLES.findall(form)) != set(HOLES.findall(key)) for form in forms):
            wrong[key] = f"placeholders differ: {forms}"
    assert wrong == {}


def test_a_page_in_vietnamese_shows_no_english_navigation(login_as) -> None:  # type: ignore[no-untyped-def]
    admin: FlaskClient = login_as("admin")  # an administrator sees every link
    page = admin.get("/admin/rules").get_data(as_text=True)
    header = page.split("<main", 1)[0]
    words = re.findall(r">\s*([^<>]+?)\s*<", header)
    english = {"Upload", "Imports", "Review", "Users", "Rules", "Sign out", "administrator"}
    assert "Tải lên" in words and "Đăng xuất" in words
    assert english & set(words) == set()
    assert "English" in words  # the switch to English names its language in English
    body = page.split("<main", 1)[1]
    for heading in ("Rules", "Code", "Version", "Severity", "Parameters"):
        assert f">{heading}<" not in body
