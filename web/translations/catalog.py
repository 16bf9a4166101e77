"""Keep the Vietnamese catalog in step with the source: extract, merge, report what is missing.

Run from the project root: python -m web.translations.catalog
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

HERE = Path(__file__).parent
ROOT = HERE.parent.parent  # paths in the catalog are relative to the project, not this machine
TEMPLATE = HERE / "messages.pot"
CATALOG = HERE / "vi" / "LC_MESSAGES" / "messages.po"


def untranslated(path: Path = CATALOG) -> list[str]:
    """Return the message ids of the catalog that have no translation (or a fuzzy one)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [
        str(message.id)
        for message in catalog
        if message.id and (not _translated(message.string) or message.fuzzy)
    ]


def _translated(string: str | tuple[str, ...]) -> bool:
    """Tell whether a translation is there: every plural form of it, for a plural message."""
    return all(string) if isinstance(string, tuple) else bool(string)


def main() -> int:
    """Extract the messages, merge them into the Vietnamese catalog, list the untranslated."""
    pybabel = Path(sys.executable).parent / "pybabel"
    config, template = (path.relative_to(ROOT) for path in (HERE.parent / "babel.cfg", TEMPLATE))
    extract = [pybabel, "extract", "-F", config, "-k", "_l", "-o", template, "web"]
    subprocess.run(extract, check=True, cwd=ROOT)
    update = [pybabel, "update", "-i", TEMPLATE, "-d", HERE, "-l", "vi", "--ignore-obsolete"]
    subprocess.run(update, check=True)  # a message gone from the source leaves the catalog too
    missing = untranslated()
    for message in missing:
        print(f"untranslated: {message}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
