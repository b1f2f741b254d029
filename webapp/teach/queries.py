"""Read models for cohort and group pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from webapp.models import Account, Group, GroupMember, Membership


@dataclass
class MemberRow:
    account_id: int
    name: str
    email: str
    roles: list[str]


@dataclass
class GroupSummary:
    id: int
    name: str
    members: list[MemberRow]

    @property
    def has_patient_partner(self) -> bool:
        return any("patient_partner" in m.roles for m in self.members)


def groups_with_members(session, cohort_id: int, only_group_ids=None) -> list[GroupSummary]:
    """The cohort's groups and their members with their cohort roles, in one query."""
    query = (
        select(Group.id, Group.name, Account.id, Account.display_name, Account.email,
               Membership.role)
        .select_from(Group)
        .outerjoin(GroupMember, GroupMember.group_id == Group.id)
        .outerjoin(Account, Account.id == GroupMember.account_id)
        .outerjoin(
            Membership,
            (Membership.account_id == Account.id) & (Membership.cohort_id == Group.cohort_id),
        )
        .where(Group.cohort_id == cohort_id)
        .order_by(Group.name, Account.display_name, Membership.role)
    )
    if only_group_ids is not None:
        query = query.where(Group.id.in_(only_group_ids))
    groups: dict[int, GroupSummary] = {}
    for group_id, group_name, account_id, name, email, role in session.execute(query):
        summary = groups.setdefault(group_id, GroupSummary(group_id, group_name, []))
        if account_id is None:
            continue
        if not summary.members or summary.members[-1].account_id != account_id:
            summary.members.append(MemberRow(account_id, name, email, []))
        if role:
            summary.members[-1].roles.append(role)
    return list(groups.values())


def own_group_ids(session, account_id: int, cohort_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Group.id)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(GroupMember.account_id == account_id, Group.cohort_id == cohort_id)
        )
    )
