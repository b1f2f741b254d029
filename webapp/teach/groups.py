"""Mixed groups: create, rename, delete, move people, and apply a suggested grouping."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from webapp import audit
from webapp.models import Assignment, CaseWork, Cohort, Group, GroupMember, Membership
from webapp.roles import PATIENT_PARTNER
from webapp.teach import grouping
from webapp.teach.operations import Refused, _name, _place, writable

#: At most this many groups in one cohort.
MAX_GROUPS = 500


def create_group(session, cohort: Cohort, name: str) -> Group:
    writable(cohort)
    name = _name(name, _("group"), 120)
    if session.scalar(select(Group.id).where(Group.cohort_id == cohort.id, Group.name == name)):
        raise Refused(_("This cohort already has a group called “%(name)s”.", name=name))
    count = session.scalar(select(func.count(Group.id)).where(Group.cohort_id == cohort.id))
    if count >= MAX_GROUPS:
        raise Refused(_("A cohort has at most %(n)d groups.", n=MAX_GROUPS))
    group = Group(cohort=cohort, name=name)
    session.add(group)
    session.flush()
    return group


def rename_group(session, group: Group, name: str) -> None:
    writable(group.cohort)
    name = _name(name, _("group"), 120)
    if session.scalar(select(Group.id).where(Group.cohort_id == group.cohort_id,
                                             Group.name == name, Group.id != group.id)):
        raise Refused(_("This cohort already has a group called “%(name)s”.", name=name))
    group.name = name
    session.flush()


def delete_group(session, group: Group) -> str:
    """Only an empty group that has not started any case work can go."""
    writable(group.cohort)
    if session.scalar(select(GroupMember.id).where(GroupMember.group_id == group.id).limit(1)):
        raise Refused(_("Move everyone out of “%(name)s” before deleting it.", name=group.name))
    if session.scalar(select(CaseWork.id).where(CaseWork.group_id == group.id).limit(1)):
        raise Refused(_("“%(name)s” has case work, so it is kept.", name=group.name))
    name = group.name
    session.delete(group)
    session.flush()
    return name


def move_member(session, cohort: Cohort, account_id: int, group_id: int, actor=None) -> None:
    """Move a student or patient partner to another group of the cohort (0: no group)."""
    writable(cohort)
    roles = set(session.scalars(select(Membership.role).where(
        Membership.account_id == account_id, Membership.cohort_id == cohort.id)))
    if not roles & {"student", PATIENT_PARTNER}:
        raise Refused(_("Only students and patient partners of this cohort join a group."))
    if group_id == 0:
        audit.record(session, "member_moved", actor_id=actor.id if actor else None,
                     subject_id=account_id, cohort=cohort.id, group=None)
        session.execute(delete(GroupMember).where(
            GroupMember.account_id == account_id,
            GroupMember.group_id.in_(select(Group.id).where(Group.cohort_id == cohort.id))))
        session.flush()
        return
    group = session.get(Group, group_id)
    if group is None or group.cohort_id != cohort.id:
        raise Refused(_("Choose a group of this cohort."))
    _place(session, account_id, cohort, group)
    audit.record(session, "member_moved", actor_id=actor.id if actor else None,
                 subject_id=account_id, cohort=cohort.id, group=group.id)
    session.flush()


def started(session, cohort: Cohort) -> bool:
    """True once any group of the cohort has begun case work on any assignment."""
    return bool(session.scalar(
        select(CaseWork.id).join(Assignment, Assignment.id == CaseWork.assignment_id)
        .where(Assignment.cohort_id == cohort.id).limit(1)))


def people(session, cohort: Cohort) -> list[grouping.Person]:
    rows = session.execute(
        select(Membership.account_id, Membership.role)
        .where(Membership.cohort_id == cohort.id,
               Membership.role.in_(("student", PATIENT_PARTNER)))
    ).all()
    from webapp.models import Account

    names = dict(session.execute(select(Account.id, Account.display_name).where(
        Account.id.in_({a for a, _r in rows}))).tuples().all()) if rows else {}
    roles: dict[int, str] = {}
    for account_id, role in rows:
        if roles.get(account_id) != PATIENT_PARTNER:
            roles[account_id] = role
    return [grouping.Person(a, names.get(a, ""), r) for a, r in sorted(roles.items())]


def suggestion(session, cohort: Cohort, count: int, seed: int):
    """The suggested groups as (name, [people]) without changing anything."""
    if not 1 <= count <= MAX_GROUPS:
        raise Refused(_("Choose between 1 and %(n)d groups.", n=MAX_GROUPS))
    everyone = people(session, cohort)
    if count > max(len(everyone), 1):
        raise Refused(_("There are only %(n)d students and patient partners; choose at most "
                        "that many groups.", n=len(everyone)))
    existing = list(session.scalars(select(Group.name).where(Group.cohort_id == cohort.id)
                                    .order_by(Group.name)))
    names = existing[:count] + grouping.group_names(max(0, count - len(existing)), set(existing))
    return list(zip(names, grouping.suggest(everyone, count, seed), strict=True))


def apply_suggestion(session, cohort: Cohort, count: int, seed: int):
    """Replace the cohort's group memberships with the suggestion (before any case work)."""
    writable(cohort)
    if started(session, cohort):
        raise Refused(_("Groups have started their case work, so they are not reshuffled. "
                        "Move people one at a time instead."))
    plan = suggestion(session, cohort, count, seed)
    groups = {g.name: g for g in session.scalars(select(Group).where(Group.cohort_id == cohort.id))}
    session.execute(delete(GroupMember).where(
        GroupMember.group_id.in_(select(Group.id).where(Group.cohort_id == cohort.id))))
    for name, members in plan:
        group = groups.get(name)
        if group is None:
            group = Group(cohort=cohort, name=name)
            session.add(group)
            session.flush()
        for person in members:
            session.add(GroupMember(group_id=group.id, account_id=person.account_id))
    session.flush()
    return plan
