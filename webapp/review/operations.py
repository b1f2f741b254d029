"""Reviewer capacities, allocation of submissions within each lens, saving and releasing reviews.

State changes only (flush, never commit). The allocation itself is ``curriculum.allocation``
(pure); this module feeds it from the database and writes the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, insert, select, update

from curriculum import allocation, scoring
from webapp.clock import now
from webapp.models import (
    Account,
    Assignment,
    Group,
    GroupMember,
    Membership,
    Review,
    ReviewerCapacity,
    RubricVersionRow,
    Submission,
)
from webapp.refusals import Refused
from webapp.review import notices

#: The rubric each lens reviews with.
RUBRIC_OF = {"educator": "case-rubric", "patient": "patient-review"}
#: Capacity offered when nobody has set one yet.
DEFAULT_CAPACITY = {"educator": 10, "patient": 4}
MAX_COMMENT_CHARS = 5_000




@dataclass
class ReviewerRow:
    account_id: int
    name: str
    lens: str
    capacity: int  # what allocation uses: the reviewer's choice, within the limit
    load: int = 0
    limit: int = 0  # the most the educator allows
    chosen: int | None = None


def reviewers(session, cohort) -> list[ReviewerRow]:
    """Educators of the cohort or its programme (educator lens) and the cohort's patient
    co-teachers (patient lens), with their capacities and current load in the cohort."""
    people = session.execute(
        select(Account.id, Account.display_name, Membership.role)
        .join(Membership, Membership.account_id == Account.id)
        .where(Account.active.is_(True),
               ((Membership.cohort_id == cohort.id)
                & Membership.role.in_(("educator", "patient_coteacher")))
               | ((Membership.programme_id == cohort.programme_id)
                  & (Membership.role == "educator")))
        .order_by(Account.display_name)
    ).all()
    caps = {(a, lens): (c, chosen) for a, lens, c, chosen in session.execute(
        select(ReviewerCapacity.account_id, ReviewerCapacity.lens, ReviewerCapacity.capacity,
               ReviewerCapacity.chosen)
        .where(ReviewerCapacity.cohort_id == cohort.id))}
    loads = dict(session.execute(
        select(Review.reviewer_id, func.count(Review.id))
        .join(Submission, Submission.id == Review.submission_id)
        .join(Group, Group.id == Submission.group_id)
        .where(Group.cohort_id == cohort.id, Submission.reopened_at.is_(None))
        .group_by(Review.reviewer_id)).tuples().all())
    rows: dict[tuple[int, str], ReviewerRow] = {}
    for account_id, name, role in people:
        lens = "patient" if role == "patient_coteacher" else "educator"
        limit, chosen = caps.get((account_id, lens), (DEFAULT_CAPACITY[lens], None))
        used = limit if chosen is None else min(chosen, limit)
        rows.setdefault((account_id, lens), ReviewerRow(account_id, name, lens, used,
                                                        loads.get(account_id, 0), limit, chosen))
    return list(rows.values())


def set_capacity(session, cohort, account_id: int, lens: str, capacity: int) -> None:
    if lens not in RUBRIC_OF or not 0 <= capacity <= 50:
        raise Refused(_("A capacity is a whole number from 0 to 50."))
    if account_id not in {r.account_id for r in reviewers(session, cohort) if r.lens == lens}:
        raise Refused(_("Choose a reviewer of this cohort."))
    row = session.scalar(select(ReviewerCapacity).where(
        ReviewerCapacity.cohort_id == cohort.id, ReviewerCapacity.account_id == account_id,
        ReviewerCapacity.lens == lens))
    if row is None:
        session.add(ReviewerCapacity(cohort_id=cohort.id, account_id=account_id, lens=lens,
                                     capacity=capacity))
    else:
        row.capacity = capacity
    session.flush()


def choose_capacity(session, cohort, account, lens: str, chosen: int) -> ReviewerRow:
    """The reviewer's own choice of how many cases they take, up to the educator's limit."""
    mine = next((r for r in reviewers(session, cohort)
                 if r.account_id == account.id and r.lens == lens), None)
    if mine is None:
        raise Refused(_("You do not review in this cohort."))
    if not 0 <= chosen <= mine.limit:
        raise Refused(_("Choose a number from 0 to %(n)d.", n=mine.limit))
    row = session.scalar(select(ReviewerCapacity).where(
        ReviewerCapacity.cohort_id == cohort.id, ReviewerCapacity.account_id == account.id,
        ReviewerCapacity.lens == lens))
    if row is None:
        row = ReviewerCapacity(cohort_id=cohort.id, account_id=account.id, lens=lens,
                               capacity=mine.limit)
        session.add(row)
    row.chosen = chosen
    session.flush()
    mine.chosen = mine.capacity = chosen
    return mine


def latest_rubric(session, lens: str) -> RubricVersionRow | None:
    return session.scalar(select(RubricVersionRow).where(
        RubricVersionRow.slug == RUBRIC_OF[lens]).order_by(
        RubricVersionRow.major.desc(), RubricVersionRow.minor.desc(),
        RubricVersionRow.patch.desc()).limit(1))


def open_submissions(session, assignment) -> list[Submission]:
    return list(session.scalars(select(Submission).where(
        Submission.assignment_id == assignment.id, Submission.reopened_at.is_(None))
        .order_by(Submission.id)))


@dataclass
class Outcome:
    added: int = 0
    uncovered: dict[str, list[int]] = field(default_factory=dict)
    #: The reviewer of each review added (a reviewer given three appears three times).
    given: list[int] = field(default_factory=list)


def allocate(session, assignment, seed: int | None = None, config=None) -> Outcome:
    """Allocate every not-yet-allocated submission of the assignment in both lenses, keeping
    earlier allocations (and hand swaps). Submissions that capacity cannot cover are listed.
    With ``config``, each reviewer given reviews gets one message saying how many."""
    cohort = assignment.cohort
    subs = open_submissions(session, assignment)
    people = reviewers(session, cohort)
    groups_of: dict[int, set[int]] = {}
    for account_id, group_id in session.execute(
            select(GroupMember.account_id, GroupMember.group_id)
            .join(Group, Group.id == GroupMember.group_id)
            .where(Group.cohort_id == cohort.id)):
        groups_of.setdefault(account_id, set()).add(group_id)
    existing = {(r.submission_id, r.lens): r.reviewer_id for r in session.scalars(
        select(Review).where(Review.submission_id.in_([s.id for s in subs] or [0])))}
    outcome = Outcome()
    for lens in RUBRIC_OF:
        rubric = latest_rubric(session, lens)
        lens_people = [p for p in people if p.lens == lens]
        mine = {s: r for (s, lens_), r in existing.items() if lens_ == lens and r is not None}
        here = {p.account_id: sum(1 for r in mine.values() if r == p.account_id)
                for p in lens_people}
        pool = [allocation.Reviewer(p.account_id, max(0, p.capacity - p.load + here[p.account_id]),
                                    frozenset(groups_of.get(p.account_id, ())))
                for p in lens_people]
        result = allocation.allocate([allocation.Sub(s.id, s.group_id) for s in subs], pool,
                                     seed if seed is not None else assignment.id, existing=mine)
        outcome.uncovered[lens] = result.uncovered
        if rubric is None:
            outcome.uncovered[lens] = [s.id for s in subs if s.id not in mine]
            continue
        new = [{"submission_id": sub_id, "reviewer_id": reviewer_id, "lens": lens,
                "rubric_version_id": rubric.id, "ratings": {}, "comments": {}, "answer": "",
                "show_name": False, "version": 0, "by_hand": False, "allocated_at": now()}
               for sub_id, reviewer_id in sorted(result.assigned.items()) if sub_id not in mine]
        if new:
            session.execute(insert(Review), new)
        outcome.added += len(new)
        outcome.given += [row["reviewer_id"] for row in new]
    if config is not None:
        notices.allocated(session, assignment, outcome.given, config)
    session.flush()
    return outcome


def swap(session, review: Review, reviewer_id: int, config=None) -> Account:
    """Give a review to another reviewer of the same lens (only before it is submitted).
    With ``config``, the new reviewer is told, and so is the one it was taken from."""
    if review.submitted_at is not None:
        raise Refused(_("This review is submitted; it stays with its author."))
    submission = review.submission
    cohort = session.get(Group, submission.group_id).cohort
    lens_people = {p.account_id for p in reviewers(session, cohort) if p.lens == review.lens}
    in_group = session.scalar(select(GroupMember.id).where(
        GroupMember.group_id == submission.group_id, GroupMember.account_id == reviewer_id))
    if reviewer_id not in lens_people or in_group:
        raise Refused(_("Choose a reviewer of this lens who is not in the submitting group."))
    previous = review.reviewer_id
    review.reviewer_id, review.by_hand = reviewer_id, True
    if config is not None and previous != reviewer_id:
        notices.moved(session, submission.assignment, submission.group.name, previous,
                      reviewer_id, config)
    session.flush()
    return session.get(Account, reviewer_id)


def hand_back(session, review: Review) -> str:
    """A reviewer gives back a review they have not submitted, without a reason; the
    submission shows as without a reviewer of that lens until an educator gives it again.
    Returns the group's name."""
    if review.submitted_at is not None:
        raise Refused(_("This review is submitted; it stays with its author."), status=409)
    group_name = review.submission.group.name
    session.delete(review)
    session.flush()
    return group_name


def save(session, review: Review, *, ratings: dict, comments: dict, answer: str,
         show_name: bool, base_version: int, submit: bool, withheld: set[str]) -> int:
    """Save a draft (or submit) if nobody saved since ``base_version``; returns the new version."""
    if review.submitted_at is not None:
        raise Refused(_("This review is already submitted."))
    rubric = review.rubric_version.content()
    levels = {level.key for level in rubric.levels}
    criteria = {c.id: c for c in rubric.criteria}
    # A criterion whose parts were all withheld is not assessed, so no rating is kept for it;
    # a reviewer may also mark one not assessed because the partner chose not to share it.
    levels.add(scoring.NOT_ASSESSED_KEY)
    clean_ratings = {k: v for k, v in ratings.items() if k in criteria and v in levels
                     and not (criteria[k].sections and set(criteria[k].sections) <= withheld)}
    clean_comments = {k: v.replace("\r\n", "\n") for k, v in comments.items()
                      if k in criteria and v.strip()}
    if any(len(v) > MAX_COMMENT_CHARS for v in clean_comments.values()) \
            or len(answer) > MAX_COMMENT_CHARS:
        raise Refused(_("A comment has at most %(n)d characters.", n=MAX_COMMENT_CHARS))
    if submit:
        needed = [c.title for c in rubric.criteria
                  if c.id not in clean_ratings and not set(c.sections) <= withheld]
        if needed:
            raise Refused(_("Rate every statement before submitting. Still to rate: %(list)s",
                            list="; ".join(needed)))
    moment = now()
    changed = session.execute(
        update(Review).where(Review.id == review.id, Review.version == base_version,
                             Review.submitted_at.is_(None))
        .values(ratings=clean_ratings, comments=clean_comments,
                answer=answer.replace("\r\n", "\n"), show_name=show_name,
                version=Review.version + 1, updated_at=moment,
                submitted_at=moment if submit else None)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise Refused(_("This review was changed in another window. Reload it to see the "
                        "latest version; what you typed is still below."))
    session.flush()
    return base_version + 1


def released(assignment) -> bool:
    return assignment.feedback_released_at is not None or now() >= assignment.review_due_at


def release(session, assignment: Assignment, config=None) -> int:
    """Release feedback; where the two lenses point in opposite directions on a submission,
    invite both reviewers to talk (mail in the same transaction). Returns invitations sent."""
    first = assignment.feedback_released_at is None
    assignment.feedback_released_at = assignment.feedback_released_at or now()
    session.flush()
    if first:  # the debrief: learning log entries about the module come back today
        from webapp.log.operations import reschedule_assignment
        from webapp.notices.events import feedback_released

        reschedule_assignment(session, assignment)
        feedback_released(session, assignment)
    if not first or config is None:
        return 0
    from webapp.notices.operations import notify
    from webapp.review.queries import differing_pairs
    from webapp.review.themes import words as theme_words

    sent = 0
    for group_name, themes, reviewer_ids in differing_pairs(session, assignment):
        people = session.scalars(select(Account).where(Account.id.in_(reviewer_ids))).all()
        for person in people:
            notify(session, person, "reviews", what="talk", path="/reviews",
                   params={"title": assignment.module_version.title}, mail_as=dict(
                       subject=_l("Two views of one case: an invitation to talk"),
                       template="perspectives_differ.txt", kind="perspectives",
                       name=person.display_name, group=group_name,
                       themes=[LazyString(theme_words, theme) for theme in themes],
                       title=assignment.module_version.title,
                       url=f"{config['BASE_URL']}/reviews"))
            sent += 1
    session.flush()
    return sent


def name_shown_to_group(session, review) -> str | None:
    """The reviewer's name as the group may see it, or None when it stays hidden.

    The one decision for every page and copy a group can read: an educator's name is shown;
    a patient co-teacher's only if they chose so (otherwise the group reads "patient
    co-teacher"); an erased reviewer is "a former reviewer"."""
    if review.lens != "educator" and not review.show_name:
        return None
    if review.reviewer_id is None:
        return _("a former reviewer")
    person = session.get(Account, review.reviewer_id)
    return person.display_name if person else _("a former reviewer")
