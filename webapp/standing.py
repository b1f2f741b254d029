"""How a person stands to an object: the relations ``authz.RULES`` are written in.

``programme:educator`` (holds the educator role in the object's programme), ``cohort:student``
(a student in its cohort), ``group:member``, ``group:patient_partner``, ``review:reviewer``,
``contribution:owner``, ``guide:audience``… Worked out once per request and object.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import bindparam, case, exists, func, literal, or_, select
from sqlalchemy.orm import contains_eager

from webapp.extensions import db
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Contribution,
    Group,
    GroupMember,
    GuideVersionRow,
    LogEntry,
    Membership,
    PartnerAgreement,
    Programme,
    Review,
)
from webapp.roles import EDUCATOR, LEAD


def relations(account, obj) -> set[str]:
    """How ``account`` stands to ``obj``: worked out once per request and object."""
    cache = g.setdefault("authz_relations", {})
    key = (account.id, type(obj).__name__, obj.id)
    if key not in cache:
        cache[key] = _relations(account, obj)
    return cache[key]


def _relations(account, obj) -> set[str]:
    own = None
    if isinstance(obj, PartnerAgreement):
        own = {"agreement:owner"} if obj.account_id == account.id else set()
        obj = obj.cohort
    if isinstance(obj, Contribution):
        # Only its owner stands to an entry of time given; to anyone else it does not exist.
        return {"contribution:owner"} if obj.account_id == account.id else set()
    if isinstance(obj, LogEntry):
        return _entry_relations(account, obj)
    if isinstance(obj, GuideVersionRow):
        roles = roles_of(account)
        found = {"guide:signed_in"}
        if roles & set(obj.audience.split()):
            found.add("guide:audience")
        if roles & {EDUCATOR, LEAD}:
            found.add("guide:staff")
        return found
    if isinstance(obj, Programme):
        programme_id, cohort_id, group_id = obj.id, None, None
    elif isinstance(obj, Cohort):
        programme_id, cohort_id, group_id = obj.programme_id, obj.id, None
    elif isinstance(obj, Group):
        programme_id, cohort_id, group_id = obj.cohort.programme_id, obj.cohort_id, obj.id
    elif isinstance(obj, Assignment):
        programme_id, cohort_id, group_id = obj.cohort.programme_id, obj.cohort_id, None
    elif isinstance(obj, CaseWork):
        cohort = obj.group.cohort
        programme_id, cohort_id, group_id = cohort.programme_id, cohort.id, obj.group_id
    elif isinstance(obj, Review):
        cohort = obj.submission.assignment.cohort
        programme_id, cohort_id, group_id = cohort.programme_id, cohort.id, None
        reviewer = obj.reviewer_id == account.id
    else:
        raise TypeError(f"no authorisation rules for {type(obj).__name__}")
    rows = _standing_rows(account, programme_id, cohort_id, group_id)
    found = {_held(pid is not None, role) for pid, role, _in in rows}
    if own is not None:
        # To anyone but its partner and the cohort's staff, an agreement does not exist.
        return {r for r in found if r.endswith((":educator", ":lead"))} | own
    if isinstance(obj, Review) and reviewer:
        found.add("review:reviewer")
    if group_id is not None:
        # Asked with the memberships; on its own only for someone with no role here at all.
        in_group = any(row[2] for row in rows) if rows else db.session.scalar(
            select(GroupMember.id).where(
                GroupMember.group_id == group_id, GroupMember.account_id == account.id
            )
        )
        _in_group(found, bool(in_group))
    return found


def _entry_relations(account, entry: LogEntry) -> set[str]:
    """Its author stands to a learning log entry; so do the educators of the cohort it is
    shared with (they may hide it, or ask to show it to later cohorts). To anyone else it
    does not exist: what is shared is read on the pages of the group or cohort."""
    if entry.account_id == account.id:
        return {"entry:author"}
    if entry.shared_with != "cohort" or entry.share_cohort_id is None:
        return set()
    cohort = db.session.get(Cohort, entry.share_cohort_id)
    if cohort is None:
        return set()
    rows = _standing_rows(account, cohort.programme_id, cohort.id, None)
    held = {_held(pid is not None, role) for pid, role, _in in rows}
    return {"entry:moderator"} if held & {"programme:educator", "cohort:educator"} else set()


def _standing_rows(account, programme_id, cohort_id, group_id) -> list:
    """The account's roles in a programme and cohort, and whether it is in the group: once
    per request and place, so objects in the same cohort (its assignments, say) share it."""
    cache = g.setdefault("authz_standing", {})
    key = (account.id, programme_id, cohort_id, group_id)
    if key in cache:
        return cache[key]
    scope = [Membership.programme_id == programme_id]
    if cohort_id is not None:
        scope.append(Membership.cohort_id == cohort_id)
    in_group = (exists().where(GroupMember.group_id == group_id,
                               GroupMember.account_id == account.id)
                if group_id is not None else literal(False))
    cache[key] = rows = db.session.execute(
        select(Membership.programme_id, Membership.role, in_group).where(
            Membership.account_id == account.id, or_(*scope)
        )
    ).all()
    return rows


def _held(in_programme: bool, role: str) -> str:
    """A role held in the object's programme (``programme:educator``) or cohort."""
    return f"{'programme' if in_programme else 'cohort'}:{role}"


def _in_group(found: set[str], member: bool) -> None:
    if member:
        found.add("group:member")
        if "cohort:patient_partner" in found:
            found.add("group:patient_partner")


#: Every role the person holds in the case's programme or cohort ("p:educator c:student"),
#: and whether they are in its group: asked beside the case itself.
_HELD_HERE = (
    select(func.aggregate_strings(
        case((Membership.programme_id.is_(None), literal("c:")), else_=literal("p:"))
        + Membership.role, " "))
    .where(Membership.account_id == bindparam("account_id"),
           or_(Membership.programme_id == Cohort.programme_id, Membership.cohort_id == Cohort.id))
    .scalar_subquery())
_IN_CASE_GROUP = exists().where(GroupMember.group_id == CaseWork.group_id,
                                GroupMember.account_id == bindparam("account_id"))
_CASE_AND_STANDING = (
    select(CaseWork, _HELD_HERE, _IN_CASE_GROUP)
    .join(CaseWork.group).join(Group.cohort).join(Cohort.programme).join(CaseWork.assignment)
    .options(contains_eager(CaseWork.group).contains_eager(Group.cohort)
             .contains_eager(Cohort.programme), contains_eager(CaseWork.assignment))
    .where(CaseWork.id == bindparam("case_id")))


def case_with_standing(account, case_id: int) -> CaseWork | None:
    """The case with its group, cohort, programme and assignment, and how ``account``
    stands to it, in one statement: every case page and every autosave starts here, and
    ``relations`` then answers for this case without asking again."""
    row = db.session.execute(_CASE_AND_STANDING,
                             {"case_id": case_id, "account_id": account.id}).first()
    if row is None:
        return None
    case_work, held, member = row
    found = {_held(mark == "p", role)
             for mark, _colon, role in (item.partition(":") for item in (held or "").split())}
    _in_group(found, bool(member))
    g.setdefault("authz_relations", {})[(account.id, "CaseWork", case_work.id)] = found
    return case_work


def roles_of(account) -> set[str]:
    """Every role the account holds anywhere, once per request."""
    cached = g.get("authz_roles")
    if cached is None or cached[0] != account.id:
        roles = set(db.session.scalars(
            select(Membership.role).where(Membership.account_id == account.id).distinct()))
        g.authz_roles = cached = (account.id, roles)
    return cached[1]
