"""Which language a page, a mail or a file is in: the one place for the rule.

A page is in the language the person chose (saved on their account, changeable from the
header of every page; a visitor's choice is kept in their browser's session), else their
programme's default, else the best match for what their browser asks for, else English.
Mail goes out in its recipient's language by the same rule, without the browser.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import bindparam, func, select

from webapp.models import Account, Cohort, Membership, Programme

#: The languages offered, each named in itself (as the switch in the header shows it).
LANGUAGES = {"en": "English", "sv": "Svenska"}
DEFAULT = "en"


def is_language(code) -> bool:
    return isinstance(code, str) and code in LANGUAGES


def default_language() -> str:
    configured = current_app.config.get("BABEL_DEFAULT_LOCALE") if current_app else None
    return configured if is_language(configured) else DEFAULT


def _programme_setting(column, account_id):
    """A setting (``column`` of Programme) of the first programme (lowest id) the account
    belongs to that has it set, through a programme role or a cohort role."""
    return (select(column)
            .select_from(Membership)
            .outerjoin(Cohort, Cohort.id == Membership.cohort_id)
            .join(Programme,
                  Programme.id == func.coalesce(Membership.programme_id, Cohort.programme_id))
            .where(Membership.account_id == account_id, column.is_not(None))
            .order_by(Programme.id)
            .limit(1))


#: The programme's language and its name for patient partners, asked beside the signed-in
#: account in one statement (``webapp.auth.operations``).
PROGRAMME_LANGUAGE = _programme_setting(Programme.language, Account.id).correlate(
    Account).scalar_subquery()
PROGRAMME_PARTNER_NAME = _programme_setting(Programme.partner_name, Account.id).correlate(
    Account).scalar_subquery()
_OF_ACCOUNT = _programme_setting(Programme.language, bindparam("account_id"))
PARTNER_NAME_OF_ACCOUNT = _programme_setting(Programme.partner_name, bindparam("account_id"))


def init_app(app) -> None:
    """The case template's parts speak the page's language too; templates mark course text
    in another language than the page's with ``said_in``."""
    from flask_babel import gettext

    from curriculum import template, words

    template.set_language_source(current)
    words.set_translator(lambda text: gettext(text))  # content check's problems
    app.add_template_filter(said_in, "said_in")


def said_in(text, code: str | None):
    """Course text written in ``code``, marked with ``lang`` when the page is in another
    language (screen readers then read it in its own language; WCAG 3.1.2). Rendered
    Markdown (Markup) is wrapped in a block, plain text in a span; both are escaped."""
    from markupsafe import Markup, escape

    if not text or not code or code == current():
        return text
    if isinstance(text, Markup):
        return Markup('<div lang="{}">{}</div>').format(code, text)
    return Markup('<span lang="{}">{}</span>').format(code, escape(text))


def select_locale() -> str | None:
    """Flask-Babel's locale selector: the language of the page being drawn."""
    if not has_request_context():
        return None  # commands and workers: the default, unless ``force_locale`` says else
    if current_user.is_authenticated:
        for code in (current_user.language, session.get("language"),
                     getattr(current_user, "programme_language", None)):
            if is_language(code):
                return code
    elif is_language(session.get("language")):
        return session["language"]
    return request.accept_languages.best_match(list(LANGUAGES)) or default_language()


def of_account(db_session, account: Account | None) -> str:
    """The language to write to ``account`` in (mail, files made for them)."""
    if account is None:
        return default_language()
    if is_language(account.language):
        return account.language
    code = (db_session.scalar(_OF_ACCOUNT, {"account_id": account.id})
            if account.id is not None else None)
    return code if is_language(code) else default_language()


def script_text() -> dict[str, str]:
    """The words the page's scripts write (autosave's status line), in the page's language.
    Each ``{name}`` is filled in by the script."""
    from flask_babel import gettext as _

    return {
        "restored": _("Unsaved text from this browser was put back — saving…"),
        "editing": _("Editing…"),
        "saved": _("Saved %(time)s", time="{time}"),
        "retry": _("Not saved yet — trying again in %(seconds)s s (your text is kept in this "
                   "browser)", seconds="{seconds}"),
        "draft_saved": _("Draft saved %(time)s", time="{time}"),
        "draft_retry": _("Not saved yet — trying again in %(seconds)s s", seconds="{seconds}"),
    }


def current() -> str:
    """The language of the page being drawn (or of the mail or file being written)."""
    from flask_babel import get_locale

    code = str(get_locale() or "")
    return code if is_language(code) else default_language()


def command_line_language() -> str:
    """The language of the command line: ``COPRODUCE_LANGUAGE``, else the terminal's locale
    (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``sv_SE.UTF-8`` is Swedish), else the default."""
    import os

    for variable in ("COPRODUCE_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(variable, "")[:2].lower()
        if is_language(code):
            return code
    return default_language()


def speaking_at_the_command_line(command) -> None:
    """Make ``command`` (and each of its subcommands) say its messages in the command line's
    language. Its ``--help`` stays English: click reads help before any command runs."""
    import functools

    from flask_babel import force_locale

    for sub in getattr(command, "commands", {}).values():
        speaking_at_the_command_line(sub)
    callback = command.callback
    if callback is None or getattr(callback, "_speaks", False):
        return

    @functools.wraps(callback)
    def speaking(*args, **kwargs):
        if current_app:
            with force_locale(command_line_language()):
                return callback(*args, **kwargs)
        import click
        from flask.cli import ScriptInfo

        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
        with app.app_context(), force_locale(command_line_language()):
            return callback(*args, **kwargs)
    speaking._speaks = True
    command.callback = speaking
