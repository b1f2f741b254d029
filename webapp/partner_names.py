"""What a programme calls its patient partners, in every word the product shows.

Some programmes say *expert by experience* (*erfarenhetsexpert*) or *family partner*
(*närståendepartner*) rather than *patient partner* (*patientpartner*). A programme chooses
one name in its settings; its people then read that name on every page, mail, PDF and CSV,
in English and in Swedish. The interface's messages keep the standard name; the translations
the pages read are wrapped so that each message, once translated, says the programme's name
in the right form (singular or plural, definite, genitive; "a"/"an").

A Swedish "patientpartner" is singular or plural alike; which one a message means is read
from its English, which always says ("patient partner" or "patient partners").
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

from flask import g, has_app_context, has_request_context
from flask_babel import Domain, lazy_pgettext
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Swedish:
    singular: str  # erfarenhetsexpert
    definite: str  # erfarenhetsexperten
    plural: str  # erfarenhetsexperter
    plural_definite: str  # erfarenhetsexperterna


@dataclass(frozen=True)
class Name:
    label: object  # shown in the settings, in the reader's language
    english: tuple[str, str]  # singular, plural
    swedish: Swedish


#: The names a programme can choose; the standard one first.
STANDARD = "patient-partner"
#: The message context of words that name the standard name on purpose.
KEEP = "standard role name"
NAMES: dict[str, Name] = {
    # (its context keeps it from being renamed: it is the name to go back to)
    STANDARD: Name(lazy_pgettext("standard role name", "Patient partner (the standard name)"),
                   ("patient partner", "patient partners"),
                   Swedish("patientpartner", "patientpartnern", "patientpartner",
                           "patientpartnerna")),
    "expert-by-experience": Name(_l("Expert by experience"),
                                 ("expert by experience", "experts by experience"),
                                 Swedish("erfarenhetsexpert", "erfarenhetsexperten",
                                         "erfarenhetsexperter", "erfarenhetsexperterna")),
    "family-partner": Name(_l("Family partner (for relatives and carers)"),
                           ("family partner", "family partners"),
                           Swedish("närståendepartner", "närståendepartnern",
                                   "närståendepartner", "närståendepartnerna")),
    "service-user-partner": Name(_l("Service user partner"),
                                 ("service user partner", "service user partners"),
                                 Swedish("brukarpartner", "brukarpartnern", "brukarpartner",
                                         "brukarpartnerna")),
}

_ENGLISH = re.compile(r"\b(?:(?P<article>[Aa]n?) )?(?P<p>[Pp])atient[- ]partner(?P<s>s)?\b")
#: Swedish forms, longest first: plural definite (genitive), definite (genitive), genitive,
#: then the bare form, which is singular or plural.
_SWEDISH = re.compile(r"\b(?P<p>[Pp])atientpartner(?P<end>nas|na|ns|n|s)?\b")


def is_name(key) -> bool:
    return isinstance(key, str) and key in NAMES


def _capital(text: str, like: str) -> str:
    return text[:1].upper() + text[1:] if like.isupper() else text


def english(text: str, name: Name) -> str:
    singular, plural = name.english

    def swap(found):
        word = plural if found["s"] else singular
        word = _capital(word, found["p"]) if not found["article"] else word
        if not found["article"]:
            return word
        article = "an" if word[0] in "aeiou" else "a"
        return f"{_capital(article, found['article'][0])} {word}"
    return _ENGLISH.sub(swap, text)


def _numbers(source: str) -> list[bool]:
    """For each "patient partner(s)" in an English message, whether it is plural."""
    return [bool(found["s"]) for found in _ENGLISH.finditer(source)]


def swedish(text: str, name: Name, source: str = "") -> str:
    """``text`` (Swedish) with the programme's name; a bare "patientpartner" is plural when
    the English ``source`` says "patient partners" at the same place."""
    forms = name.swedish
    plurals = iter(_numbers(source))

    def swap(found):
        plural = next(plurals, False)
        end = found["end"] or ""
        word = {"nas": forms.plural_definite + "s", "na": forms.plural_definite,
                "ns": forms.definite + "s", "n": forms.definite,
                "s": forms.singular + "s"}.get(end)
        if word is None:
            word = forms.plural if plural else forms.singular
        return _capital(word, found["p"])
    return _SWEDISH.sub(swap, text)


def chosen() -> Name | None:
    """The name the reader's programme chose (the page's reader, or the recipient a mail is
    written for), or None for the standard name."""
    if not has_app_context():
        return None
    key = g.get("partner_name")
    if key is None and has_request_context():
        from flask_login import current_user

        key = getattr(current_user, "programme_partner_name", None)
    return NAMES[key] if is_name(key) and key != STANDARD else None


@contextmanager
def speaking_for(key: str | None):
    """Words made inside say ``key``'s name (a mail written for someone of another
    programme than the page's reader); None leaves the page's name."""
    if key is None:
        yield
        return
    before = g.get("partner_name")
    g.partner_name = key
    try:
        yield
    finally:
        g.partner_name = before


def of_account(db_session, account) -> str | None:
    """The name the account's programme chose (None: the standard one)."""
    from webapp.language import PARTNER_NAME_OF_ACCOUNT

    if account is None or account.id is None:
        return None
    return db_session.scalar(PARTNER_NAME_OF_ACCOUNT, {"account_id": account.id})


def label(programme) -> object:
    """The name a programme chose, as its settings show it."""
    return NAMES[programme.partner_name if is_name(programme.partner_name) else STANDARD].label


class _Renamed:
    """A catalogue whose every translated message says the programme's name."""

    def __init__(self, translations, name: Name, language: str) -> None:
        self._t, self._name, self._language = translations, name, language

    def _say(self, text: str, source: str) -> str:
        if self._language == "sv":
            return swedish(text, self._name, source)
        return english(text, self._name)

    def ugettext(self, message):
        return self._say(self._t.ugettext(message), message)

    def ungettext(self, singular, plural, n):
        return self._say(self._t.ungettext(singular, plural, n), singular if n == 1 else plural)

    def upgettext(self, context, message):
        said = self._t.upgettext(context, message)
        return said if context == KEEP else self._say(said, message)

    def unpgettext(self, context, singular, plural, n):
        said = self._t.unpgettext(context, singular, plural, n)
        return said if context == KEEP else self._say(said, singular if n == 1 else plural)

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext


class RenamingDomain(Domain):
    """Flask-Babel's message domain, saying the programme's name for patient partners."""

    def get_translations(self):
        translations = super().get_translations()
        name = chosen()
        if name is None:
            return translations
        from webapp.language import current

        return _Renamed(translations, name, current())


def init_app(app) -> None:
    babel = app.extensions["babel"].instance
    babel.domain_instance = RenamingDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.globals["partner_name_label"] = label
