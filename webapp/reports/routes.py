"""Module feedback (anonymous) and the screening queue for its free text."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import authz
from webapp.clock import now
from webapp.extensions import db
from webapp.models import FeedbackComment, Membership
from webapp.reports import bp, operations
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER, STUDENT
from webapp.web import attempt, change


def _respondent(assignment) -> str:
    """Whether the person answers as a patient partner, a student or a patient co-teacher
    (the endpoint's policy lets only the cohort's learners and co-teachers in)."""
    roles = set(db.session.scalars(select(Membership.role).where(
        Membership.account_id == current_user.id, Membership.cohort_id == assignment.cohort_id)))
    if PATIENT_PARTNER in roles:
        return "patient"
    if STUDENT not in roles and PATIENT_COTEACHER in roles:
        return "coteacher"
    return "student"


@bp.route("/assignments/<int:assignment_id>/module-feedback", methods=["GET", "POST"])
def survey(assignment_id: int):
    assignment = authz.target()
    back = url_for("teach.assignment", assignment_id=assignment.id)
    respondent = _respondent(assignment)
    if operations.answered(db.session, current_user.id, assignment.id):
        return render_template("reports/thanks.html", assignment=assignment)
    row = operations.latest_survey(db.session)
    if row is None:
        flash(_("The feedback questions are not available yet."), "info")
        return redirect(back, 303)
    survey_content = row.content()
    problem = ""
    if request.method == "POST":
        answered = attempt(operations.answer, current_user.id, assignment, respondent,
                           request.form.to_dict(), now())
        if not answered.refusal:
            return render_template("reports/thanks.html", assignment=assignment)
        problem = answered.message
    return render_template("reports/survey.html", assignment=assignment, survey=survey_content,
                           items=operations.items_for(survey_content, respondent),
                           problem=problem, typed=request.form if problem else {}), \
        (400 if problem else 200)


@bp.route("/cohorts/<int:cohort_id>/comments", methods=["GET", "POST"])
def screening(cohort_id: int):
    cohort = authz.target()
    if request.method == "POST":
        raw = (request.form.get("comment_id") or "")[:32]
        comment = db.session.get(FeedbackComment, raw) if raw else None
        if comment is None or comment.cohort_id != cohort.id:
            abort(404)
        redacted = request.form.get("text") if request.form.get("redact") == "1" else None
        return change(lambda: operations.screen(db.session, current_user, comment,
                                                request.form.get("decision"), redacted),
                      _("Comment screened."), url_for("reports.screening", cohort_id=cohort.id))
    pending = db.session.scalars(select(FeedbackComment).where(
        FeedbackComment.cohort_id == cohort.id, FeedbackComment.status == "pending")
        .order_by(FeedbackComment.id)).all()
    return render_template("reports/screening.html", cohort=cohort, pending=pending)
