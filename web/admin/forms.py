"""Forms for users and passwords (CSRF-protected like every form).

The forms check only what a browser can get wrong (a field left empty, the two passwords typed
differently); the users service decides the rest and its refusal is shown on the form.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NoneOf

from procurement.models.user import ROLES
from web.i18n import ROLE_NAMES

_SAME = _l("The two passwords differ.")


def _lower(value: str | None) -> str | None:
    return value.strip().lower() if value else value


def _roles() -> list[SelectChoice]:
    return [SelectChoice(role, str(ROLE_NAMES[role])) for role in ROLES]


class NewPasswordMixin:
    """A new password typed twice."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("New password again"), validators=[DataRequired(), EqualTo("password", _SAME)]
    )


class NewUserForm(NewPasswordMixin, FlaskForm):
    """A user name, a display name, a role and a first password."""

    username = StringField(
        _l("User name"),
        # /admin/users/new is this form's own address, so no user may be called "new"
        validators=[DataRequired(), Length(max=100), NoneOf(["new"], _l("Choose another name."))],
        filters=[_lower],
    )
    display_name = StringField(_l("Full name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=_roles, validators=[DataRequired()])


class EditUserForm(FlaskForm):
    """What an administrator may change about a user."""

    display_name = StringField(_l("Full name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=_roles, validators=[DataRequired()])
    active = BooleanField(_l("May sign in"))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    """A new password an administrator sets for a user."""


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    """The signed-in user's current password and a new one."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
