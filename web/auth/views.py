"""Sign in and out, switch language, and send each role to its own work."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from procurement.models.user import ADMIN, AUDITOR
from procurement.services.users import Throttled, authenticate
from web.auth import bp
from web.auth.forms import SignInForm
from web.auth.session import WebUser, actor
from web.database import db
from web.i18n import LANGUAGES, moment

HOME = {AUDITOR: "review.queue", ADMIN: "admin.users"}


@bp.get("/home")
def index() -> Response:
    """Send a visitor to sign in, and a user to their role's first page."""
    who = actor()
    if who is None:
        return redirect(url_for("auth.sign_in"))
    return redirect(url_for(HOME.get(who.role, "upload.imports")))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    """Check the name and password; throttle guessing; rotate the session on success."""
    if actor() is not None:
        return redirect(url_for("auth.index"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            who = authenticate(
                db(), form.username.data or "", form.password.data or "", request.remote_addr
            )
        except Throttled as throttled:
            db().commit()
            flash(
                _(
                    "Too many failed attempts. Try again after %(time)s.",
                    time=moment(throttled.until),
                ),
                "error",
            )
            return render_template("auth/sign_in.html", form=form), 429
        db().commit()
        if who is not None:
            language = session.get("language")
            session.clear()  # a new session: nothing from before sign-in carries over
            if language:
                session["language"] = language
            login_user(WebUser(who), fresh=True)
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))
        flash(_("Wrong user name or password."), "error")
        status = 401
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out() -> Response:
    """End the session."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in"))


@bp.post("/language/<code>")
def language(code: str) -> Response:
    """Switch the interface language and go back where the visitor was."""
    if code not in LANGUAGES:
        abort(404)
    session["language"] = code
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.index"))


def _safe_next(target: str | None) -> str | None:
    """Return a redirect target only if it stays on this site (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
