"""Sign-in, sign-out, the language switch and the home page that sends each role to its work."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from web.auth import account, views  # noqa: E402,F401
