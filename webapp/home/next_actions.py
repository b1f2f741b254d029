"""The few things a person should do next, with dates and direct links, and what happened
lately in their groups. A fixed set of queries whatever the number of cohorts or groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, select

from curriculum import template
from webapp.clock import now
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    Cohort,
    FeedbackComment,
    GroupResponse,
    Membership,
    ModuleVersionRow,
    PartnerAgreement,
    Programme,
    ResponseMarker,
    Review,
    SectionDraft,
    SectionRevision,
    Submission,
)
from webapp.roles import PATIENT_PARTNER

#: How many next actions the page shows (the rest are on the cards below).
SHOWN = 6
ORDER = [part.key for part in template.SECTIONS]


def _heading(key: str) -> str:
    """A part's heading in the page's language (the key itself for an unknown part)."""
    part = template.BY_KEY.get(key)
    return part.heading if part else key


@dataclass
class Next:
    text: str
    endpoint: str
    args: dict
    due: datetime | None = None
    zone: str = ""  # the time zone the due date is shown in ("" = the default)


@dataclass
class Recent:
    at: datetime
    who: str
    part: str
    case_id: int
    zone: str = ""


def _learner_work(session, account, learner) -> list[Next]:
    """Open assignments of the person's groups: start, write the next part, confirm, read
    the feedback, tell us about the module."""
    if not learner:
        return []
    out: list[Next] = []
    cases = {(row.group_id, row.assignment_id): row for row in session.scalars(
        select(CaseWork).where(CaseWork.group_id.in_({row[0] for row in learner}),
                               CaseWork.assignment_id.in_({row[1].id for row in learner})))}
    unwritten: dict[int, list[str]] = {}
    for case_id, section in session.execute(
            select(SectionDraft.case_work_id, SectionDraft.section).where(
                SectionDraft.case_work_id.in_([c.id for c in cases.values()] or [0]),
                SectionDraft.written.is_(False))):
        unwritten.setdefault(case_id, []).append(section)
    responded = set(session.scalars(select(Submission.case_work_id).join(
        GroupResponse, GroupResponse.submission_id == Submission.id).where(
        Submission.case_work_id.in_([c.id for c in cases.values()] or [0]))))
    answered = set(session.scalars(select(ResponseMarker.assignment_id).where(
        ResponseMarker.account_id == account.id)))
    moment = now()
    for group_id, assignment, due, title, zone in learner:
        case = cases.get((group_id, assignment.id))
        if case is None:
            if assignment.opens_at <= moment:
                out.append(Next(_("Start the case for %(m)s with your group", m=title),
                                "casework.start", {"assignment_id": assignment.id}, due, zone))
        elif case.submitted_at is None:
            left = sorted(unwritten.get(case.id, []), key=ORDER.index)
            if left:
                out.append(Next(_("Write part %(n)d, %(h)s (%(m)s)", n=ORDER.index(left[0]) + 1,
                                  h=_heading(left[0]), m=title), "casework.case",
                                {"case_id": case.id, "_anchor": f"part-{left[0]}"}, due, zone))
            else:
                out.append(Next(_("Confirm your group's case for hand-in (%(m)s)", m=title),
                                "casework.case", {"case_id": case.id}, due, zone))
        else:
            if (assignment.feedback_released_at or assignment.review_due_at <= moment) \
                    and case.id not in responded:
                out.append(Next(_("Read the feedback on your case and say what you will "
                                  "change (%(m)s)", m=title), "review.feedback",
                                {"case_id": case.id}))
            if assignment.id not in answered:
                out.append(Next(_("Tell us how %(m)s worked for you (anonymous)", m=title),
                                "reports.survey", {"assignment_id": assignment.id}))
    return out


def _reviews(session, account) -> list[Next]:
    rows = session.execute(
        select(Assignment.review_due_at, Programme.time_zone)
        .select_from(Review).join(Submission, Submission.id == Review.submission_id)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Review.reviewer_id == account.id, Review.submitted_at.is_(None))
        .order_by(Assignment.review_due_at)).all()
    if not rows:
        return []
    due, zone = rows[0]
    return [Next(ngettext("You have %(num)d case to review", "You have %(num)d cases to review",
                          len(rows)), "review.queue", {}, due, zone or "")]


def _agreements(session, account) -> list[Next]:
    """Agreements offered to the person and not yet accepted: before anything else."""
    rows = session.execute(select(PartnerAgreement.id, Cohort.name)
                           .join(Cohort, Cohort.id == PartnerAgreement.cohort_id)
                           .where(PartnerAgreement.account_id == account.id,
                                  PartnerAgreement.state == "offered")).all()
    return [Next(_("Read and accept your agreement for %(cohort)s", cohort=name),
                 "teach.agreement", {"agreement_id": agreement_id})
            for agreement_id, name in rows]


def _staff(session, educator_cohorts, report_cohorts) -> list[Next]:
    out: list[Next] = []
    for cohort_id, name, count in session.execute(
            select(Cohort.id, Cohort.name, func.count()).join(
                FeedbackComment, FeedbackComment.cohort_id == Cohort.id)
            .where(Cohort.id.in_(educator_cohorts or [0]), FeedbackComment.status == "pending")
            .group_by(Cohort.id, Cohort.name)):
        out.append(Next(ngettext("Screen %(num)d feedback comment from %(c)s",
                                 "Screen %(num)d feedback comments from %(c)s", count, c=name),
                        "reports.screening", {"cohort_id": cohort_id}))
    if report_cohorts:
        for programme_id, version_id, title, version in session.execute(
                select(Cohort.programme_id, ModuleVersionRow.id, ModuleVersionRow.title,
                       ModuleVersionRow.version)
                .join(Assignment, Assignment.cohort_id == Cohort.id)
                .join(ModuleVersionRow, ModuleVersionRow.id == Assignment.module_version_id)
                .where(Cohort.id.in_(report_cohorts), Assignment.review_due_at <= now())
                .group_by(Cohort.programme_id, ModuleVersionRow.id, ModuleVersionRow.title,
                          ModuleVersionRow.version)
                .order_by(func.max(Assignment.review_due_at).desc()).limit(3)):
            out.append(Next(_("Read the report for %(m)s %(v)s", m=title, v=version),
                            "reports.module_report", {"programme_id": programme_id,
                                                      "module_version_id": version_id}))
    return out


def recent_in_groups(session, account, group_ids) -> list[Recent]:
    """The latest saves by others in the person's groups' cases (five at most)."""
    if not group_ids:
        return []
    rows = session.execute(
        select(SectionRevision.created_at, Account.display_name, SectionDraft.section,
               SectionDraft.case_work_id, Programme.time_zone)
        .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
        .join(CaseWork, and_(CaseWork.id == SectionDraft.case_work_id,
                             CaseWork.group_id.in_(group_ids)))
        .join(Assignment, Assignment.id == CaseWork.assignment_id)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .join(Account, Account.id == SectionRevision.account_id)
        .where(SectionRevision.account_id != account.id)
        .order_by(SectionRevision.id.desc()).limit(5))
    return [Recent(at, who, _heading(section), case_id, zone or "")
            for at, who, section, case_id, zone in rows]


def next_actions(session, account, cards, group_of: dict[int, int]) -> list[Next]:
    """What to do next across every cohort card, soonest due first."""
    learner, educator_cohorts = [], []
    assignments = {a.id: a for a in session.scalars(select(Assignment).where(
        Assignment.id.in_([line.id for c in cards for line in c.assignments] or [0])))}
    for card in cards:
        roles = set(card.roles)
        if roles & {"educator", "admin"}:
            educator_cohorts.append(card.cohort_id)
        if card.cohort_id in group_of and roles & {"student", PATIENT_PARTNER}:
            for line in card.assignments:
                if line.status in ("open", "overdue", "submitted"):
                    learner.append((group_of[card.cohort_id], assignments[line.id],
                                    line.due_at, line.title, card.zone))
    # Programme reports are for the programme's educators and leads (and admins).
    programmes = set(session.scalars(select(Membership.programme_id).where(
        Membership.account_id == account.id, Membership.programme_id.is_not(None),
        Membership.role.in_(("educator", "lead")))))
    report_cohorts = [c.cohort_id for c in cards if account.admin
                      or c.programme_id in programmes]
    found = (_learner_work(session, account, learner) + _reviews(session, account)
             + _staff(session, educator_cohorts, report_cohorts))
    far = datetime.max
    found.sort(key=lambda n: n.due or far)
    return (_agreements(session, account) + found)[:SHOWN]
