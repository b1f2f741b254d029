"""Reviews: capacities and allocation (educators), the reviewer's queue and form, feedback."""

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from curriculum import scoring, template
from webapp import authz, localtime
from webapp.casework import operations as work_ops
from webapp.casework.submission import current_submission
from webapp.casework.visibility import CaseWords
from webapp.clock import now
from webapp.extensions import db
from webapp.log import queries as log_queries
from webapp.models import (
    Assignment,
    CaseWork,
    GroupResponse,
    ResponseMarker,
    Review,
    SelfAssessment,
    Submission,
)
from webapp.review import bp, operations, queries
from webapp.web import change, small_int, wants_json


@bp.route("/assignments/<int:assignment_id>/reviews", methods=["GET", "POST"])
def manage(assignment_id: int):
    assignment = authz.target()
    back = url_for("review.manage", assignment_id=assignment.id)
    if request.method == "POST":
        action = request.form.get("action")
        if action not in ("capacity", "allocate", "swap", "release"):
            abort(400)
        return change(lambda: _manage(db.session, assignment, action), "{result}", back)
    subs = operations.open_submissions(db.session, assignment)
    reviews = {(r.submission_id, r.lens): r for r in db.session.scalars(
        select(Review).where(Review.submission_id.in_([s.id for s in subs] or [0])))}
    people = operations.reviewers(db.session, assignment.cohort)
    names = {p.account_id: p.name for p in people}
    group_names = {g.id: g.name for g in assignment.cohort.groups}
    return render_template("review/manage.html", assignment=assignment, subs=subs,
                           reviews=reviews, people=people, names=names,
                           group_names=group_names, lenses=operations.RUBRIC_OF,
                           released=operations.released(assignment))


def _manage(session, assignment, action: str) -> str:
    """One educator action on the review page; returns what to tell them."""
    if action == "capacity":
        account_id = small_int(request.form.get("account_id"))
        raw = (request.form.get("capacity") or "").strip()
        capacity = int(raw) if raw.isdigit() and len(raw) <= 3 else None
        if account_id is None or capacity is None:
            raise operations.Refused(_("A capacity is a whole number from 0 to 50."))
        operations.set_capacity(session, assignment.cohort, account_id,
                                request.form.get("lens", ""), capacity)
        message = _("Capacity saved.")
    elif action == "allocate":
        outcome = operations.allocate(session, assignment,
                                      config=current_app.config)
        missing = sum(len(v) for v in outcome.uncovered.values())
        message = _("%(n)d reviews allocated.", n=outcome.added)
        if missing:
            message += " " + _("Some submissions have no reviewer yet (listed below).")
    elif action == "swap":
        review = session.get(Review, small_int(request.form.get("review_id")) or 0)
        reviewer_id = small_int(request.form.get("reviewer_id"))
        if review is None or reviewer_id is None or \
                review.submission.assignment_id != assignment.id:
            raise operations.Refused(_("Choose a review and a reviewer."))
        name = operations.swap(session, review, reviewer_id,
                               current_app.config).display_name
        message = _("The review now goes to %(name)s.", name=name)
    elif action == "release":
        invited = operations.release(session, assignment, current_app.config)
        message = _("Feedback released: groups can read their reviews now.")
        if invited:
            message += " " + _("Where the two views differ, both reviewers were invited "
                               "to talk (%(n)d emails).", n=invited)
    return message


@bp.route("/reviews")
def queue():
    rows = db.session.execute(
        select(Review, Submission, Assignment)
        .join(Submission, Submission.id == Review.submission_id)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .options(joinedload(Submission.group), joinedload(Assignment.module_version))
        .where(Review.reviewer_id == current_user.id, Submission.reopened_at.is_(None))
        .order_by(Review.submitted_at.is_not(None), Assignment.review_due_at, Review.id)
    ).all()
    return render_template("review/queue.html", rows=rows,
                           capacities=queries.my_capacities(db.session, current_user),
                           to_tell=_survey_after_reviewing(rows))


def _survey_after_reviewing(rows) -> list:
    """Assignments whose reviews this person has all handed in, and whose module feedback
    they may give (patient co-teachers of the cohort) and have not given yet."""
    done: dict[int, object] = {}
    for review, _submission, assignment in rows:
        if review.submitted_at is None:
            done[assignment.id] = None
        else:
            done.setdefault(assignment.id, assignment)
    asked = [a for a in done.values() if a is not None
             and authz.allowed(current_user, "answer_survey", a)]
    given = set(db.session.scalars(select(ResponseMarker.assignment_id).where(
        ResponseMarker.account_id == current_user.id,
        ResponseMarker.assignment_id.in_([a.id for a in asked])))) if asked else set()
    return [a for a in asked if a.id not in given]


@bp.route("/cohorts/<int:cohort_id>/my-review-capacity", methods=["POST"])
def my_capacity(cohort_id: int):
    cohort = authz.target()
    raw = (request.form.get("capacity") or "").strip()
    chosen = int(raw) if raw.isdigit() and len(raw) <= 3 else -1
    return change(lambda: operations.choose_capacity(
        db.session, cohort, current_user, "patient", chosen).capacity,
        _("Saved: you take up to {result} cases in %(cohort)s.", cohort=cohort.name),
        url_for("review.queue") + "#how-many")


def _read_as(submission, purpose: str):
    """The submission's parts as this reader may read them, and the parts held back."""
    words = CaseWords(db.session, submission)
    parts = words.submission(submission, purpose, current_user.id)
    return parts, {key for key, part in parts.items() if part.get("withheld")}


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
def review(review_id: int):
    review = authz.target()
    submission = review.submission
    rubric = review.rubric_version.content()
    sections, withheld = _read_as(submission, "reviewer")
    typed = None
    if request.method == "POST":
        ratings = {c.id: request.form.get(f"rating-{c.id}", "") for c in rubric.criteria}
        comments = {c.id: request.form.get(f"comment-{c.id}", "") for c in rubric.criteria}
        answer = request.form.get("answer", "")
        submit = request.form.get("submit") == "1"
        as_json = wants_json()
        try:
            version = operations.save(db.session, review, ratings=ratings, comments=comments,
                                      answer=answer,
                                      show_name=request.form.get("show_name") == "1",
                                      base_version=small_int(request.form.get("version")) or 0,
                                      submit=submit and not as_json, withheld=withheld)
            db.session.commit()
        except operations.Refused as refusal:
            db.session.rollback()
            if as_json:
                return jsonify(error=refusal.message), 409
            flash(refusal.message, "error")
            typed = {"ratings": ratings, "comments": comments, "answer": answer}
        else:
            if as_json:
                return jsonify(version=version,
                               saved_at=localtime.clock(now(), submission.assignment))
            flash(_("Review submitted. Thank you.") if submit else _("Draft saved."), "info")
            return redirect(url_for("review.review", review_id=review.id), 303)
    db.session.refresh(review)
    case = db.session.get(CaseWork, submission.case_work_id)
    work_ops.log_staff_read(db.session, current_user, case, "review")
    db.session.commit()
    response = db.session.scalar(select(GroupResponse).where(
        GroupResponse.submission_id == submission.id))
    return render_template(
        "review/review.html", review=review, submission=submission, rubric=rubric,
        response=response,
        parts=template.SECTIONS, sections=sections, withheld=withheld, typed=typed,
        ratings=typed["ratings"] if typed else review.ratings,
        comments=typed["comments"] if typed else review.comments,
        answer=typed["answer"] if typed else review.answer,
        module=submission.assignment.module_version.content(),
        you_said_i_did=log_queries.sent_back_to(db.session, current_user.id,
                                                submission.case_work_id)), \
        (400 if typed else 200)


@bp.route("/reviews/<int:review_id>/hand-back", methods=["POST"])
def hand_back(review_id: int):
    review = authz.target()
    return change(lambda: operations.hand_back(db.session, review),
                  _("You handed back the review of {result}. Your educator will give it to "
                    "someone else."), url_for("review.queue"))


@bp.route("/cases/<int:case_id>/feedback")
def feedback(case_id: int):
    case = authz.target()
    submission = current_submission(db.session, case)
    member = work_ops.role_in_group(db.session, current_user.id, case) is not None
    assignment = case.assignment
    if submission is None:
        flash(_("Feedback comes after the case is submitted and reviewed."), "info")
        return redirect(url_for("casework.case", case_id=case.id), 303)
    if member and not operations.released(assignment):
        flash(_("Feedback is released on %(when)s, or earlier if your educator releases it.",
                when=localtime.when(assignment.review_due_at, assignment)), "info")
        return redirect(url_for("casework.case", case_id=case.id), 303)
    sections, withheld = _read_as(submission, "group" if member else "staff")
    if not member:
        work_ops.log_staff_read(db.session, current_user, case, "feedback")
        db.session.commit()
    done = db.session.scalars(select(Review).where(
        Review.submission_id == submission.id, Review.submitted_at.is_not(None))).all()
    profiles, authors = {}, {}
    for item in done:
        rubric = item.rubric_version.content()
        profiles[item.lens] = scoring.score(rubric, item.ratings, withheld=withheld,
                                            comments=item.comments)
        authors[item.lens] = (item, rubric)
    reviewer_names = {lens: name for lens, (item, _rubric) in authors.items()
                      if (name := operations.name_shown_to_group(db.session, item))}
    rows = scoring.side_by_side(profiles.get("educator"), profiles.get("patient"))
    own = db.session.scalar(select(SelfAssessment).where(
        SelfAssessment.submission_id == submission.id))
    own_labels = {}
    if own is not None:
        own_rubric = own.rubric_version.content()
        labels = {level.key: level.label for level in own_rubric.levels}
        own_labels = {k: labels.get(v, "") for k, v in own.ratings.items()}
    response = db.session.scalar(select(GroupResponse).where(
        GroupResponse.submission_id == submission.id))
    return render_template("review/feedback.html", case=case, submission=submission,
                           sections=sections,
                           rows=rows, authors=authors, names=reviewer_names,
                           differ=[row.theme for row in rows if row.differ],
                           own=own_labels, response=response, member=member)


@bp.route("/assignments/<int:assignment_id>/review-report")
def report(assignment_id: int):
    assignment = authz.target()
    return render_template("review/report.html", assignment=assignment,
                           report=queries.assignment_report(db.session, assignment))
