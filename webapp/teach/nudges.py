"""Reminding a group about an assignment: at most once an hour, and the board shows when."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp import localtime
from webapp.clock import now
from webapp.models import Account, Assignment, GroupMember, GroupNudge
from webapp.notices.operations import notify
from webapp.teach.operations import Refused, writable

#: A group is not reminded again about the same assignment sooner than this.
NUDGE_GAP = timedelta(hours=1)


def last_nudged(session, assignment_id: int) -> dict[int, GroupNudge]:
    """Group id → its reminder record for this assignment (one query)."""
    rows = session.scalars(select(GroupNudge).where(GroupNudge.assignment_id == assignment_id))
    return {row.group_id: row for row in rows}


def recipients(session, group) -> list[Account]:
    return list(session.scalars(select(Account).join(
        GroupMember, GroupMember.account_id == Account.id).where(
        GroupMember.group_id == group.id, Account.active.is_(True)).order_by(
        Account.display_name)))


def _claim(session, actor, assignment: Assignment, group) -> None:
    """Record this reminder, or refuse if the group had one within the hour.

    One conditional UPDATE (or one INSERT guarded by the unique constraint) decides, so two
    educators pressing at the same moment send one reminder, not two.
    """
    moment = now()
    where = (GroupNudge.assignment_id == assignment.id, GroupNudge.group_id == group.id)
    claimed = session.execute(
        update(GroupNudge).where(*where, GroupNudge.last_sent_at <= moment - NUDGE_GAP)
        .values(last_sent_at=moment, last_sent_by_id=actor.id, times=GroupNudge.times + 1)
    ).rowcount
    if claimed:
        return
    earlier = session.scalar(select(GroupNudge.last_sent_at).where(*where))
    if earlier is None:
        try:
            with session.begin_nested():
                session.add(GroupNudge(assignment_id=assignment.id, group_id=group.id,
                                       last_sent_at=moment, last_sent_by_id=actor.id, times=1))
            return
        except IntegrityError:
            earlier = session.scalar(select(GroupNudge.last_sent_at).where(*where)) or moment
    raise Refused(_("%(group)s was reminded at %(when)s, less than an hour ago, so no "
                    "reminder was sent now. You can remind them again from %(next)s.",
                    group=group.name, when=localtime.clock(earlier, assignment),
                    next=localtime.clock(earlier + NUDGE_GAP, assignment)))


def nudge(session, actor, assignment: Assignment, group, config) -> int:
    """Queue a reminder to every member of ``group``; returns how many were queued."""
    if group.cohort_id != assignment.cohort_id:
        raise Refused(_("Choose a group of this cohort."))
    writable(assignment.cohort)
    members = recipients(session, group)
    if not members:
        raise Refused(_("No one in %(group)s can be reminded: it has no active members.",
                        group=group.name))
    _claim(session, actor, assignment, group)
    title = assignment.module_version.title
    for account in members:
        notify(session, account, "reminder", path=f"/assignments/{assignment.id}",
               params={"title": title}, mail_as=dict(
                   subject=_l("A reminder about %(title)s", title=title),
                   template="nudge.txt", kind="nudge", name=account.display_name,
                   title=title, group=group.name, educator=actor.display_name,
                   due=LazyString(localtime.when, assignment.due_at, assignment),
                   url=f"{config['BASE_URL']}/assignments/{assignment.id}"))
    session.flush()
    return len(members)
