"""What makes a notification: one function per event, called in the transaction of the
change that causes it (or by the hourly run, ``webapp.notices.schedule``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from webapp import localtime
from webapp.models import (
    Account,
    Assignment,
    CaseVisit,
    CaseWork,
    Cohort,
    GroupMember,
    Membership,
    Notification,
    Submission,
)
from webapp.notices.operations import notify
from webapp.roles import EDUCATOR


def _members(session, group_ids) -> list[tuple[int, Account]]:
    return session.execute(
        select(GroupMember.group_id, Account).join(Account, Account.id == GroupMember.account_id)
        .where(GroupMember.group_id.in_(list(group_ids) or [0]), Account.active.is_(True))
        .order_by(GroupMember.group_id, Account.id)).all()


def feedback_released(session, assignment: Assignment) -> int:
    """Every member of a group that handed in its case hears that its feedback is ready
    (once per assignment, however it was released)."""
    cases = dict(session.execute(
        select(Submission.group_id, Submission.case_work_id)
        .where(Submission.assignment_id == assignment.id)
        .order_by(Submission.round)).all())
    told = 0
    title = assignment.module_version.title
    for group_id, account in _members(session, cases):
        told += notify(session, account, "feedback", path=f"/cases/{cases[group_id]}/feedback",
                       params={"title": title}, key=f"feedback:{assignment.id}") is not None
    return told


def case_changed(session, case_id: int, changes: dict[int, datetime]) -> int:
    """The others in the group hear that the case changed (``changes``: writer → when they
    last wrote) if it changed after they last opened it; at most once a day, and not again
    while an earlier notification of it is unread."""
    case = session.get(CaseWork, case_id)
    if case is None:
        return 0
    assignment = session.get(Assignment, case.assignment_id)
    opened = dict(session.execute(select(CaseVisit.account_id, CaseVisit.opened_at).where(
        CaseVisit.case_work_id == case_id)).all())
    waiting = set(session.scalars(select(Notification.account_id).where(
        Notification.kind == "case_changed", Notification.read_at.is_(None),
        Notification.key.startswith(f"case:{case_id}:", autoescape=True))))
    told = 0
    for _group, account in _members(session, [case.group_id]):
        seen = opened.get(account.id, datetime.min)
        news = [when for writer, when in changes.items() if writer != account.id
                and when > seen]
        if not news or account.id in waiting:
            continue
        day = localtime.local(max(news), assignment).date().isoformat()
        told += notify(session, account, "case_changed", path=f"/cases/{case_id}",
                       params={"title": assignment.module_version.title},
                       key=f"case:{case_id}:{day}") is not None
    return told


def educators_of(session, cohort: Cohort) -> list[Account]:
    return session.scalars(select(Account).join(Membership, Membership.account_id == Account.id)
                           .where(Membership.role == EDUCATOR, Account.active.is_(True),
                                  or_(Membership.cohort_id == cohort.id,
                                      Membership.programme_id == cohort.programme_id))
                           .distinct().order_by(Account.id)).all()


def comments_to_screen(session, cohort: Cohort, moment: datetime) -> int:
    """The cohort's educators hear that module feedback comments wait to be screened (at
    most once a day per cohort)."""
    day = localtime.local(moment, cohort.programme).date().isoformat()
    return sum(notify(session, account, "screening", path=f"/cohorts/{cohort.id}/comments",
                      params={"cohort": cohort.name}, key=f"screening:{cohort.id}:{day}")
               is not None for account in educators_of(session, cohort))
