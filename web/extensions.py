"""Extensions created once at module level and bound to an app with init_app (flaskr)."""

from __future__ import annotations

from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.session_protection = "strong"
