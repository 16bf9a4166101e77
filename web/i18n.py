"""Vietnamese by default, English by a switch; money and dates as Vietnamese readers write them.

Message catalogs are kept as .po text in web/translations and compiled to .mo in the instance
folder when the app starts (the package folder may be read-only once installed), so no compiled
binary is committed and no build step is needed.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel
from flask_babel import lazy_gettext as _l

SOURCE = Path(__file__).parent / "translations"
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT = "vi"
VIETNAM = timezone(timedelta(hours=7))

ROLE_NAMES = {"officer": _l("officer"), "auditor": _l("auditor"), "admin": _l("administrator")}

babel = Babel()


def init_app(app: Flask) -> None:
    """Compile the catalogs, choose each request's language and add the formatting filters."""
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(SOURCE, compiled)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=current_language)
    app.jinja_env.filters.update(money=money, day=day, moment=moment, number=number, share=share)
    app.jinja_env.filters["role_name"] = lambda role: ROLE_NAMES.get(role, role)
    app.jinja_env.globals.update(languages=LANGUAGES, current_language=current_language)


def current_language() -> str:
    """Return the language the visitor chose (stored in the session), else Vietnamese."""
    chosen = session.get("language") if request else None
    return chosen if chosen in LANGUAGES else DEFAULT


def compile_catalogs(source: Path, target: Path) -> None:
    """Compile every .po under `source` to the same place under `target`, when it changed."""
    for po in source.glob("*/LC_MESSAGES/*.po"):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        # Each gunicorn worker compiles at start: a name of its own, then an atomic rename
        # (the same bytes whoever renames last).
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.part")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        partial.replace(mo)


def number(value: float | int | None, digits: int = 0) -> str:
    """Format a number as 1.234.567,8 (dot for thousands, comma for decimals)."""
    if value is None or value != value:  # NaN
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def money(value: float | int | None, currency: str | None = "VND") -> str:
    """Format money: 1.234.567 ₫ for đồng, else the amount and its currency code."""
    if value is None or value != value:
        return "–"
    if currency in (None, "", "VND"):
        return f"{number(value)} ₫"
    return f"{number(value, 2)} {currency}"


def share(value: float | None) -> str:
    """Format a share as 12,3%."""
    return "–" if value is None else f"{number(100 * value, 1)}%"


def day(value: date | datetime | str | None) -> str:
    """Format a date as dd/mm/yyyy (ISO text, as JSON evidence holds dates, is read too)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


def moment(value: datetime | None) -> str:
    """Format a time as dd/mm/yyyy hh:mm (UTC+7, the time officers read)."""
    if value is None:
        return "–"
    local = value if value.tzinfo else value.replace(tzinfo=UTC)
    return local.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
