"""Put the spring term where it belongs in time. Its work is made today, through the
product's operations; then every moment it left behind is set on a plausible calendar that
starts ``start`` (about eight months ago): parts written over three weeks, hand-ins before the
due date, reviews in the ten days after, feedback released, a response and confirmed hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from curriculum import template
from webapp.models import (
    AuditEvent,
    CaseWork,
    ConfidenceAnswer,
    Confirmation,
    ConsentRecord,
    Contribution,
    Group,
    GroupResponse,
    KnowledgeCheckAttempt,
    LessonProgress,
    Membership,
    Review,
    SectionDraft,
    SectionRevision,
    SelfAssessment,
    Submission,
)

DAY, HOUR = timedelta(days=1), timedelta(hours=1)


@dataclass(frozen=True)
class Calendar:
    start: datetime  # the module opens

    @property
    def due(self) -> datetime:
        return self.start + 21 * DAY + 9 * HOUR

    @property
    def review_due(self) -> datetime:
        return self.due + 10 * DAY

    @property
    def released(self) -> datetime:
        return self.review_due


def _rows(session, model, *where):
    return session.scalars(select(model).where(*where)).all()


def set_dates(session, when: Calendar, cohort, assignment, accounts, audit_after: int) -> None:
    """Set every timestamp of the term's rows (``accounts``: the people made for it;
    ``audit_after``: the last audit event before the term was made)."""
    session.flush()
    session.expire_all()  # some operations write with UPDATE statements
    start = when.start
    cohort.created_at = start - 14 * DAY
    assignment.created_at = start - 7 * DAY
    assignment.opens_at, assignment.due_at = start, when.due
    assignment.review_due_at = assignment.feedback_released_at = when.review_due
    for row in [*_rows(session, Group, Group.cohort_id == cohort.id),
                *_rows(session, Membership, Membership.cohort_id == cohort.id)]:
        row.created_at = start - 10 * DAY
    for account in accounts:
        account.created_at = account.joined_at = start - 10 * DAY
    cases = _rows(session, CaseWork, CaseWork.assignment_id == assignment.id)
    for g, case in enumerate(sorted(cases, key=lambda c: c.group_id)):
        _case(session, when, case, start + g * 2 * HOUR)
    for n, row in enumerate(_rows(session, LessonProgress,
                                  LessonProgress.module_version_id == assignment.module_version_id,
                                  LessonProgress.account_id.in_([a.id for a in accounts]))):
        row.read_at = start + (1 + n % 6) * DAY + (n % 9) * HOUR
    for n, row in enumerate(_rows(session, KnowledgeCheckAttempt,
                                  KnowledgeCheckAttempt.module_version_id
                                  == assignment.module_version_id,
                                  KnowledgeCheckAttempt.account_id.in_([a.id for a in accounts]))):
        row.at = start + (3 + n % 8) * DAY + (n % 5) * timedelta(minutes=7)
    for n, row in enumerate(_rows(session, ConfidenceAnswer,
                                  ConfidenceAnswer.assignment_id == assignment.id)):
        row.created_at = when.released + (2 + n % 5) * DAY
    for row in _rows(session, Contribution, Contribution.cohort_id == cohort.id):
        row.created_at = row.on_date + DAY
        row.confirmed_at = when.review_due + 5 * DAY
    for row in _rows(session, AuditEvent, AuditEvent.id > audit_after):
        row.at = start + DAY
    session.flush()


def _case(session, when: Calendar, case, begun: datetime) -> None:
    """One group's case: started on day one, a part every two days, handed in before the due
    date, reviewed, and (for one group) answered after the release."""
    case.started_at = begun + DAY
    handed_in = begun + 19 * DAY
    for row in _rows(session, ConsentRecord, ConsentRecord.case_work_id == case.id):
        row.created_at = case.started_at + HOUR
    for draft in _rows(session, SectionDraft, SectionDraft.case_work_id == case.id):
        written = case.started_at + (1 + 2 * (template.BY_KEY[draft.section].number - 1)) * DAY
        revisions = sorted(_rows(session, SectionRevision, SectionRevision.draft_id == draft.id),
                           key=lambda r: r.id)
        for r, revision in enumerate(revisions):
            revision.created_at = written + r * 5 * HOUR
        draft.updated_at = written + max(0, len(revisions) - 1) * 5 * HOUR
    for m, row in enumerate(_rows(session, Confirmation, Confirmation.case_work_id == case.id)):
        row.created_at = handed_in - (6 - m) * HOUR
    case.submitted_at = handed_in
    if case.ready_at is not None:
        case.ready_at = handed_in - DAY
    for submission in _rows(session, Submission, Submission.case_work_id == case.id):
        submission.submitted_at = handed_in
        for row in _rows(session, SelfAssessment, SelfAssessment.submission_id == submission.id):
            row.updated_at = handed_in - DAY
        for r, review in enumerate(_rows(session, Review,
                                         Review.submission_id == submission.id)):
            review.allocated_at = when.due + HOUR
            review.updated_at = review.submitted_at = when.due + (2 + 3 * r) * DAY
        for row in _rows(session, GroupResponse, GroupResponse.submission_id == submission.id):
            row.updated_at = when.released + 4 * DAY
