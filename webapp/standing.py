"""How a person stands to an object: the relations ``authz.RULES`` are written in.

``programme:educator`` (holds the educator role in the object's programme), ``cohort:student``
(a student in its cohort), ``group:member``, ``group:patient_partner``, ``review:reviewer``,
``contribution:owner``, ``guide:audience``… Worked out once per request and object.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import exists, literal, or_, select

from webapp.extensions import db
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Contribution,
    Group,
    GroupMember,
    GuideVersionRow,
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
    found = {f"{'programme' if pid is not None else 'cohort'}:{role}" for pid, role, _in in rows}
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
        if in_group:
            found.add("group:member")
            if "cohort:patient_partner" in found:
                found.add("group:patient_partner")
    return found


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


def roles_of(account) -> set[str]:
    """Every role the account holds anywhere, once per request."""
    cached = g.get("authz_roles")
    if cached is None or cached[0] != account.id:
        roles = set(db.session.scalars(
            select(Membership.role).where(Membership.account_id == account.id).distinct()))
        g.authz_roles = cached = (account.id, roles)
    return cached[1]
