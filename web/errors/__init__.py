"""Error pages: HTML for browsers, JSON for clients that ask for it."""

from flask import Blueprint

bp = Blueprint("errors", __name__, template_folder="templates")

from web.errors import handlers  # noqa: E402,F401
