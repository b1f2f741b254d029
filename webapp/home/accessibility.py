"""The accessibility statement (from a Markdown file a programme edits) and the form to
report a barrier, which reaches the programme's named contact through the outbox."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from webapp import mail
from webapp.extensions import db
from webapp.help import barrier_recipients
from webapp.home import bp
from webapp.rendering import render_markdown
from webapp.request_guard import trusted_origins

#: The statement a programme edits, in the content folder beside the course.
SHIPPED = Path(__file__).resolve().parents[2] / "content" / "accessibility.md"
#: Reports one browser may send in an hour (kept in its session).
PER_HOUR = 5
PAGE_MAX = 300


class BarrierForm(FlaskForm):
    doing = TextAreaField(_l("What were you trying to do?"), validators=[
        DataRequired(message=_l("Say what you were trying to do.")),
        Length(max=1000, message=_l("Write at most 1,000 characters here."))])
    barrier = TextAreaField(_l("What got in the way?"), validators=[
        DataRequired(message=_l("Say what got in the way.")),
        Length(max=2000, message=_l("Write at most 2,000 characters here."))])
    page = StringField(_l("The page it happened on (optional)"), validators=[
        Optional(), Length(max=PAGE_MAX, message=_l(
            "A page address has at most 300 characters."))])
    reply_to = EmailField(_l("Your email, if you would like an answer (optional)"), validators=[
        Optional(), Email(message=_l("Enter an email address like name@example.org.")),
        Length(max=254, message=_l("An email address has at most 254 characters."))])


def statement_path() -> Path:
    """``ACCESSIBILITY_STATEMENT`` when set; else ``content/accessibility.md`` beside the app
    (a checkout) or in the folder the app runs from (an installed package)."""
    configured = current_app.config.get("ACCESSIBILITY_STATEMENT")
    if configured:
        return Path(configured)
    here = Path.cwd() / "content" / "accessibility.md"
    return SHIPPED if SHIPPED.is_file() or not here.is_file() else here


def _statement() -> tuple[str, Markup]:
    """The statement's title (its first ``# `` line, the page's h1) and the rest as HTML."""
    path = statement_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        current_app.logger.warning("accessibility statement unreadable at %s: %s", path, exc)
        return _("Accessibility statement"), Markup("<p>{}</p>").format(
            _("The full statement is not available just now. You can still tell us about "
              "anything that gets in your way with the form below."))
    first, _newline, rest = text.lstrip().partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), render_markdown(rest)
    return _("Accessibility statement"), render_markdown(text)


def came_from() -> str:
    """The page the person came from: the ``from`` address, or the browser's Referer when it
    is this site; only a path on this site, never another site's address."""
    wanted = request.args.get("from", "")
    if not wanted and request.referrer:
        url = urlsplit(request.referrer)
        if f"{url.scheme}://{url.netloc}".lower() in trusted_origins():
            wanted = url.path + (f"?{url.query}" if url.query else "")
    if not wanted.startswith("/") or wanted.startswith("//") or wanted == request.path:
        return ""
    return wanted[:PAGE_MAX]


def _sent_recently() -> list[float]:
    now = time.time()
    return [t for t in session.get("barrier_reports", []) if now - t < 3600]


@bp.route("/accessibility", methods=["GET", "POST"])
def accessibility():
    form = BarrierForm()
    status = 200
    if request.method == "GET":
        form.page.data = came_from()
        if current_user.is_authenticated:
            form.reply_to.data = current_user.email
    elif form.validate_on_submit():
        recent = _sent_recently()
        if len(recent) >= PER_HOUR:
            form.barrier.errors.append(_("You have sent %(n)d reports in the last hour. "
                                         "Please wait a little and send this again.", n=PER_HOUR))
            status = 429
        else:
            recipients, named = barrier_recipients(current_user)
            if recipients:
                return _send(form, recipients, named, recent)
            form.barrier.errors.append(_("No one is set up to receive reports on this site "
                                         "yet. Please tell the people who run your programme."))
            status = 503
    else:
        status = 400
    title, statement = _statement()
    return render_template("home/accessibility.html", title=title, statement=statement,
                           form=form, sent=session.pop("barrier_sent", None)), status


def _send(form, recipients, named, recent):
    who = current_user.display_name if current_user.is_authenticated else _("Someone")
    for address in recipients:
        mail.queue(db.session, to=address, kind="barrier",
                   subject=_l("An accessibility barrier was reported"),
                   template="barrier.txt", who=who, doing=form.doing.data.strip(),
                   barrier=form.barrier.data.strip(), page=(form.page.data or "").strip(),
                   reply_to=(form.reply_to.data or "").strip())
    db.session.commit()
    session["barrier_reports"] = [*recent, time.time()]
    session["barrier_sent"] = "contact" if named else "site"
    return redirect(url_for("home.accessibility") + "#barrier", 303)
