"""Auditors: the review queue, a flag's evidence, decisions and the Excel export."""

from flask import Blueprint

bp = Blueprint("review", __name__, template_folder="templates")

from web.review import views  # noqa: E402,F401
