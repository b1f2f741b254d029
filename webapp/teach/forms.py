from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Email, Length

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
