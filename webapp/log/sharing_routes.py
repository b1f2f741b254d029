"""The learning log's shared side: the cohort's "What we are learning" page, educators hiding
an entry or asking to show it to later cohorts, the author's answer, and "you said, I did"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import authz
from webapp.extensions import db
from webapp.log import bp, queries, sharing
from webapp.models import Cohort
from webapp.web import attempt, change, small_int


@bp.route("/cohorts/<int:cohort_id>/learning")
def cohort_learning(cohort_id: int):
    cohort = authz.target()
    page = small_int(request.args.get("page")) or 1
    return _cohort_learning_page(cohort, page)


def _cohort_learning_page(cohort, page: int, typed_reason=None):
    rows, total = queries.shared_in_cohort(db.session, current_user.id, cohort.id, page)
    if page > 1 and not rows:
        abort(404)
    return render_template("log/cohort.html", cohort=cohort, rows=rows, total=total,
                           page=page, pages=max(1, -(-total // queries.PAGE)),
                           moderator=authz.allowed(current_user, "manage", cohort),
                           typed_reason=typed_reason or (None, ""))


@bp.route("/log/<int:entry_id>/hide", methods=["POST"])
def hide(entry_id: int):
    entry = authz.target()
    cohort_id = entry.share_cohort_id
    reason = request.form.get("reason", "")
    done = attempt(sharing.hide, current_user, entry, reason)
    if done.refusal and cohort_id:  # the cohort's page again, with the reason as typed
        flash(done.message, "error")
        return _cohort_learning_page(db.session.get(Cohort, cohort_id), 1,
                                     typed_reason=(entry.id, reason)), 400
    flash(done.message if done.refusal else _("Hidden from the cohort's page. The author "
                                              "sees your reason."),
          "error" if done.refusal else "info")
    return redirect(_cohort_page(cohort_id), 303)


@bp.route("/log/<int:entry_id>/pin", methods=["POST"])
def propose_pin(entry_id: int):
    entry = authz.target()
    return change(lambda: sharing.propose_pin(db.session, current_user, entry),
                  _("The author is asked. It is shown to later cohorts only if they agree."),
                  _cohort_page(entry.share_cohort_id))


def _cohort_page(cohort_id: int | None) -> str:
    return url_for("log.cohort_learning", cohort_id=cohort_id) if cohort_id \
        else url_for("home.index")


@bp.route("/log/<int:entry_id>/pin/answer", methods=["POST"])
def answer_pin(entry_id: int):
    entry = authz.target()
    accept = request.form.get("accept") == "yes"
    return change(lambda: sharing.answer_pin(db.session, current_user, entry, accept),
                  _("Thank you. Later cohorts of the programme will see it on the module's "
                    "page.") if accept else _("Fine: it stays where you shared it."),
                  url_for("log.entry", entry_id=entry.id))


@bp.route("/log/<int:entry_id>/send-back", methods=["POST"])
def send_back(entry_id: int):
    entry = authz.target()
    return change(lambda: sharing.send_back(db.session, current_user, entry),
                  _("Sent. The reviewers who gave the feedback see it beside their review."),
                  url_for("log.entry", entry_id=entry.id))
