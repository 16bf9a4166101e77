"""Open data for anyone: downloads with their data dictionaries, and the OCDS release package."""

from flask import Blueprint

bp = Blueprint("opendata", __name__, template_folder="templates")

from web.opendata import views  # noqa: E402,F401
