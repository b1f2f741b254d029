"""The group's side of feedback: rating its own case before release, and after release saying
what it will change (the reviewers read that)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import authz
from webapp.casework.operations import MAX_SECTION_CHARS
from webapp.casework.submission import current_submission
from webapp.clock import now
from webapp.extensions import db
from webapp.models import GroupResponse, RubricVersionRow, SelfAssessment
from webapp.review import bp, operations

MAX_RESPONSE_CHARS = 5_000


@bp.route("/cases/<int:case_id>/self-rating", methods=["GET", "POST"])
def self_rating(case_id: int):
    case = authz.target()
    submission = current_submission(db.session, case)
    back = url_for("casework.case", case_id=case.id) + "#submit"
    if submission is None or case.submitted_at is None:
        flash(_("Rate your own case after you have submitted it."), "info")
        return redirect(back, 303)
    if operations.released(case.assignment):
        flash(_("Feedback is released, so the self-rating is closed."), "info")
        return redirect(url_for("review.feedback", case_id=case.id), 303)
    existing = db.session.scalar(select(SelfAssessment).where(
        SelfAssessment.submission_id == submission.id))
    row = (db.session.get(RubricVersionRow, existing.rubric_version_id) if existing
           else operations.latest_rubric(db.session, "educator"))
    rubric = row.content()
    if request.method == "POST":
        levels = {level.key for level in rubric.levels}
        ratings = {c.id: request.form.get(f"rating-{c.id}") for c in rubric.criteria
                   if request.form.get(f"rating-{c.id}") in levels}
        if existing is None:
            db.session.add(SelfAssessment(submission_id=submission.id, rubric_version_id=row.id,
                                          ratings=ratings, updated_by_id=current_user.id))
        else:
            existing.ratings, existing.updated_by_id = ratings, current_user.id
            existing.updated_at = now()
        db.session.commit()
        flash(_("Your group's self-rating is saved. You will see it beside the reviewers' "
                "views when feedback is released."), "info")
        return redirect(back, 303)
    return render_template("review/self_rating.html", case=case, rubric=rubric,
                           ratings=existing.ratings if existing else {})


@bp.route("/cases/<int:case_id>/response", methods=["POST"])
def response(case_id: int):
    case = authz.target()
    submission = current_submission(db.session, case)
    back = url_for("review.feedback", case_id=case.id) + "#response"
    if submission is None or not operations.released(case.assignment):
        flash(_("You can respond once feedback is released."), "error")
        return redirect(url_for("casework.case", case_id=case.id), 303)
    text = (request.form.get("text") or "").replace("\r\n", "\n")
    revised = (request.form.get("revised_reflection") or "").replace("\r\n", "\n")
    if not text.strip():
        flash(_("Write what your group will change."), "error")
        return redirect(back, 303)
    if len(text) > MAX_RESPONSE_CHARS or len(revised) > MAX_SECTION_CHARS:
        flash(_("The response has at most %(n)d characters, and part 9 at most %(m)d.",
                n=MAX_RESPONSE_CHARS, m=MAX_SECTION_CHARS), "error")
        return redirect(back, 303)
    row = db.session.scalar(select(GroupResponse).where(
        GroupResponse.submission_id == submission.id))
    if row is None:
        db.session.add(GroupResponse(submission_id=submission.id, text=text,
                                     revised_reflection=revised,
                                     updated_by_id=current_user.id))
    else:
        row.text, row.revised_reflection = text, revised
        row.updated_by_id, row.updated_at = current_user.id, now()
    db.session.commit()
    flash(_("Your response is saved; your reviewers can read it."), "info")
    return redirect(back, 303)
