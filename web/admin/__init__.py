"""Administrators: users, and the active rule pack."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")

from web.admin import views  # noqa: E402,F401
