"""Telling reviewers about their work: mail when reviews are given to them or taken away
(by a swap, or because the group's case was reopened).

Listed in What's new and mailed as each reviewer chose (``webapp.notices``), in the
caller's transaction, so a change that is rolled back tells nobody anything.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from webapp import localtime
from webapp.models import Account, Assignment, Review, Submission
from webapp.notices.operations import notify


def _due(assignment: Assignment) -> LazyString:
    """The review due date, written out in the recipient's language."""
    return LazyString(localtime.when, assignment.review_due_at, assignment)


def allocated(session, assignment: Assignment, reviewer_ids: list[int], config) -> int:
    """One message per reviewer who was given reviews, saying how many; returns messages."""
    counts = Counter(reviewer_ids)
    people = session.scalars(select(Account).where(Account.id.in_(counts or [0]))).all()
    title = assignment.module_version.title
    for person in people:
        notify(session, person, "reviews", what="allocated", path="/reviews",
               params={"title": title, "count": counts[person.id]}, mail_as=dict(
                   kind="reviews_allocated",
                   subject=_l("Reviews for you: %(title)s", title=title),
                   template="reviews_allocated.txt", name=person.display_name,
                   count=counts[person.id], title=title, due=_due(assignment),
                   url=f"{config['BASE_URL']}/reviews"))
    return len(people)


def moved(session, assignment: Assignment, group_name: str, old_id: int | None,
          new_id: int, config) -> None:
    """A review given by hand to ``new_id``: tell them, and tell ``old_id`` it is not theirs."""
    title = assignment.module_version.title
    new = session.get(Account, new_id)
    notify(session, new, "reviews", what="allocated", path="/reviews",
           params={"title": title, "count": 1}, mail_as=dict(
               kind="reviews_allocated",
               subject=_l("Reviews for you: %(title)s", title=title),
               template="reviews_allocated.txt", name=new.display_name, count=1,
               title=title, due=_due(assignment), url=f"{config['BASE_URL']}/reviews"))
    old = session.get(Account, old_id) if old_id and old_id != new_id else None
    if old is not None:
        notify(session, old, "reviews", what="taken", path="/reviews",
               params={"title": title}, mail_as=dict(
                   kind="review_released",
                   subject=_l("A review has been given to someone else: %(title)s",
                              title=title),
                   template="review_released.txt", name=old.display_name, group=group_name,
                   title=title, url=f"{config['BASE_URL']}/reviews"))


def reopened(session, submission_ids: list[int], group_name: str, config) -> int:
    """Tell each reviewer with an unfinished review of these (now reopened) submissions that
    it is no longer needed; returns messages queued."""
    rows = session.execute(
        select(Account, Assignment)
        .join(Review, Review.reviewer_id == Account.id)
        .join(Submission, Submission.id == Review.submission_id)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .where(Review.submission_id.in_(submission_ids or [0]),
               Review.submitted_at.is_(None))).all()
    for person, assignment in rows:
        title = assignment.module_version.title
        notify(session, person, "reviews", what="reopened", path="/reviews",
               params={"title": title}, mail_as=dict(
                   kind="review_released",
                   subject=_l("A review you no longer need to do: %(title)s", title=title),
                   template="review_reopened.txt", name=person.display_name,
                   group=group_name, title=title, url=f"{config['BASE_URL']}/reviews"))
    return len(rows)
