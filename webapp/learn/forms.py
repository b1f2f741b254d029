from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange


class MarkReadForm(FlaskForm):
    """A button: "I have read this lesson"."""


class AnswerForm(FlaskForm):
    option = IntegerField(
        _l("Your answer"),
        validators=[InputRequired(message=_l("Choose one of the answers.")),
                    NumberRange(min=0, max=20, message=_l("Choose one of the answers."))])
