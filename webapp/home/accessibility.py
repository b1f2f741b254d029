"""The accessibility statement (from a Markdown file a programme can edit) and the form to
report a barrier, which reaches the programme's named contact through the outbox."""

from __future__ import annotations

import time
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from webapp import mail
from webapp.extensions import db
from webapp.home import bp
from webapp.home.welcome import contacts_for
from webapp.models import Account
from webapp.rendering import render_markdown

SHIPPED = Path(__file__).resolve().parents[1] / "statements" / "accessibility.md"
#: Reports one browser may send in an hour (kept in its session).
PER_HOUR = 5


class BarrierForm(FlaskForm):
    doing = TextAreaField(_l("What were you trying to do?"), validators=[
        DataRequired(message=_l("Say what you were trying to do.")),
        Length(max=1000, message=_l("Write at most 1,000 characters here."))])
    barrier = TextAreaField(_l("What got in the way?"), validators=[
        DataRequired(message=_l("Say what got in the way.")),
        Length(max=2000, message=_l("Write at most 2,000 characters here."))])
    page = StringField(_l("The page it happened on (optional)"), validators=[
        Optional(), Length(max=300, message=_l("A page address has at most 300 characters."))])
    reply_to = EmailField(_l("Your email, if you would like an answer (optional)"), validators=[
        Optional(), Email(message=_l("Enter an email address like name@example.org.")),
        Length(max=254)])


def statement_path() -> Path:
    configured = current_app.config.get("ACCESSIBILITY_STATEMENT")
    return Path(configured) if configured else SHIPPED


def barrier_recipients(session_, account) -> list[str]:
    """Who hears about a barrier: the named contacts of the person's programmes; otherwise
    (or when no one is signed in) the site's administrators."""
    contacts = contacts_for(session_, account)
    emails = sorted({session_.get(Account, c.account_id).email for c in contacts})
    if emails:
        return emails
    return sorted(session_.scalars(select(Account.email).where(
        Account.admin.is_(True), Account.active.is_(True))))


def _sent_recently() -> list[float]:
    now = time.time()
    return [t for t in session.get("barrier_reports", []) if now - t < 3600]


@bp.route("/accessibility", methods=["GET", "POST"])
def accessibility():
    form = BarrierForm()
    if request.method == "GET":
        came_from = request.args.get("from", "")
        form.page.data = came_from[:300] if came_from.startswith("/") else ""
        if current_user.is_authenticated:
            form.reply_to.data = current_user.email
    elif form.validate_on_submit():
        recent = _sent_recently()
        if len(recent) >= PER_HOUR:
            form.barrier.errors.append(_("You have sent %(n)d reports in the last hour. "
                                         "Please wait a little and send this again.", n=PER_HOUR))
        else:
            return _send(form, recent)
    try:
        text = statement_path().read_text(encoding="utf-8")
    except OSError:
        text = SHIPPED.read_text(encoding="utf-8")
    status = 400 if request.method == "POST" else 200
    return render_template("home/accessibility.html", statement=render_markdown(text),
                           form=form), status


def _send(form, recent):
    recipients = barrier_recipients(db.session, current_user)
    who = current_user.display_name if current_user.is_authenticated else _("Someone")
    for address in recipients:
        mail.queue(db.session, to=address, kind="barrier",
                   subject=_("An accessibility barrier was reported"),
                   template="barrier.txt", who=who, doing=form.doing.data.strip(),
                   barrier=form.barrier.data.strip(), page=(form.page.data or "").strip(),
                   reply_to=(form.reply_to.data or "").strip())
    db.session.commit()
    session["barrier_reports"] = [*recent, time.time()]
    flash(_("Thank you. Your report went to your programme's named contact.")
          if current_user.is_authenticated and contacts_for(db.session, current_user)
          else _("Thank you. Your report went to the people who run this site."), "info")
    return redirect(url_for("home.accessibility") + "#barrier", 303)
