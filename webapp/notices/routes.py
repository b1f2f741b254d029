"""What's new: the person's notifications, opening one, marking them read, and choosing how
each kind is mailed."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.extensions import db
from webapp.log.queries import zone_of
from webapp.notices import bp, kinds, operations
from webapp.web import attempt, change


@bp.route("/whats-new")
def index():
    rows = operations.latest(db.session, current_user.id)
    return render_template("notices/index.html", rows=rows, sentence=kinds.sentence,
                           unread=sum(row.read_at is None for row in rows),
                           zone=zone_of(db.session, current_user.id))


@bp.route("/whats-new/<int:notification_id>/open", methods=["POST"])
def open_one(notification_id: int):
    """Mark it read and go to its page."""
    outcome = attempt(operations.mark_read, current_user.id, notification_id)
    if outcome.refusal:
        abort(404)
    path = outcome.result.path
    safe = path.startswith("/") and not path.startswith(("//", "/\\"))
    return redirect(path if safe else "/", 303)


@bp.route("/whats-new/read", methods=["POST"])
def read_all():
    return change(lambda: operations.mark_all_read(db.session, current_user.id),
                  _("Everything is marked as read."), url_for("notices.index"))


@bp.route("/account/notices", methods=["POST"])
def choose():
    return change(lambda: operations.choose(db.session, current_user._get_current_object(),
                                            request.form.to_dict()),
                  _("Your choices of email are saved."), url_for("auth.account") + "#notices")


@bp.app_template_global("notice_kinds")
def notice_kinds():
    """Each kind with the person's choice (for the account page)."""
    chosen = kinds.choices_of(current_user)
    return [(kind, label, chosen[kind]) for kind, (label, _default) in kinds.KINDS.items()]
