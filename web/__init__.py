"""The Flask application: officers upload, auditors review, administrators manage.

`create_app` builds one app from defaults, the instance config file and PROCUREMENT_* environment
variables (tests pass a dict). Views are thin: they parse the request, call a service in
procurement/services with the signed-in actor, and render the view model it returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from procurement.config import data_dir
from web import database, i18n, security
from web.config import DEFAULTS
from web.extensions import csrf, login_manager
from web.paging import link_to


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `overrides` (tests) win over every other source of settings."""
    app = Flask(__name__, instance_path=str(data_dir() / "instance"), instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("settings.py", silent=True)
    app.config.from_prefixed_env("PROCUREMENT")
    if overrides:
        app.config.from_mapping(overrides)
    security.init_app(app)
    database.init_app(app)
    i18n.init_app(app)
    app.jinja_env.globals["link_to"] = link_to
    csrf.init_app(app)
    login_manager.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from web.admin import bp as admin
    from web.api import bp as api
    from web.auth import bp as auth
    from web.errors import bp as errors
    from web.opendata import bp as opendata
    from web.public import bp as public
    from web.review import bp as review
    from web.upload import bp as upload

    for blueprint in (auth, errors, public, upload, review, admin, opendata, api):
        app.register_blueprint(blueprint)
