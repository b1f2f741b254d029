"""The dates a feed lists: what is due, when, and which page it is about.

Titles only: a module's title and what is due. Never case text, review text, names of people
or of groups, since a calendar app may show or sync its events where others see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from webapp import localtime
from webapp.models import (
    Assignment,
    Cohort,
    Extension,
    Group,
    GroupMember,
    Membership,
    ModuleVersionRow,
    Review,
    Submission,
)
from webapp.roles import PATIENT_PARTNER, STUDENT


@dataclass(frozen=True)
class Event:
    #: stable across reads, so a calendar app updates the event instead of adding another
    uid: str
    title: str
    starts: datetime  # naive UTC, as stored
    ends: datetime
    #: the page's path on this site (the feed makes it a full address)
    path: str
    zone: str


def _zone(assignment: Assignment) -> str:
    return localtime.zone_name(assignment.cohort.programme)


def _released(assignment: Assignment) -> datetime:
    """When the group's feedback comes: released by hand, else on the review-due date."""
    return assignment.feedback_released_at or assignment.review_due_at


def _assignments(session, where) -> list[Assignment]:
    return session.scalars(
        select(Assignment).join(Cohort, Cohort.id == Assignment.cohort_id)
        .where(where, Cohort.archived.is_(False))
        .options(joinedload(Assignment.cohort).joinedload(Cohort.programme),
                 joinedload(Assignment.module_version).load_only(ModuleVersionRow.title))
        .order_by(Assignment.due_at, Assignment.id)).all()


def own(session, account) -> list[Event]:
    """A person's own dates: their group's case and feedback, the module questions they are
    asked, and the reviews given to them."""
    events: list[Event] = []
    groups = dict(session.execute(
        select(Group.cohort_id, Group.id).join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.account_id == account.id)).all())
    asked = set(session.scalars(select(Membership.cohort_id).where(
        Membership.account_id == account.id, Membership.role.in_((STUDENT, PATIENT_PARTNER)))))
    if groups:
        extended = dict(session.execute(select(Extension.assignment_id, Extension.due_at).where(
            Extension.account_id == account.id)).all())
        for a in _assignments(session, Assignment.cohort_id.in_(groups)):
            events.extend(_group_dates(a, groups[a.cohort_id], extended.get(a.id),
                                       a.cohort_id in asked))
    reviews = session.execute(
        select(Submission.assignment_id, func.count(Review.id))
        .join(Review, Review.submission_id == Submission.id)
        .where(Review.reviewer_id == account.id, Review.submitted_at.is_(None))
        .group_by(Submission.assignment_id)).all()
    if reviews:
        count = dict(reviews)
        for a in _assignments(session, Assignment.id.in_(count)):
            title = a.module_version.title
            events.append(Event(
                f"reviews-{a.id}", _("Reviews due (%(n)d): %(title)s", n=count[a.id], title=title),
                a.review_due_at, a.review_due_at, "/reviews", _zone(a)))
    return sorted(events, key=lambda e: (e.starts, e.uid))


def _group_dates(a: Assignment, group_id: int, extended: datetime | None,
                 asked: bool) -> list[Event]:
    title, zone = a.module_version.title, _zone(a)
    due = extended or a.due_at
    dates = [
        Event(f"case-{a.id}-{group_id}", _("Case due: %(title)s", title=title), due, due,
              f"/assignments/{a.id}/case", zone),
        Event(f"feedback-{a.id}-{group_id}", _("Feedback on your case: %(title)s", title=title),
              _released(a), _released(a), f"/assignments/{a.id}", zone),
    ]
    if asked:
        dates.append(Event(
            f"questions-{a.id}", _("Module feedback questions open: %(title)s", title=title),
            a.due_at, a.review_due_at, f"/assignments/{a.id}/module-feedback", zone))
    return dates


def of_cohort(session, cohort: Cohort) -> list[Event]:
    """A cohort's dates, for its educators: when each module opens, the case and review due
    dates, when feedback is released and when module questions are open."""
    events: list[Event] = []
    for a in _assignments(session, Assignment.cohort_id == cohort.id):
        title, zone, page = a.module_version.title, _zone(a), f"/assignments/{a.id}"
        events += [
            Event(f"opens-{a.id}", _("Module opens: %(title)s", title=title),
                  a.opens_at, a.opens_at, page, zone),
            Event(f"due-{a.id}", _("Cases due: %(title)s", title=title), a.due_at, a.due_at,
                  page, zone),
            Event(f"review-due-{a.id}", _("Reviews due: %(title)s", title=title),
                  a.review_due_at, a.review_due_at, f"/assignments/{a.id}/reviews", zone),
            Event(f"released-{a.id}", _("Feedback released: %(title)s", title=title),
                  _released(a), _released(a), page, zone),
            Event(f"questions-{a.id}", _("Module feedback questions open: %(title)s",
                                         title=title),
                  a.due_at, a.review_due_at, page, zone),
        ]
    return sorted(events, key=lambda e: (e.starts, e.uid))
