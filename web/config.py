"""Default settings; the instance file `settings.py` and PROCUREMENT_* variables override them."""

from __future__ import annotations

from datetime import timedelta

from procurement.config import database_url

DEFAULTS = {
    "DATABASE_URL": None,  # None: procurement.config.database_url() (env, then SQLite under var/)
    "SECRET_KEY": None,  # required outside tests: PROCUREMENT_SECRET_KEY or instance settings.py
    "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,  # uploads above this are refused with a sentence
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,  # PROCUREMENT_SESSION_COOKIE_SECURE=false for plain http
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": True,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "IMPORT_WORKERS": 2,  # background imports at once, per process
    "PAGE_SIZE": 50,
}


def resolved_database_url(configured: str | None) -> str:
    """Return the database URL the app uses: its own setting, else the CLI's rule."""
    return database_url(configured)
