"""Retention: what a programme keeps after a cohort closes, and removing what is past it.

A programme sets, for each of case text, reviews and free-text feedback comments, how many
days after a cohort closes (is archived) they are kept; empty means "until removed by hand".
``plan`` lists what is due without changing anything; ``apply`` removes exactly that.

- Case text: every part's current text, every saved revision, the handed-in copies (and an
  educator's reason for submitting one), the working agreement, the group's response to its
  feedback with its revised part 9, and the notes on time given in the cohort are emptied
  (the case, its dates, who took part and the minutes given stay).
- Reviews: deleted (the counts already published in reports are not recomputed from them).
- Comments: deleted.
- Learning log: entries tied to the cohort (written about its assignments, or shared with it
  or its groups) are deleted with the answers given when they came back. Entries tied to no
  cohort stay their author's.

``WORDS`` names every column that holds words a person wrote and the setting that removes
it; ``NOT_WORDS`` names every other free-text column and why retention leaves it. A test
fails when a model gains a text column that is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update

from webapp import audit, localtime
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Contribution,
    FeedbackComment,
    Group,
    GroupResponse,
    LogEntry,
    Programme,
    Review,
    SectionDraft,
    SectionRevision,
    Submission,
)

SETTINGS = ("keep_case_text_days", "keep_reviews_days", "keep_comments_days", "keep_log_days")

#: Column → the setting whose keeping time removes it.
WORDS = {
    "case_work.promise_ourselves": "keep_case_text_days",
    "case_work.promise_each_other": "keep_case_text_days",
    "case_work.promise_person": "keep_case_text_days",
    "section_draft.text": "keep_case_text_days",
    "section_revision.text": "keep_case_text_days",
    "submission.sections": "keep_case_text_days",
    "submission.override_reason": "keep_case_text_days",
    "group_response.text": "keep_case_text_days",
    "group_response.revised_reflection": "keep_case_text_days",
    "contribution.note": "keep_case_text_days",
    "review.ratings": "keep_reviews_days",
    "review.comments": "keep_reviews_days",
    "review.answer": "keep_reviews_days",
    "feedback_comment.text": "keep_comments_days",
    # Learning log entries tied to the cohort (about its assignments, or shared with it or
    # its groups), with the answers and the reason an educator hid one. Entries tied to no
    # cohort (own notes, placements) stay the author's until they delete them or erasure.
    "log_entry.text": "keep_log_days",
    "log_entry.hidden_reason": "keep_log_days",
    "log_revisit.note": "keep_log_days",
}
#: Free-text columns retention leaves, and why.
NOT_WORDS = {
    "module_version.summary": "published course content",
    "module_version.payload": "published course content",
    "guide_version.payload": "published course content",
    "rubric_version.payload": "published course content",
    "survey_version.payload": "published course content",
    "review_log_entry.finding": "the programme's record of curriculum decisions (staff)",
    "review_log_entry.evidence": "the programme's record of curriculum decisions (staff)",
    "review_log_entry.decision": "the programme's record of curriculum decisions (staff)",
    "review_log_entry.summary": "the programme's record of curriculum decisions (staff)",
    "report_pool.decisions": "what the reports may publish: counts and reasons, no text",
    "confidence_answer.answers": "numbers from 0 to 10, no text",
    "self_assessment.ratings": "choices among a rubric's levels, no text",
    "case_work.self_rating": "choices among a rubric's levels, no text",
    "audit_event.detail": "the audit trail: who did what, never case text",
    "outbox.body": "mail the app writes itself; removed with the account on erasure",
    "notification.params": "a module's title, a cohort's name or a count, never anyone's "
                           "words; removed with the account on erasure",
    "account.notices": "the person's choices of email per kind of notification",
    "lti_platform.keys": "a learning platform's public keys, as it publishes them",
    "lti_pending_link.launch": "what a launch said (roles, course ids); removed when the "
                               "person joins the accounts, or with the account",
    "lti_tool_key.private_pem": "Coproduce's own signing key for LTI, not anyone's words",
    "lti_deep_link.settings": "a platform's deep-linking settings (addresses, its own data); "
                              "used once within the hour",
    "partner_agreement.tasks": "terms an educator writes; kept for bookkeeping, without the "
                               "person after erasure",
    "partner_agreement.fee": "terms an educator writes; kept for bookkeeping",
    "partner_agreement.travel": "terms an educator writes; kept for bookkeeping",
    "partner_agreement.lost_income": "terms an educator writes; kept for bookkeeping",
    "partner_agreement.companion": "terms an educator writes; kept for bookkeeping",
    "log_entry.tags": "ids of case template parts and objectives, no text",
    "report_job.error": "why a report job failed, in words the app writes itself; removed "
                        "with the job after JOB_KEEP_DAYS",
}
MAX_DAYS = 36_500


@dataclass
class Due:
    programme: str
    cohort: str
    cohort_id: int
    #: table → ids of the rows that would be emptied or deleted
    rows: dict[str, list] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.rows.values())


def _past(archived_at: datetime, days: int | None, moment: datetime, programme) -> bool:
    """Whether ``days`` have passed since archiving, counted on the programme's calendar."""
    return days is not None and localtime.add_days(archived_at, days, programme) <= moment


def _case_rows(session, cohort_id: int) -> dict[str, list]:
    cases = select(CaseWork.id).join(Group, Group.id == CaseWork.group_id).where(
        Group.cohort_id == cohort_id)
    drafts = session.scalars(select(SectionDraft.id).where(
        SectionDraft.case_work_id.in_(cases), SectionDraft.text != "")).all()
    revisions = session.scalars(select(SectionRevision.id).join(
        SectionDraft, SectionDraft.id == SectionRevision.draft_id).where(
        SectionDraft.case_work_id.in_(cases), SectionRevision.text != "")).all()
    submissions = [s.id for s in session.scalars(select(Submission).where(
        Submission.case_work_id.in_(cases)))
        if s.override_reason or any(part.get("text") for part in (s.sections or {}).values())]
    agreements = session.scalars(select(CaseWork.id).where(
        CaseWork.id.in_(cases), (CaseWork.promise_ourselves != "")
        | (CaseWork.promise_each_other != "") | (CaseWork.promise_person != ""))).all()
    responses = session.scalars(select(GroupResponse.id).join(
        Submission, Submission.id == GroupResponse.submission_id).where(
        Submission.case_work_id.in_(cases),
        (GroupResponse.text != "") | (GroupResponse.revised_reflection != ""))).all()
    notes = session.scalars(select(Contribution.id).where(
        Contribution.cohort_id == cohort_id, Contribution.note != "")).all()
    return {"section_draft": sorted(drafts), "section_revision": sorted(revisions),
            "submission": sorted(submissions), "case_work": sorted(agreements),
            "group_response": sorted(responses), "contribution": sorted(notes)}


def _log_rows(session, cohort_id: int) -> list[int]:
    """Learning log entries tied to the cohort: about its assignments, or shared with it or
    with one of its groups."""
    groups = select(Group.id).where(Group.cohort_id == cohort_id)
    assignments = select(Assignment.id).where(Assignment.cohort_id == cohort_id)
    return sorted(session.scalars(select(LogEntry.id).where(
        LogEntry.assignment_id.in_(assignments) | (LogEntry.share_cohort_id == cohort_id)
        | LogEntry.share_group_id.in_(groups))))


def plan(session, moment: datetime) -> list[Due]:
    """What is past its keeping time, per closed cohort; changes nothing."""
    found = []
    rows = session.execute(
        select(Programme, Cohort).join(Cohort, Cohort.programme_id == Programme.id)
        .where(Cohort.archived.is_(True), Cohort.archived_at.is_not(None))
        .order_by(Programme.name, Cohort.name)).all()
    for programme, cohort in rows:
        due = Due(programme.name, cohort.name, cohort.id)
        if _past(cohort.archived_at, programme.keep_case_text_days, moment, programme):
            due.rows.update(_case_rows(session, cohort.id))
        if _past(cohort.archived_at, programme.keep_reviews_days, moment, programme):
            due.rows["review"] = sorted(session.scalars(
                select(Review.id).join(Submission, Submission.id == Review.submission_id)
                .join(Assignment, Assignment.id == Submission.assignment_id)
                .where(Assignment.cohort_id == cohort.id)).all())
        if _past(cohort.archived_at, programme.keep_comments_days, moment, programme):
            due.rows["feedback_comment"] = sorted(session.scalars(
                select(FeedbackComment.id).where(FeedbackComment.cohort_id == cohort.id)))
        if _past(cohort.archived_at, programme.keep_log_days, moment, programme):
            due.rows["log_entry"] = _log_rows(session, cohort.id)
        if due.total:
            found.append(due)
    return found


def apply(session, dues: list[Due]) -> int:
    """Remove exactly the rows listed; the caller commits. Returns how many rows changed."""
    changed = 0
    for due in dues:
        ids = due.rows
        quiet = {"synchronize_session": False}
        if ids.get("section_draft"):
            changed += session.execute(update(SectionDraft).where(
                SectionDraft.id.in_(ids["section_draft"])).values(text="")
                .execution_options(**quiet)).rowcount
        if ids.get("section_revision"):
            changed += session.execute(update(SectionRevision).where(
                SectionRevision.id.in_(ids["section_revision"])).values(text="")
                .execution_options(**quiet)).rowcount
        for submission in session.scalars(select(Submission).where(
                Submission.id.in_(ids.get("submission") or [0]))):
            submission.sections = {key: {"removed": True} for key in submission.sections}
            submission.override_reason = "" if submission.override_reason else None
            changed += 1
        if ids.get("group_response"):
            changed += session.execute(update(GroupResponse).where(
                GroupResponse.id.in_(ids["group_response"])).values(
                text="", revised_reflection="").execution_options(**quiet)).rowcount
        if ids.get("contribution"):
            changed += session.execute(update(Contribution).where(
                Contribution.id.in_(ids["contribution"])).values(note="")
                .execution_options(**quiet)).rowcount
        if ids.get("case_work"):
            changed += session.execute(update(CaseWork).where(
                CaseWork.id.in_(ids["case_work"])).values(
                promise_ourselves="", promise_each_other="", promise_person="")
                .execution_options(**quiet)).rowcount
        for model, key in ((Review, "review"), (FeedbackComment, "feedback_comment"),
                           (LogEntry, "log_entry")):
            if ids.get(key):
                changed += session.execute(delete(model).where(model.id.in_(ids[key]))
                                           .execution_options(**quiet)).rowcount
        audit.record(session, "retention", cohort=due.cohort_id,
                     **{table: len(rows) for table, rows in ids.items() if rows})
    session.flush()
    return changed
