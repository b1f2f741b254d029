"""Anonymous module feedback: answering once, and screening free text before anyone reads it."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.models import (
    FeedbackAnswer,
    FeedbackComment,
    FeedbackResponse,
    ResponseMarker,
    SurveyVersionRow,
)
from webapp.refusals import Refused
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER

SURVEY = "module-feedback"
MAX_TEXT = 2_000




def term_of(moment: datetime) -> str:
    """The finest time an answer carries: the year and half-year."""
    return f"{moment.year}-{'spring' if moment.month <= 6 else 'autumn'}"


def latest_survey(session) -> SurveyVersionRow | None:
    return session.scalar(select(SurveyVersionRow).where(SurveyVersionRow.slug == SURVEY)
                          .order_by(SurveyVersionRow.major.desc(), SurveyVersionRow.minor.desc(),
                                    SurveyVersionRow.patch.desc()).limit(1))


def items_for(survey, respondent: str):
    """The survey's items for a student, a patient partner or a patient co-teacher (and those
    for everyone)."""
    role = {"student": "student", "coteacher": PATIENT_COTEACHER}.get(respondent, PATIENT_PARTNER)
    return [item for item in survey.items if item.respondent in (role, "all")]


def answered(session, account_id: int, assignment_id: int) -> bool:
    return bool(session.scalar(select(ResponseMarker.id).where(
        ResponseMarker.account_id == account_id, ResponseMarker.assignment_id == assignment_id)))


def answer(session, account_id: int, assignment, respondent: str, form: dict,
           moment: datetime) -> None:
    """Check the answers, then write the marker (own transaction, committed) and then the
    anonymous answers (a second transaction the caller commits)."""
    row = latest_survey(session)
    if row is None:
        raise Refused(_("The feedback questions are not available yet."))
    survey = row.content()
    ratings, texts = {}, {}
    for item in items_for(survey, respondent):
        raw = (form.get(item.id) or "").strip()
        if item.kind == "rating" and raw:
            if not raw.isdigit() or int(raw) >= len(survey.scale):
                raise Refused(_("Choose one of the listed answers."))
            ratings[item.id] = int(raw)
        elif item.kind == "text" and raw:
            if len(raw) > MAX_TEXT:
                raise Refused(_("An answer has at most %(n)d characters.", n=MAX_TEXT))
            texts[item.id] = raw
    if not ratings and not texts:
        raise Refused(_("Answer at least one question, or leave the page if you prefer not "
                        "to answer."))
    session.add(ResponseMarker(account_id=account_id, assignment_id=assignment.id))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Refused(_("You have already answered for this module. Thank you.")) from None
    term = term_of(moment)
    response = FeedbackResponse(id=secrets.token_hex(16),
                                module_version_id=assignment.module_version_id,
                                cohort_id=assignment.cohort_id, survey_version_id=row.id,
                                respondent=respondent, term=term)
    session.add(response)
    session.flush()
    session.add_all([FeedbackAnswer(response_id=response.id, item=item, value=value,
                                    module_version_id=response.module_version_id,
                                    cohort_id=response.cohort_id, respondent=respondent)
                     for item, value in ratings.items()])
    session.add_all([FeedbackComment(module_version_id=assignment.module_version_id,
                                     cohort_id=assignment.cohort_id, respondent=respondent,
                                     term=term, item=item, text=text)
                     for item, text in texts.items()])
    session.flush()
    if texts:
        from webapp.notices.events import comments_to_screen

        comments_to_screen(session, assignment.cohort, moment)


def screen(session, actor, comment: FeedbackComment, decision: str, text: str | None) -> None:
    if decision not in ("approve", "reject"):
        raise Refused(_("Choose approve or reject."))
    if decision == "approve" and text is not None:
        text = text.strip()
        if not text or len(text) > MAX_TEXT:
            raise Refused(_("The approved text must be 1 to %(n)d characters.", n=MAX_TEXT))
        comment.text = text
    comment.status = "approved" if decision == "approve" else "rejected"
    comment.screened_by_id = actor.id
    session.flush()
