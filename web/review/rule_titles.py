"""Rule titles and families from the rule registry, in the reader's language.

The services do not import the rules package (procurement never imports rules), so the web
layer, a composition root like the command line, reads the registry and passes titles in.
"""

from __future__ import annotations

from rules import REGISTRY
from rules.engine.registry import FAMILIES
from web.i18n import current_language
from web.review.labels import FAMILY_NAMES


def rule_titles() -> dict[str, str]:
    """Return every registered rule's title by code, in the current language."""
    english = current_language() == "en"
    return {code: spec.title_en if english else spec.title_vi for code, spec in REGISTRY.items()}


def rule_title(code: str) -> str:
    """Return one rule's title in the current language ("" for a code no longer registered)."""
    spec = REGISTRY.get(code)
    if spec is None:
        return ""
    return spec.title_en if current_language() == "en" else spec.title_vi


def families() -> list[str]:
    """Return the rule families, in the order the filter lists them."""
    return [f for f in FAMILY_NAMES if f in FAMILIES]
