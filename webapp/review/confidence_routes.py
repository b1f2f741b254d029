"""Confidence, then and now: students answer once after a module and see their own change."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp import authz
from webapp.extensions import db
from webapp.models import ConfidenceAnswer, SurveyVersionRow
from webapp.review import bp, group_work
from webapp.web import attempt

SURVEY = "confidence"


def _latest_survey():
    return db.session.scalar(select(SurveyVersionRow).where(SurveyVersionRow.slug == SURVEY)
                             .order_by(SurveyVersionRow.major.desc(),
                                       SurveyVersionRow.minor.desc(),
                                       SurveyVersionRow.patch.desc()).limit(1))


@bp.route("/assignments/<int:assignment_id>/confidence", methods=["GET", "POST"])
def confidence(assignment_id: int):
    assignment = authz.target()
    back = url_for("teach.assignment", assignment_id=assignment.id)
    answer = db.session.scalar(select(ConfidenceAnswer).where(
        ConfidenceAnswer.account_id == current_user.id,
        ConfidenceAnswer.assignment_id == assignment.id))
    row = answer.survey_version if answer else _latest_survey()
    if row is None:
        flash(_("The confidence questions are not available yet."), "info")
        return redirect(back, 303)
    survey = row.content()
    items = [item for item in survey.items if item.kind == "then_now"]
    problems = []
    if request.method == "POST" and answer is None:
        pairs = {item.id: (request.form.get(f"{item.id}-then", ""),
                           request.form.get(f"{item.id}-now", "")) for item in items}
        try:
            answered = attempt(group_work.answer_confidence, current_user, assignment, row,
                               pairs)
        except IntegrityError:  # answered at the same moment in another tab
            answered = None
        if answered is not None and isinstance(answered.refusal, group_work.ConfidenceProblems):
            problems = answered.refusal.items
        else:
            flash(_("Thank you. Here is how your confidence changed, as you see it."), "info")
            return redirect(url_for("review.confidence", assignment_id=assignment.id), 303)
    return render_template("review/confidence.html", assignment=assignment, survey=survey,
                           items=items, answer=answer, problems=problems,
                           typed=request.form if problems else {}), (400 if problems else 200)
