"""The group's own side of review, as operations: rating its own case before feedback is
released, answering what it will change after, and a student's then/now confidence.

Each runs inside the caller's transaction (``webapp.transactions.run`` through
``webapp.web.attempt``), flushes, and says no with ``Refused``.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.casework.operations import MAX_SECTION_CHARS, normalise
from webapp.casework.submission import current_submission
from webapp.clock import now
from webapp.models import ConfidenceAnswer, GroupResponse, SelfAssessment
from webapp.refusals import Refused
from webapp.review import operations

MAX_RESPONSE_CHARS = 5_000


def rate_own_case(session, actor, case, rubric_row, chosen: dict[str, str]) -> None:
    """Keep the group's self-rating (levels of ``rubric_row``'s rubric; others are dropped):
    with the case before hand-in, and with the submission too once it is handed in."""
    submission = current_submission(session, case) if case.submitted_at else None
    if submission is not None and operations.released(case.assignment):
        raise Refused(_("Feedback is released, so the self-rating is closed."), status=409)
    rubric = rubric_row.content()
    levels = {level.key for level in rubric.levels}
    ratings = {c.id: chosen.get(c.id) for c in rubric.criteria if chosen.get(c.id) in levels}
    case.self_rating, case.self_rating_rubric_id = ratings, rubric_row.id
    if submission is not None:
        carry(session, submission, case, actor)
    session.flush()


def carry(session, submission, case, actor=None) -> None:
    """Give ``submission`` the case's self-rating (at hand-in, and when it changes after)."""
    if case.self_rating_rubric_id is None:
        return
    ratings, rubric_id = dict(case.self_rating or {}), case.self_rating_rubric_id
    existing = session.scalar(select(SelfAssessment).where(
        SelfAssessment.submission_id == submission.id))
    by = actor.id if actor else None
    if existing is None:
        session.add(SelfAssessment(submission_id=submission.id, rubric_version_id=rubric_id,
                                   ratings=ratings, updated_by_id=by))
    else:
        existing.ratings, existing.rubric_version_id = ratings, rubric_id
        existing.updated_by_id, existing.updated_at = by, now()
    session.flush()


def respond(session, actor, case, text: str, revised_reflection: str) -> None:
    """Keep what the group will change (and part 9 as it revised it); reviewers read it."""
    submission = current_submission(session, case)
    if submission is None or not operations.released(case.assignment):
        raise Refused(_("You can respond once feedback is released."), status=409)
    text, revised = normalise(text), normalise(revised_reflection)
    if not text.strip():
        raise Refused(_("Write what your group will change."))
    if len(text) > MAX_RESPONSE_CHARS or len(revised) > MAX_SECTION_CHARS:
        raise Refused(_("The response has at most %(n)d characters, and part 9 at most "
                        "%(m)d.", n=MAX_RESPONSE_CHARS, m=MAX_SECTION_CHARS))
    row = session.scalar(select(GroupResponse).where(
        GroupResponse.submission_id == submission.id))
    if row is None:
        session.add(GroupResponse(submission_id=submission.id, text=text,
                                  revised_reflection=revised, updated_by_id=actor.id))
    else:
        row.text, row.revised_reflection = text, revised
        row.updated_by_id, row.updated_at = actor.id, now()
    session.flush()


class ConfidenceProblems(Refused):
    """Some then/now pairs were not numbers from 0 to 10: the items, to show beside them."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(_("Give each question a number from 0 to 10, then and now."))
        self.items = items


def answer_confidence(session, actor, assignment, survey_row,
                      pairs: dict[str, tuple[str, str]]) -> bool:
    """Keep a student's then/now answers once; returns False when they had answered already.
    ``pairs``: item id → (then, now) as typed."""
    survey = survey_row.content()
    values, problems = {}, []
    for item in survey.items:
        if item.kind != "then_now":
            continue
        pair = pairs.get(item.id, ("", ""))
        if not all(v.isdigit() and 0 <= int(v) <= 10 for v in pair):
            problems.append(item.text)
            continue
        values[item.id] = [int(pair[0]), int(pair[1])]
    if problems:
        raise ConfidenceProblems(problems)
    if session.scalar(select(ConfidenceAnswer.id).where(
            ConfidenceAnswer.account_id == actor.id,
            ConfidenceAnswer.assignment_id == assignment.id)):
        return False
    session.add(ConfidenceAnswer(account_id=actor.id, assignment_id=assignment.id,
                                 survey_version_id=survey_row.id, answers=values))
    session.flush()
    return True
