"""Auditors: the review queue, a flag's evidence, decisions, the Excel export, stock risk."""

from flask import Blueprint

bp = Blueprint("review", __name__, template_folder="templates")

from web.review import stock_views, views  # noqa: E402,F401
