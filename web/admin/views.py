"""Administration: users and their roles, the active rule pack with each rule's page, and the
scheduler's runs."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from procurement.services.job_runs import job_runs, job_schedules
from procurement.services.permissions import Actor
from procurement.services.users import (
    MIN_PASSWORD,
    UserError,
    UserView,
    user_add,
    user_get,
    user_list,
    user_set_password,
    user_update,
)
from rules.engine.pack import PackError
from web.admin import bp
from web.admin.forms import EditUserForm, NewUserForm, ResetPasswordForm
from web.admin.rules_view import pack_view, rule_page
from web.admin.sentences import sentence
from web.auth.session import require
from web.database import db
from web.i18n import current_language

Page = str | tuple[str, int] | Response


@bp.get("/admin/users")
def users() -> str:
    """List users with their role and last sign-in."""
    who = require("user.manage")
    return render_template("admin/users.html", users=user_list(db(), who), me=who.username)


@bp.route("/admin/users/new", methods=["GET", "POST"])
def user_new() -> Page:
    """Add a user with a role and a first password."""
    who = require("user.manage")
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            added = user_add(
                db(),
                who,
                form.username.data or "",
                form.display_name.data or "",
                form.role.data or "",
                form.password.data or "",
            )
        except UserError as error:
            db().rollback()
            return _new_page(form, sentence(error))
        db().commit()
        flash(_("User %(username)s added.", username=added.username), "success")
        return redirect(url_for("admin.users"))
    return _new_page(form, None)


@bp.route("/admin/users/<username>", methods=["GET", "POST"])
def user_edit(username: str) -> Page:
    """Change a user's name, role or whether they may sign in."""
    who = require("user.manage")
    user = _user(who, username)
    form = EditUserForm(data=_facts(user))
    if form.validate_on_submit():
        try:
            user_update(
                db(),
                who,
                user.username,
                role=form.role.data or "",
                display_name=form.display_name.data or "",
                active=bool(form.active.data),
            )
        except UserError as error:
            db().rollback()
            return _edit_page(who, user, form, ResetPasswordForm(formdata=None), sentence(error))
        db().commit()
        flash(_("Changes to %(username)s saved.", username=user.username), "success")
        return redirect(url_for("admin.user_edit", username=user.username))
    return _edit_page(who, user, form, ResetPasswordForm(formdata=None))


@bp.post("/admin/users/<username>/password")
def user_password(username: str) -> Page:
    """Set a new password for a user (who was told it some other way)."""
    who = require("user.manage")
    user = _user(who, username)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user_set_password(db(), who, user.username, form.password.data or "")
        except UserError as error:
            db().rollback()
            return _edit_page(who, user, _edit_form(user), form, sentence(error))
        db().commit()
        flash(_("The password of %(username)s is changed.", username=user.username), "success")
        return redirect(url_for("admin.user_edit", username=user.username))
    return _edit_page(who, user, _edit_form(user), form)


@bp.get("/admin/rules")
def rules() -> Page:
    """Show the active rule pack: every rule with its version, severity and parameters."""
    who = require("rules.view")
    try:
        pack = pack_view(who, current_app.config.get("RULE_PACK"), current_language())
    except PackError as error:
        return render_template("admin/rules.html", pack=None, error=str(error)), 500
    return render_template("admin/rules.html", pack=pack, error=None)


@bp.get("/admin/rules/<code>")
def rule(code: str) -> Page:
    """Show one rule's documentation: what it flags, why, parameters and a worked example."""
    who = require("rules.view")
    try:
        page = rule_page(who, current_app.config.get("RULE_PACK"), code, current_language())
    except PackError as error:
        return render_template("admin/rules.html", pack=None, error=str(error)), 500
    if page is None:
        abort(404)
    return render_template("admin/rule.html", page=page)


TRIGGER_NAMES = {"schedule": _l("on schedule"), "catch-up": _l("catch-up"), "manual": _l("manual")}
RUN_STATUS_NAMES = {"running": _l("running"), "succeeded": _l("succeeded"), "failed": _l("failed")}


@bp.context_processor
def _scheduler_names() -> dict[str, object]:
    return {
        "trigger_name": lambda t: TRIGGER_NAMES.get(t, t),
        "run_status_name": lambda s: RUN_STATUS_NAMES.get(s, s),
    }


@bp.get("/admin/scheduler")
def scheduler() -> str:
    """List the scheduler's runs, newest first, with the configured schedules."""
    who = require("scheduler.view")
    runs = job_runs(
        db(), who, request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"]
    )
    return render_template("admin/scheduler.html", runs=runs, schedules=job_schedules(who))


def _user(who: Actor, username: str) -> UserView:
    """Return the user a page is about; 404 when there is none."""
    try:
        return user_get(db(), who, username)
    except UserError:
        abort(404)


def _facts(user: UserView) -> dict[str, object]:
    return {"display_name": user.display_name, "role": user.role, "active": user.active}


def _edit_form(user: UserView) -> EditUserForm:
    """Return the edit form as stored, when the password form is the one sent."""
    return EditUserForm(formdata=None, data=_facts(user))


def _edit_page(
    who: Actor,
    user: UserView,
    form: EditUserForm,
    password_form: ResetPasswordForm,
    error: str | None = None,
) -> tuple[str, int]:
    """Render a user's page: 422 when a form comes back refused or with mistakes."""
    refused = error is not None or bool(form.errors) or bool(password_form.errors)
    page = render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        password_form=password_form,
        error=error,
        is_me=user.username == who.username,
    )
    return page, 422 if refused else 200


def _new_page(form: NewUserForm, error: str | None) -> tuple[str, int]:
    """Render the new-user form: 422 when it comes back refused or with mistakes."""
    page = render_template("admin/user_new.html", form=form, error=error, min_password=MIN_PASSWORD)
    return page, 422 if error is not None or form.errors else 200
