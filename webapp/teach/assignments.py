"""Assignments: a cohort's work on one pinned module version, dates, more time, new versions."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    Extension,
    Membership,
    ModuleVersionRow,
)
from webapp.roles import PATIENT_PARTNER
from webapp.teach.operations import Refused, writable


def check_dates(opens_at: datetime, due_at: datetime, review_due_at: datetime) -> None:
    if not opens_at < due_at:
        raise Refused(_("The due date must be after the opening date."), reason="due_at")
    if not due_at <= review_due_at:
        raise Refused(_("Reviews can only be due on or after the due date."),
                      reason="review_due_at")


def create(session, actor, cohort, *, module_version_id: int, opens_at: datetime,
           due_at: datetime, review_due_at: datetime) -> Assignment:
    writable(cohort)
    row = session.get(ModuleVersionRow, module_version_id)
    if row is None:
        raise Refused(_("Choose a published module version."), reason="module_version_id")
    check_dates(opens_at, due_at, review_due_at)
    clash = session.scalar(select(Assignment.id).where(Assignment.cohort_id == cohort.id,
                                                       Assignment.module_slug == row.slug))
    if clash:
        raise Refused(_("“%(title)s” is already assigned to this cohort. Change that "
                        "assignment's dates instead.", title=row.title),
                      reason="module_version_id")
    assignment = Assignment(cohort_id=cohort.id, module_slug=row.slug, module_version_id=row.id,
                            opens_at=opens_at, due_at=due_at, review_due_at=review_due_at,
                            created_by_id=actor.id)
    session.add(assignment)
    session.flush()
    return assignment


def change_dates(session, assignment: Assignment, *, opens_at, due_at, review_due_at) -> None:
    writable(assignment.cohort)
    check_dates(opens_at, due_at, review_due_at)
    moved = assignment.due_at != due_at
    assignment.opens_at, assignment.due_at = opens_at, due_at
    assignment.review_due_at = review_due_at
    session.flush()
    if moved:  # learning log entries about it come back the day before the new due date
        from webapp.log.operations import reschedule_assignment

        reschedule_assignment(session, assignment)


def extend(session, actor, assignment: Assignment, account_id: int,
           due_at: datetime | None) -> Account:
    """Give one student or patient partner a later due date (None takes it away)."""
    writable(assignment.cohort)
    account = session.get(Account, account_id)
    member = account is not None and session.scalar(select(Membership.id).where(
        Membership.account_id == account_id, Membership.cohort_id == assignment.cohort_id,
        Membership.role.in_(("student", PATIENT_PARTNER))))
    if not member:
        raise Refused(_("Choose a student or patient partner of this cohort."))
    current = session.scalar(select(Extension).where(Extension.assignment_id == assignment.id,
                                                     Extension.account_id == account_id))
    if due_at is None:
        if current is not None:
            session.delete(current)
        session.flush()
        return account
    if due_at <= assignment.due_at:
        raise Refused(_("More time means a date after the assignment's due date."))
    if current is None:
        session.add(Extension(assignment_id=assignment.id, account_id=account_id, due_at=due_at,
                              granted_by_id=actor.id))
    else:
        current.due_at, current.granted_by_id = due_at, actor.id
    session.flush()
    return account


def newer_version(session, assignment: Assignment) -> ModuleVersionRow | None:
    """The newest published version of the module, if it is newer than the pinned one."""
    pinned = assignment.module_version
    newest = session.scalar(select(ModuleVersionRow).where(
        ModuleVersionRow.slug == assignment.module_slug).order_by(
        ModuleVersionRow.major.desc(), ModuleVersionRow.minor.desc(),
        ModuleVersionRow.patch.desc()).limit(1))
    key = (newest.major, newest.minor, newest.patch) if newest else None
    if newest is None or key <= (pinned.major, pinned.minor, pinned.patch):
        return None
    return newest


def has_started(session, assignment: Assignment) -> bool:
    return bool(session.scalar(select(CaseWork.id).where(
        CaseWork.assignment_id == assignment.id).limit(1)))


def change_version(session, assignment: Assignment, module_version_id: int) -> ModuleVersionRow:
    """Move the assignment to another version of its module, only before any group starts."""
    writable(assignment.cohort)
    row = session.get(ModuleVersionRow, module_version_id)
    if row is None or row.slug != assignment.module_slug:
        raise Refused(_("Choose a version of the same module."))
    if has_started(session, assignment):
        raise Refused(_("A group has started this case, so the version stays as it is. "
                        "Assign the new version to a later cohort."))
    assignment.module_version_id = row.id
    session.flush()
    return row
