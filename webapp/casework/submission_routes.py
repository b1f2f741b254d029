"""Finishing a case: confirming and submitting, educator override and reopening, withdrawing
a patient partner's words, sharing part 9 with the cohort."""

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from webapp import authz
from webapp.casework import bp, operations, submission
from webapp.extensions import db
from webapp.web import attempt, change


@bp.route("/cases/<int:case_id>/confirm", methods=["POST"])
def confirm(case_id: int):
    case = authz.target()
    back = url_for("casework.case", case_id=case.id) + "#submit"
    share = request.form.get("share_reviewers", "yes") != "no"
    try:
        confirmed = attempt(submission.confirm, current_user, case, share_reviewers=share,
                            knowing_empty=request.form.get("knowing_empty") == "1")
    except IntegrityError:
        flash(_("Your confirmation was already recorded."), "info")
        return redirect(back, 303)
    if confirmed.refusal:
        flash(confirmed.message, "error")
        return redirect(back, 303)
    made = confirmed.result
    if made is not None:
        flash(_("Everyone has confirmed: your case is submitted. It is read-only now."), "info")
    else:
        flash(_("Your confirmation is recorded. The case is submitted when everyone in the "
                "group has confirmed."), "info")
    return redirect(back, 303)


@bp.route("/cases/<int:case_id>/override", methods=["POST"])
def override(case_id: int):
    case = authz.target()
    return change(lambda: submission.override(db.session, current_user, case,
                                              request.form.get("reason", "")),
                  _("The case is submitted, with your reason recorded."),
                  url_for("casework.case", case_id=case.id) + "#submit")


@bp.route("/cases/<int:case_id>/reopen", methods=["POST"])
def reopen(case_id: int):
    case = authz.target()
    return change(lambda: submission.reopen(db.session, current_user, case, current_app.config),
                  _("The case is open again. The earlier submission is kept in its history."),
                  url_for("casework.case", case_id=case.id) + "#submit")


@bp.route("/cases/<int:case_id>/withdraw", methods=["POST"])
def withdraw(case_id: int):
    case = authz.target()
    withdrawn = attempt(operations.withdraw_words, current_user, case)
    if withdrawn.refusal:
        flash(withdrawn.message, "error")
        return redirect(url_for("casework.consent", case_id=case_id), 303)
    mixed = withdrawn.result
    flash(_("Your words are withdrawn: reviewers, example cases and reports will not use "
            "them."), "info")
    if mixed:
        flash(_("These parts mix your words with others’: %(parts)s. They are held back from "
                "educators, reviewers and every later submission; the group can rewrite them "
                "without your words.", parts="; ".join(mixed)), "warning")
    return redirect(url_for("casework.case", case_id=case_id), 303)


@bp.route("/cases/<int:case_id>/share", methods=["POST"])
def share(case_id: int):
    case = authz.target()
    back = url_for("casework.case", case_id=case.id) + "#submit"
    share = request.form.get("share") != "0"
    return change(lambda: submission.share_reflection(db.session, current_user, case, share),
                  _("Part 9 is shared with your cohort.") if share
                  else _("Part 9 is no longer shared."), back)
