"""Read models for cohort and group pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from curriculum import template
from webapp.casework.visibility import CaseWords
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    Group,
    GroupMember,
    Membership,
    ModuleVersionRow,
    SectionDraft,
    Submission,
)
from webapp.roles import PATIENT_PARTNER


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
        return any(PATIENT_PARTNER in m.roles for m in self.members)


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


@dataclass
class RosterLine:
    account_id: int
    name: str
    email: str
    roles: list[str]
    group_id: int | None
    group_name: str
    joined: bool


def roster(session, cohort_id: int) -> list[RosterLine]:
    """Everyone in the cohort with their roles and group, in one query."""
    query = (
        select(Account.id, Account.display_name, Account.email, Account.joined_at,
               Membership.role, Group.id, Group.name)
        .join(Membership, Membership.account_id == Account.id)
        .outerjoin(GroupMember, GroupMember.account_id == Account.id)
        .outerjoin(Group, (Group.id == GroupMember.group_id) & (Group.cohort_id == cohort_id))
        .where(Membership.cohort_id == cohort_id)
        .order_by(Account.display_name, Account.id, Membership.role)
    )
    lines: dict[int, RosterLine] = {}
    for account_id, name, email, joined_at, role, group_id, group_name in session.execute(query):
        line = lines.get(account_id)
        if line is None:
            line = lines[account_id] = RosterLine(account_id, name, email, [], None, "",
                                                  joined_at is not None)
        if role not in line.roles:
            line.roles.append(role)
        if group_id is not None:
            line.group_id, line.group_name = group_id, group_name
    return list(lines.values())


@dataclass
class BoardRow:
    group_id: int
    group_name: str
    members: int
    has_patient_partner: bool
    sections: dict[str, str] = field(default_factory=dict)  # key → empty/started/written
    last_activity: datetime | None = None
    submitted_at: datetime | None = None
    started: bool = False
    case_id: int | None = None

    @property
    def empty_parts(self) -> int:
        """Parts with no words (never whose voice is missing from a part)."""
        return sum(1 for state in self.sections.values() if state == "empty")


def progress_board(session, assignment) -> list[BoardRow]:
    """Groups × template sections for one assignment: two queries whatever the cohort size."""
    groups = groups_with_members(session, assignment.cohort_id)
    rows = {g.id: BoardRow(g.id, g.name, len(g.members), g.has_patient_partner,
                           dict.fromkeys(template.KEYS, "empty")) for g in groups}
    work = session.execute(
        select(CaseWork.id, CaseWork.group_id, CaseWork.started_at, CaseWork.submitted_at,
               SectionDraft.section, SectionDraft.text != "", SectionDraft.written,
               SectionDraft.updated_at)
        .outerjoin(SectionDraft, SectionDraft.case_work_id == CaseWork.id)
        .where(CaseWork.assignment_id == assignment.id)
    )
    for case_id, group_id, started, submitted, section, has_text, written, saved in work:
        row = rows.get(group_id)
        if row is None:
            continue
        # the last activity: the latest save of any part (the parts are created at the start)
        row.last_activity = max(t for t in (row.last_activity, started, saved) if t is not None)
        row.started, row.submitted_at, row.case_id = True, submitted, case_id
        if section in row.sections:
            row.sections[section] = "written" if written else ("started" if has_text else "empty")
    return list(rows.values())


@dataclass
class SharedReflection:
    group_name: str
    module_title: str
    text: str


def shared_reflections(session, cohort_id: int) -> list[SharedReflection]:
    """Part 9 of submitted cases whose groups chose to share it with the cohort, unless it
    holds words a patient partner keeps from the cohort (casework.visibility)."""
    rows = session.execute(
        select(Group.name, ModuleVersionRow.title, Submission)
        .join(CaseWork, CaseWork.group_id == Group.id)
        .join(Assignment, Assignment.id == CaseWork.assignment_id)
        .join(ModuleVersionRow, ModuleVersionRow.id == Assignment.module_version_id)
        .join(Submission, (Submission.case_work_id == CaseWork.id)
              & (Submission.round == CaseWork.round))
        .where(Group.cohort_id == cohort_id, CaseWork.reflection_shared_at.is_not(None),
               CaseWork.submitted_at.is_not(None))
        .order_by(ModuleVersionRow.title, Group.name)
    ).all()
    words = CaseWords.for_cases(session, [made for _g, _t, made in rows], "cohort")
    out = []
    for group_name, title, made in rows:
        part = words[made.case_work_id].submission(made, "cohort", None).get("reflection", {})
        if part.get("text") and not part.get("withheld"):
            out.append(SharedReflection(group_name, title, part["text"]))
    return out
