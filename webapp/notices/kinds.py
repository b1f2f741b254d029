"""The kinds of notification people choose for, what each says, and why it was sent.

Every sentence names only what ``params`` holds: a module's title, a cohort's name, a count.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from webapp.models.notice import MAIL_CHOICES

#: kind → (what the account page calls it, its default choice). In the order shown.
KINDS: dict[str, tuple] = {
    "reviews": (_l("Reviews given to you, moved to someone else or no longer needed"), "now"),
    "feedback": (_l("Feedback on your group’s case is ready"), "now"),
    "due_soon": (_l("Your group’s case is due within two days and parts are still empty"),
                 "now"),
    "case_changed": (_l("Someone else changed your group’s case since you last opened it"),
                     "digest"),
    "reminder": (_l("Reminders your educator sends your group"), "now"),
    "screening": (_l("Module feedback comments waiting for you to screen (educators)"),
                  "digest"),
    "learning_log": (_l("What happens to learning log entries you shared"), "now"),
}


def choice_of(account, kind: str) -> str:
    """How ``account`` wants this kind mailed: "now", "digest" or "never"."""
    chosen = (account.notices or {}).get(kind) if account is not None else None
    return chosen if chosen in MAIL_CHOICES else KINDS[kind][1]


def choices_of(account) -> dict[str, str]:
    return {kind: choice_of(account, kind) for kind in KINDS}


def sentence(kind: str, what: str, params: dict) -> str:
    """What happened, in the reader's language."""
    title = params.get("title", "")
    count = int(params.get("count") or 1)
    if kind == "reviews":
        if what == "taken":
            return _("A review you had has been given to someone else: %(title)s", title=title)
        if what == "talk":
            return _("The two reviews of a case point different ways: an invitation to talk "
                     "with the other reviewer: %(title)s", title=title)
        if what == "reopened":
            return _("A review you had is no longer needed (the group reopened its case): "
                     "%(title)s", title=title)
        return ngettext("You have been given %(num)d review: %(title)s",
                        "You have been given %(num)d reviews: %(title)s", count, title=title)
    if kind == "feedback":
        return _("Feedback on your group’s case is ready: %(title)s", title=title)
    if kind == "due_soon":
        return _("Your group’s case is due within two days and parts are still empty: "
                 "%(title)s", title=title)
    if kind == "case_changed":
        return _("Someone else in your group changed your case: %(title)s", title=title)
    if kind == "reminder":
        return _("Your educator sent your group a reminder about the case: %(title)s",
                 title=title)
    if kind == "screening":
        return _("Module feedback comments are waiting for you to screen: %(cohort)s",
                 cohort=params.get("cohort", ""))
    if kind == "learning_log":
        return _("An educator hid a learning log entry you shared, and said why.")
    return _("Something needs you in Coproduce.")


def reason(kind: str) -> str:
    """Why the mail was sent: the line each mail ends with."""
    return _("You get this email because you chose to be told at once about: %(kind)s.",
             kind=KINDS[kind][0]) if kind in KINDS else ""


def digest_reason() -> str:
    return _("You get this email once a day because you chose a daily digest for these "
             "kinds of news.")
