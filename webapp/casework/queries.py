"""Read models for the case workspace and a section's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from curriculum import template
from webapp.models import Account, GroupMember, Membership, SectionDraft, SectionRevision
from webapp.roles import PATIENT_PARTNER


@dataclass
class SectionView:
    part: template.Section
    prompt: str
    text: str
    version: int
    written: bool
    student_voice: bool
    patient_voice: bool
    updated_at: datetime | None
    updated_by: str
    error: str = ""
    #: The patient partner who told the words of the latest version, if a student typed them.
    told_by: str = ""
    #: "" (shown), "hidden" (holds words this reader may not read) or "withdrawn" (mixes
    #: words someone withdrew with others': shown to the group so it can rewrite it)
    held: str = ""

    @property
    def voices(self) -> str:
        if self.student_voice and self.patient_voice:
            return "both"
        if self.student_voice:
            return "student"
        if self.patient_voice:
            return "patient"
        return "none"


@dataclass
class Member:
    account_id: int
    name: str
    role: str


@dataclass
class Workspace:
    sections: list[SectionView] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    @property
    def patient_partners(self) -> list[Member]:
        return [m for m in self.members if m.role == PATIENT_PARTNER]


def workspace(session, case, module) -> Workspace:
    """The nine sections in template order, and the group's members: two queries."""
    prompts = {s.key: s.prompt for s in module.case.sections}
    editor, teller = aliased(Account), aliased(Account)
    rows = session.execute(
        select(SectionDraft, editor.display_name, teller.display_name)
        .outerjoin(editor, editor.id == SectionDraft.updated_by_id)
        .outerjoin(SectionRevision, (SectionRevision.draft_id == SectionDraft.id)
                   & (SectionRevision.version == SectionDraft.version))
        .outerjoin(teller, teller.id == SectionRevision.told_by_id)
        .where(SectionDraft.case_work_id == case.id)
    ).all()
    drafts = {draft.section: (draft, name or "") for draft, name, _told in rows}
    tellers = {draft.section: told or "" for draft, _name, told in rows}
    view = Workspace()
    for part in template.SECTIONS:
        draft, name = drafts.get(part.key, (None, ""))
        view.sections.append(SectionView(
            part, prompts.get(part.key, ""), draft.text if draft else "",
            draft.version if draft else 0, bool(draft and draft.written),
            bool(draft and draft.student_voice), bool(draft and draft.patient_voice),
            draft.updated_at if draft and draft.version else None, name,
            told_by=tellers.get(part.key, "")))
    view.members = group_members(session, case)
    return view


def group_members(session, case) -> list[Member]:
    """The case's group: students and patient partners, one query."""
    members = session.execute(
        select(Account.id, Account.display_name, Membership.role)
        .join(GroupMember, GroupMember.account_id == Account.id)
        .join(Membership, (Membership.account_id == Account.id)
              & (Membership.cohort_id == case.assignment.cohort_id))
        .where(GroupMember.group_id == case.group_id,
               Membership.role.in_(("student", PATIENT_PARTNER)))
        .order_by(Account.display_name)
    ).all()
    seen: dict[int, Member] = {}
    for account_id, name, role in members:
        if account_id not in seen or role == PATIENT_PARTNER:
            seen[account_id] = Member(account_id, name, role)
    return list(seen.values())


@dataclass
class RevisionView:
    version: int
    text: str
    author: str
    role: str
    told_by: str
    restored_from: int | None
    created_at: datetime
    #: taken out at its owner's request (withdrawal or erasure)
    removed: bool = False
    #: holds words this reader may not read
    held: bool = False
    #: the named contact who typed it for the author
    recorded_by: str = ""


def history(session, case_id: int, key: str) -> list[RevisionView]:
    """A section's revisions, newest first, with who wrote and who told: one query."""
    author, teller, recorder = aliased(Account), aliased(Account), aliased(Account)
    rows = session.execute(
        select(SectionRevision, author.display_name, teller.display_name,
               recorder.display_name)
        .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
        .outerjoin(author, author.id == SectionRevision.account_id)
        .outerjoin(teller, teller.id == SectionRevision.told_by_id)
        .outerjoin(recorder, recorder.id == SectionRevision.recorded_by_id)
        .where(SectionDraft.case_work_id == case_id, SectionDraft.section == key)
        .order_by(SectionRevision.version.desc())
    ).all()
    return [RevisionView(r.version, r.text, a or "", r.role, t or "", r.restored_from,
                         r.created_at, r.text_removed, recorded_by=c or "")
            for r, a, t, c in rows]
