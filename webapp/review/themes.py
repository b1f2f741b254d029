"""The six themes of feedback, in words a group, a patient or a reviewer reads without a
glossary (the keys stay in the rubric files and the data)."""

from flask_babel import lazy_gettext as _l

WORDS = {
    "context": _l("the situation and who is involved"),
    "person": _l("the person at the centre"),
    "knowledge": _l("what is known, and from whom"),
    "system": _l("how the service works"),
    "partnership": _l("working as partners"),
    "action": _l("what will change next"),
}


def words(theme: str) -> str:
    """A theme as people say it; an unknown key is shown as it is."""
    return str(WORDS.get(theme, theme))


def init_app(app) -> None:
    app.add_template_filter(words, "theme")
