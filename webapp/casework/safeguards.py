"""Gentle warnings when case text looks like it identifies a real person. Pure; never a block.

The patterns are deliberately simple: they look for shapes (an email address, a phone number,
a Swedish personal identity number, an NHS number, a capitalised name next to a date) and
say what they saw, so the writer can decide. They will sometimes be wrong both ways.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Swedish personnummer: YYMMDD-NNNN or YYYYMMDDNNNN (with - or + or nothing).
_PERSONNUMMER = re.compile(r"\b(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[-+]?\d{4}\b")
# NHS number: ten digits, often written 3-3-4.
_NHS = re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")
# Phone numbers: a + or 0 followed by 8–13 digits with spaces, dashes or brackets.
_PHONE = re.compile(r"(?<![\w])(?:\+\d{1,3}[\s-]?|0)(?:[\s()-]?\d){8,13}\b")
_DATE = (r"(?:\b\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})\b|\b\d{4}-\d{2}-\d{2}\b|"
         r"\b\d{1,2}(?:st|nd|rd|th)? (?:January|February|March|April|May|June|July|August|"
         r"September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
         r"Nov|Dec)\b(?: \d{4})?)")
_NAME = r"\b[A-ZÅÄÖÉ][a-zåäöéü]+ [A-ZÅÄÖÉ][a-zåäöéü]+\b"
_NAME_WITH_DATE = re.compile(rf"{_NAME}[^.\n]{{0,40}}{_DATE}|{_DATE}[^.\n]{{0,40}}{_NAME}")
#: A date alone: a name next to a date needs a date, and looking for one is far cheaper than
#: trying every pair of capitalised words against forty characters of what may follow.
_A_DATE = re.compile(_DATE)
_DIGITS = re.compile(r"\d+")

#: Every number the patterns above look for has eight digits in a row, each after at most one
#: space, bracket, dash or plus: text without such a run needs none of them (a long part is
#: checked on every autosave, so the cheap question is asked first).
_DIGIT_RUN = re.compile(r"\d(?:[\s()+-]?\d){7}")


def _digit_runs(text: str) -> list[int]:
    """Where each run of digits begins: one pass over the text, which every question about
    numbers below then starts from instead of scanning the whole text again."""
    return [run.start() for run in _DIGITS.finditer(text)]


def _has_date(text: str, runs: list[int]) -> bool:
    """Whether ``_DATE`` matches anywhere. Every date begins with a digit after a non-word
    character, which is where a run of digits begins, so only those places are tried (the
    regex engine skips to digits quickly; trying every position with ``\\b`` does not)."""
    return any(_A_DATE.match(text, start) for start in runs)


def _has_long_number(text: str, runs: list[int]) -> bool:
    """Whether ``_DIGIT_RUN`` matches anywhere. A match that starts inside a run of digits
    has one that starts where the run begins (the digits before it only add to it)."""
    return any(_DIGIT_RUN.match(text, start) for start in runs)


#: What each kind of finding is called when the page mentions it.
KINDS = ("email", "id_number", "nhs_number", "phone", "name_and_date")


def identifier_warnings(text: str) -> list[str]:
    """The kinds (``KINDS``) of thing in ``text`` that might identify someone (may be empty)."""
    found = []
    if "@" in text and _EMAIL.search(text):
        found.append("email")
    runs = _digit_runs(text)
    if _has_long_number(text, runs):
        if _PERSONNUMMER.search(text):
            found.append("id_number")
        elif _NHS.search(text):
            found.append("nhs_number")
        elif _PHONE.search(text):
            found.append("phone")
    if _has_date(text, runs) and _NAME_WITH_DATE.search(text):
        found.append("name_and_date")
    return found


def saved_but_check(text: str, *, entry: bool = False) -> str:
    """The gentle note shown after a save (never a block) when ``text`` may identify a real
    person: about a case part, or (``entry``) a learning log entry. Empty when nothing is."""
    kinds = identifier_warnings(text)
    if not kinds:
        return ""  # the usual answer, on every autosave: nothing to translate
    from flask_babel import gettext as _

    names = {"email": _("an email address"),
             "id_number": _("something shaped like a personal identity number"),
             "nhs_number": _("something shaped like an NHS number"),
             "phone": _("a phone number"), "name_and_date": _("a full name next to a date")}
    found = ", ".join(names[kind] for kind in kinds)
    if entry:
        return _("Saved, but please check: this entry seems to contain %(what)s. If it could "
                 "identify a real person, change or remove it.", what=found)
    return _("Saved, but please check: this part seems to contain %(what)s. If it could "
             "identify a real person, change or remove it.", what=found)
