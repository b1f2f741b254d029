"""The group's side of feedback: rating its own case before release, and after release saying
what it will change (the reviewers read that)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import authz
from webapp.casework.submission import current_submission
from webapp.extensions import db
from webapp.models import RubricVersionRow, SelfAssessment
from webapp.review import bp, group_work, operations
from webapp.web import change


@bp.route("/cases/<int:case_id>/self-rating", methods=["GET", "POST"])
def self_rating(case_id: int):
    case = authz.target()
    submission = current_submission(db.session, case) if case.submitted_at else None
    back = url_for("casework.case", case_id=case.id) + "#submit"
    if submission is not None and operations.released(case.assignment):
        flash(_("Feedback is released, so the self-rating is closed."), "info")
        return redirect(url_for("review.feedback", case_id=case.id), 303)
    ratings, rubric_id = case.self_rating, case.self_rating_rubric_id
    if rubric_id is None and submission is not None:  # rated before it lived with the case
        earlier = db.session.scalar(select(SelfAssessment).where(
            SelfAssessment.submission_id == submission.id))
        if earlier is not None:
            ratings, rubric_id = earlier.ratings, earlier.rubric_version_id
    row = (db.session.get(RubricVersionRow, rubric_id) if rubric_id
           else operations.latest_rubric(db.session, "educator"))
    if row is None:
        flash(_("The rubric is not loaded yet, so there is nothing to rate against."), "info")
        return redirect(back, 303)
    rubric = row.content()
    if request.method == "POST":
        chosen = {c.id: request.form.get(f"rating-{c.id}", "") for c in rubric.criteria}
        return change(lambda: group_work.rate_own_case(db.session, current_user, case, row,
                                                       chosen),
                      _("Your group's self-rating is saved. You will see it beside the "
                        "reviewers' views when feedback is released."), back)
    return render_template("review/self_rating.html", case=case, rubric=rubric,
                           ratings=ratings or {})


@bp.route("/cases/<int:case_id>/response", methods=["POST"])
def response(case_id: int):
    case = authz.target()
    back = url_for("review.feedback", case_id=case.id) + "#response"
    return change(lambda: group_work.respond(db.session, current_user, case,
                                             request.form.get("text") or "",
                                             request.form.get("revised_reflection") or ""),
                  _("Your response is saved; your reviewers can read it."), back)
