"""Response headers and cookie settings that every page carries, and requests no page takes.

The CSP allows no inline script or style: every script and stylesheet is a file the app serves,
so the app works offline and an injected <script> does not run.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.datastructures import MultiDict

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Refuse to start without a secret key, and add the headers to every response."""
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "set PROCUREMENT_SECRET_KEY (or SECRET_KEY in the instance settings.py): it signs "
            "session cookies and CSRF tokens"
        )

    @app.before_request
    def _refuse_nul() -> None:
        # no page takes a NUL byte in its address, query or form; PostgreSQL refuses it in text,
        # so let it through and a search becomes a 500 there (SQLite would just find nothing)
        if "\x00" in request.path or _has_nul(request.args):
            abort(400)
        if request.mimetype == "application/x-www-form-urlencoded" and _has_nul(request.form):
            abort(400)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _has_nul(values: MultiDict[str, str]) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))
