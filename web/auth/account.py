"""The signed-in user's own account: changing their password, whatever their role."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from procurement.services.users import UserError, user_change_password
from web.admin.forms import ChangePasswordForm
from web.admin.sentences import sentence
from web.auth import bp
from web.auth.session import actor
from web.database import db
from web.extensions import login_manager


@bp.route("/account/password", methods=["GET", "POST"])
def password() -> Response | tuple[str, int]:
    """Change one's own password, given the current one."""
    who = actor()
    if who is None:
        abort(login_manager.unauthorized())
    form = ChangePasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            user_change_password(db(), who, form.current.data or "", form.password.data or "")
        except UserError as refused:
            db().rollback()
            error = sentence(refused)
        else:
            db().commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.index"))
    status = 422 if error or form.errors else 200
    return render_template("auth/password.html", form=form, error=error), status
