"""The queue's filter (a GET form, so a filtered queue is a link) and the decision forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length

from procurement.services.flag_review import DECISIONS, MAX_COMMENT


def choice(value: object, label: object) -> SelectChoice:
    """Return one option of a select."""
    return SelectChoice(str(value), str(label))


def any_choice() -> SelectChoice:
    """Return the option that filters nothing."""
    return choice("", _l("Any"))


class FilterForm(FlaskForm):
    """Which flags the queue shows. Choices are filled in by the view from the data."""

    class Meta:
        csrf = False  # a GET form: reading a filtered queue changes nothing

    rule = SelectField(_l("Rule"), choices=[], validate_choice=False)
    family = SelectField(_l("Family"), choices=[], validate_choice=False)
    severity = SelectField(_l("Severity"), choices=[], validate_choice=False)
    status = SelectField(_l("Status"), choices=[], validate_choice=False)
    buyer = SelectField(_l("Buyer"), choices=[], validate_choice=False)
    province = SelectField(_l("Province"), choices=[], validate_choice=False)
    year = SelectField(_l("Year"), choices=[], validate_choice=False)
    q = SearchField(_l("Text"), validators=[Length(max=200)])
    sort = HiddenField()


class DecisionForm(FlaskForm):
    """Confirm, dismiss or escalate, always with a comment. The buttons carry the decision."""

    decision = StringField(validators=[AnyOf(DECISIONS)])  # sent by the button pressed
    comment = TextAreaField(
        _l("Comment"),
        validators=[
            DataRequired(_l("Write a comment saying why.")),
            Length(max=MAX_COMMENT),
        ],
    )


class BulkDecisionForm(DecisionForm):
    """One decision on the flags ticked in the queue."""

    ids = SelectMultipleField(coerce=int, choices=[], validate_choice=False)
    next = HiddenField()


class StockFilterForm(FlaskForm):
    """Which series the stock-risk table shows. Choices are filled in by the view."""

    class Meta:
        csrf = False  # a GET form: a filtered table is a link

    facility = SelectField(_l("Facility"), choices=[], validate_choice=False)
    province = SelectField(_l("Province"), choices=[], validate_choice=False)
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    band = SelectField(_l("Risk"), choices=[], validate_choice=False)
    q = SearchField(_l("Product code or name"), validators=[Length(max=200)])
    sort = HiddenField()
