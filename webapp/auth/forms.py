"""Forms for signing in, passwords, links and invitations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from webapp.auth.passwords import MAX_LENGTH

_EMAIL = [
    DataRequired(message=_l("Enter your email address.")),
    Length(max=254, message=_l("An email address has at most 254 characters.")),
    Email(message=_l("Enter an email address like name@example.org."), check_deliverability=False),
]


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=_EMAIL)
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(max=MAX_LENGTH, message=_l("That password is too long.")),
        ],
    )
    next = HiddenField()
    #: Set when signing in again to finish a post that an expired sign-in interrupted.
    resume = HiddenField()


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("Email"), validators=_EMAIL)


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Choose a password."))],
        description=_l("At least 12 characters. A few unrelated words together work well."),
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            DataRequired(message=_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )


class ConfirmForm(FlaskForm):
    """A button only: used where a GET must not change anything (links, sign-out)."""


class NameForm(FlaskForm):
    display_name = StringField(
        _l("Your name, as others see it"),
        description=_l("Shown to your group, your educators and the people who review "
                       "your group's work."),
        validators=[
            DataRequired(message=_l("Enter the name you would like others to see.")),
            Length(max=120, message=_l("Use at most 120 characters.")),
        ],
    )


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(
        _l("Your name, as others in the group will see it"),
        validators=[
            DataRequired(message=_l("Enter the name you would like others to see.")),
            Length(max=120, message=_l("Use at most 120 characters.")),
        ],
    )
    how = RadioField(
        _l("How would you like to sign in?"),
        choices=[
            ("password", _l("With a password I choose")),
            ("link", _l("Email me a sign-in link each time")),
        ],
        default="password",
        validators=[InputRequired(message=_l("Choose how you would like to sign in."))],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("Only if you chose a password. At least 12 characters."),
    )
    confirm = PasswordField(_l("Type the password again"))
