from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from webapp.casework.operations import MAX_PROMISE_CHARS


def _promise(label, hint):
    return TextAreaField(label, description=hint, validators=[
        InputRequired(message=_l("Write this promise.")),
        Length(max=MAX_PROMISE_CHARS,
               message=_l("A promise has at most %(n)d characters.", n=MAX_PROMISE_CHARS))])


class PromisesForm(FlaskForm):
    ourselves = _promise(_l("Our promise to ourselves"),
                         _l("What matters to each of us here, and how we want to work."))
    each_other = _promise(_l("Our promise to each other"),
                          _l("What each of us will do for the group."))
    person = _promise(_l("Our promise to the person at the centre of the case"),
                      _l("How we will speak and write about them."))


_YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


def _choice(label, hint):
    return RadioField(label, choices=_YES_NO, description=hint,
                      validators=[InputRequired(message=_l("Choose yes or no."))])


class ConsentForm(FlaskForm):
    share_group = _choice(_l("May the people in your group read what you write?"),
                          _l("If you say no, you can still read and talk. Everything you have "
                             "written or told here, also earlier, is then kept only for you "
                             "until you change this."))
    share_reviewers = _choice(_l("May the reviewers read your words when the group submits?"),
                              _l("An educator and a patient co-teacher read the case to give "
                                 "feedback. If you say no, your words are left out."))
    exemplar = _choice(_l("May your words ever be used in an example case for future groups?"),
                       _l("Only with names and details removed."))
    quote = _choice(_l("May a short quote of your words ever appear in a report?"),
                    _l("Reports never show names."))


class SectionForm(FlaskForm):
    text = TextAreaField(validators=[Optional()])
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)])
    told_by = HiddenField()
    #: On the conflict page: "mine", "theirs" or "combine".
    choice = HiddenField()
    theirs = HiddenField()
