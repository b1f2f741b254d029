from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import HiddenInput

from webapp.home.queries import ROLE_NAMES
from webapp.models import ROLES


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email of the person to invite"),
        validators=[
            DataRequired(message=_l("Enter an email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(message=_l("Enter an email address like name@example.org."),
                  check_deliverability=False),
        ],
    )
    role = SelectField(
        _l("Role in this cohort"),
        choices=[(role, ROLE_NAMES[role]) for role in ROLES],
        validators=[DataRequired(message=_l("Choose a role."))],
    )
    group_id = SelectField(
        _l("Group (students and patient partners)"),
        coerce=int,
        description=_l("Optional. People can be moved between groups later."),
    )


class NameForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter a name.")),
                    Length(max=200, message=_l("A name has at most 200 characters."))],
    )


class RenameForm(NameForm):
    name = StringField(
        _l("New name"),
        validators=[DataRequired(message=_l("Enter a name.")),
                    Length(max=200, message=_l("A name has at most 200 characters."))],
    )


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""


class RosterForm(FlaskForm):
    file = FileField(
        _l("Roster file (CSV)"),
        description=_l("Columns: email, name, role, group. Comma or semicolon separated, "
                       "UTF-8. Nothing changes until you confirm the preview."),
        validators=[FileRequired(message=_l("Choose a CSV file to upload."))],
    )


class ConfirmRosterForm(FlaskForm):
    upload_id = HiddenField(validators=[DataRequired()])


class AddMemberForm(InviteForm):
    name = StringField(
        _l("Name"),
        description=_l("As the person wants it shown. They can change it when they join."),
        validators=[DataRequired(message=_l("Enter the person's name.")),
                    Length(max=120, message=_l("A name has at most 120 characters."))],
    )


class MemberForm(FlaskForm):
    account_id = HiddenField(validators=[DataRequired()])


class MoveForm(FlaskForm):
    account_id = HiddenField(validators=[DataRequired()])
    #: Read with ``small_int`` in the route (0 means "no group").
    group_id = StringField(_l("Move to"))


class SuggestForm(FlaskForm):
    count = IntegerField(
        _l("Number of groups"),
        validators=[InputRequired(message=_l("Enter how many groups you want.")),
                    NumberRange(min=1, max=500, message=_l("Choose between 1 and 500 groups."))],
    )
    seed = IntegerField(widget=HiddenInput(), default=0,
                        validators=[Optional(), NumberRange(min=0, max=2**31 - 1)])


_DT = "%Y-%m-%dT%H:%M"


class WhenField(DateTimeLocalField):
    """A date and time whose error says what to type."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Enter a real date and time, like 2027-01-31 17:00.")) from exc


def _when(label, description=None):
    return WhenField(label, format=_DT, description=description,
                              validators=[InputRequired(message=_l("Enter a date and time."))])


class AssignmentForm(FlaskForm):
    module_version_id = SelectField(_l("Module version"), coerce=int)
    opens_at = _when(_l("Opens"))
    due_at = _when(_l("Case due"))
    review_due_at = _when(_l("Reviews due"),
                          _l("On or after the case due date."))


class DatesForm(FlaskForm):
    opens_at = _when(_l("Opens"))
    due_at = _when(_l("Case due"))
    review_due_at = _when(_l("Reviews due"), _l("On or after the case due date."))


class ExtendForm(FlaskForm):
    #: The route checks the person belongs to the cohort (the choices only fill the menu).
    account_id = SelectField(_l("Person"), coerce=int, validate_choice=False)
    #: Its own name (not ``due_at``): the dates form on the same page has a ``due_at``, and
    #: two fields with one id leave a label pointing at the wrong box.
    extended_until = WhenField(
        _l("Their due date"), format=_DT,
        description=_l("Leave both empty to take the extra time away."),
        validators=[Optional()])
    extra_days = IntegerField(
        _l("Or: days after the cohort's due date"),
        description=_l("Counted on the calendar, at the same time of day."),
        validators=[Optional(), NumberRange(min=1, max=365,
                                            message=_l("Give between 1 and 365 days."))])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.extended_until.data and self.extra_days.data:
            self.extra_days.errors.append(
                _l("Give a due date or a number of days, not both."))
            return False
        return True


class VersionForm(FlaskForm):
    module_version_id = HiddenField(validators=[DataRequired()])


class NudgeForm(FlaskForm):
    group_id = HiddenField(validators=[DataRequired()])
