"""The upload form and the withdrawal confirmation (both CSRF-protected)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from importers.fields import KINDS
from importers.profiles import shipped_profiles

EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")
AUTO = ""
KIND_NAMES = {
    "awards": _l("Award results"),
    "reference-prices": _l("Reference prices"),
    "reference-list": _l("Reference list"),
    "framework-agreements": _l("Framework agreements and deliveries"),
    "stock-reports": _l("Stock reports"),
}


def kind_name(kind: str) -> str:
    """Return the officer's name for an import kind."""
    return str(KIND_NAMES.get(kind, kind))


def profile_choices() -> list[tuple[str, str, str]]:
    """Return (name, title, kind) of every shipped profile, by kind then name."""
    return sorted((p.name, p.title or p.name, p.kind) for p in shipped_profiles())


class UploadForm(FlaskForm):
    """A file, what it holds, how its columns are laid out, and values for the whole file."""

    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])
    kind = SelectField(_l("What the file holds"), default="awards")
    profile = SelectField(_l("Column layout"), default=AUTO)
    buyer = StringField(_l("Buyer"), validators=[Optional(), Length(max=300)])
    decision_number = StringField(_l("Decision number"), validators=[Optional(), Length(max=100)])
    decision_date = StringField(_l("Decision date"), validators=[Optional(), Length(max=20)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(name, kind_name(name)) for name in KINDS]
        self.profile.choices = [SelectChoice(AUTO, str(_l("Detect automatically")))] + [
            SelectChoice(name, title, render_kw={"data-kind": kind})
            for name, title, kind in profile_choices()
        ]

    def validate_file(self, field: FileField) -> None:
        """Refuse a name without one of the accepted extensions, before anything is queued."""
        name = (field.data.filename or "") if field.data else ""
        if not name.lower().endswith(EXTENSIONS):
            raise ValidationError(
                _l(
                    "Upload an Excel (.xlsx, .xls), OpenDocument (.ods) or CSV (.csv) file; "
                    "this one is not."
                )
            )

    def validate_profile(self, field: SelectField) -> None:
        """Refuse a layout made for another kind of file."""
        kinds = {name: kind for name, _title, kind in profile_choices()}
        if field.data and kinds.get(field.data) != self.kind.data:
            raise ValidationError(
                _l("This column layout is for another kind of file; choose one for this kind.")
            )

    def fixed_values(self) -> dict[str, str]:
        """Return the values given for the whole file (the command line's --set)."""
        values = {
            "buyer": self.buyer.data,
            "decision_number": self.decision_number.data,
            "decision_date": self.decision_date.data,
        }
        return {name: value.strip() for name, value in values.items() if value and value.strip()}


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for actions that ask first."""
