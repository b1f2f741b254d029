"""Case work: starting a case with its promises, consent, and saving sections without lost words.

A save is one conditional UPDATE (``… WHERE id = ? AND version = ?``) and one revision
insert in one transaction; on SQLite the transaction begins IMMEDIATE so two writers queue
for the lock instead of failing half way. Zero rows updated means someone else saved first:
``Conflict`` carries their text so the page can show both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy import case as sa_case

from curriculum import template
from webapp import audit
from webapp.casework import rules, writes
from webapp.casework.visibility import CaseWords, Choice
from webapp.clock import now
from webapp.models import (
    Account,
    CaseRead,
    CaseWork,
    ConsentRecord,
    Group,
    GroupMember,
    Membership,
    SectionDraft,
    SectionRevision,
    Submission,
)
from webapp.refusals import Refused
from webapp.roles import PATIENT_PARTNER, STUDENT
from webapp.transactions import begin_write  # noqa: F401 (used by erasure and older callers)

#: The most characters one section may hold (about 3,000 words).
MAX_SECTION_CHARS = 20_000
#: The most characters each promise of the working agreement may hold.
MAX_PROMISE_CHARS = 1_000


class Conflict(Refused):
    """Someone saved the section after this person started: their text and version."""

    status = 409

    def __init__(self, theirs: str, version: int, by: str) -> None:
        super().__init__(_("Someone else saved this part after you started."))
        self.theirs, self.version, self.by = theirs, version, by


def normalise(value: str) -> str:
    """Line endings as \\n; nothing else is changed (the words round-trip exactly)."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def start_case(session, actor, group, assignment, promises: dict[str, str]) -> CaseWork:
    """The group's first step: its working agreement. Creates the case and its nine sections."""
    cleaned = {key: normalise(value).strip() for key, value in promises.items()}
    if not all(cleaned.values()):
        raise Refused(_("Write all three promises: to yourselves, to each other and to the "
                        "person at the centre of the case."))
    if any(len(value) > MAX_PROMISE_CHARS for value in cleaned.values()):
        raise Refused(_("Each promise has at most %(n)d characters.", n=MAX_PROMISE_CHARS))
    existing = session.scalar(select(CaseWork).where(CaseWork.group_id == group.id,
                                                     CaseWork.assignment_id == assignment.id))
    if existing is not None:
        return existing
    case = CaseWork(group_id=group.id, assignment_id=assignment.id,
                    promise_ourselves=cleaned["ourselves"],
                    promise_each_other=cleaned["each_other"],
                    promise_person=cleaned["person"], agreed_by_id=actor.id)
    session.add(case)
    session.flush()
    session.add_all([SectionDraft(case_work_id=case.id, section=key) for key in template.KEYS])
    session.flush()
    return case


#: The person's roles in the cohort of a group, if they are in the group: one statement, built
#: once (the save path asks it on every autosave).
_ROLES_IN_GROUP = (
    select(Membership.role)
    .join(GroupMember, GroupMember.account_id == Membership.account_id)
    .join(Group, Group.id == GroupMember.group_id)
    .where(GroupMember.group_id == bindparam("group_id"),
           GroupMember.account_id == bindparam("account_id"),
           Membership.cohort_id == Group.cohort_id))


#: Under the write lock, in one statement: the person's strongest role in the case's group
#: (2 a patient partner, 1 a student, 0 or NULL neither) beside every consent record of the
#: case, oldest first (the latest is each partner's current choice).
_RANK = sa_case((Membership.role == PATIENT_PARTNER, 2), (Membership.role == STUDENT, 1), else_=0)
_ROLE_RANK = _ROLES_IN_GROUP.with_only_columns(func.max(_RANK).label("rank")).subquery()
_STANDING_AND_CHOICES = (
    select(_ROLE_RANK.c.rank, ConsentRecord.account_id, ConsentRecord.share_group,
           ConsentRecord.share_reviewers, ConsentRecord.withdrawn)
    .select_from(_ROLE_RANK)
    .outerjoin(ConsentRecord, ConsentRecord.case_work_id == bindparam("case_id"))
    .order_by(ConsentRecord.id))


def standing_and_words(session, actor, case: CaseWork) -> tuple[rules.Standing, CaseWords]:
    """How ``actor`` stands to the case (``rules.Standing``) and whose words its parts hold
    (``CaseWords``), read together: what a save decides on, asked once under its lock."""
    rows = session.execute(_STANDING_AND_CHOICES, {
        "group_id": case.group_id, "account_id": actor.id, "case_id": case.id}).all()
    role = {2: PATIENT_PARTNER, 1: STUDENT}.get(rows[0].rank)
    choices = {row.account_id: Choice(row.share_group, row.share_reviewers, row.withdrawn)
               for row in rows if row.account_id is not None}
    consent = choices.get(actor.id) if role == PATIENT_PARTNER else None
    return rules.Standing(role, consent), CaseWords(session, case, choices=choices)


def role_in_group(session, account_id: int, case: CaseWork) -> str | None:
    """"student" or PATIENT_PARTNER for a member of the case's group, else None."""
    roles = set(session.scalars(_ROLES_IN_GROUP,
                                {"group_id": case.group_id, "account_id": account_id}))
    if PATIENT_PARTNER in roles:
        return PATIENT_PARTNER
    return "student" if "student" in roles else None


def current_consent(session, case_id: int, account_id: int) -> ConsentRecord | None:
    return session.scalar(select(ConsentRecord).where(
        ConsentRecord.case_work_id == case_id, ConsentRecord.account_id == account_id)
        .order_by(ConsentRecord.id.desc()).limit(1))


def give_consent(session, actor, case: CaseWork, *, share_group: bool, share_reviewers: bool,
                 exemplar: bool, quote: bool, withdrawn: bool = False,
                 recorded_by=None) -> ConsentRecord:
    """``actor``'s choices for the case; ``recorded_by`` is the named contact who recorded
    them for the person (the audit trail names both)."""
    record = ConsentRecord(case_work_id=case.id, account_id=actor.id, share_group=share_group,
                           share_reviewers=share_reviewers, exemplar=exemplar, quote=quote,
                           withdrawn=withdrawn,
                           recorded_by_id=recorded_by.id if recorded_by else None)
    session.add(record)
    audit.record(session, "consent_changed",
                 actor_id=recorded_by.id if recorded_by else actor.id,
                 subject_id=actor.id if recorded_by else None, case=case.id,
                 group=share_group, reviewers=share_reviewers, exemplar=exemplar, quote=quote,
                 withdrawn=withdrawn, on_behalf=bool(recorded_by))
    session.flush()
    return record


def patient_partners(session, case: CaseWork) -> list[Account]:
    return list(session.scalars(
        select(Account).join(GroupMember, GroupMember.account_id == Account.id)
        .join(Membership, (Membership.account_id == Account.id)
              & (Membership.cohort_id == case.assignment.cohort_id))
        .where(GroupMember.group_id == case.group_id, Membership.role == PATIENT_PARTNER)
        .order_by(Account.display_name)))


def lock_case(session, case_id: int) -> CaseWork:
    """The case row, locked for this transaction (PostgreSQL: FOR UPDATE)."""
    return session.scalar(select(CaseWork).where(CaseWork.id == case_id).with_for_update()
                          .execution_options(populate_existing=True))


@dataclass(frozen=True)
class Saved:
    version: int
    saved_at: datetime
    #: "both", "student", "patient" or "none": whose voices the part now holds.
    voices: str


def save_section(session, actor, case: CaseWork, key: str, new_text: str, base_version: int,
                 *, told_by_id: int | None = None, restored_from: int | None = None,
                 standing: rules.Standing | None = None, fresh_start: bool = False,
                 recorded_by_id: int | None = None) -> Saved:
    """Save one section if nobody saved since ``base_version``.

    Runs inside the caller's transaction (``webapp.transactions.run``): it checks again who
    may write (``rules``), flushes, and never commits or rolls back. ``fresh_start`` says the
    new text holds none of the words it replaces (the writer could not read them, or took
    withdrawn words out). ``recorded_by_id`` names the named contact who typed the words
    ``actor`` told them. Raises ``Conflict`` (someone saved first) or ``Refused``.
    """
    if key not in template.BY_KEY:
        raise Refused(_("There is no such part of the case."), status=404)
    body = normalise(new_text)
    if len(body) > MAX_SECTION_CHARS:
        raise Refused(_("This part has %(n)d characters; the most is %(max)d. Shorten it and "
                        "save again (your text is still in the box).", n=len(body),
                        max=MAX_SECTION_CHARS))
    standing = rules.require(session, actor, case, "restore" if restored_from else "save",
                             standing)
    role, actor_id, case_id = standing.role, actor.id, case.id
    if told_by_id is not None and (
            role != STUDENT
            or told_by_id not in {p.id for p in patient_partners(session, case)}):
        raise Refused(_("“Told by” names a patient partner of this group, and is recorded "
                        "by a student."))
    moment = now()
    row = writes.write_part(session, (role == STUDENT, role == PATIENT_PARTNER
                                      or told_by_id is not None), {
        "case_id": case_id, "key": key, "base_version": base_version,
        "version": base_version + 1, "text": body, "account_id": actor_id, "role": role,
        "told_by_id": told_by_id, "restored_from": restored_from, "fresh_start": fresh_start,
        "recorded_by_id": recorded_by_id, "created_at": moment, "text_removed": False})
    if row is None:
        if session.scalar(select(CaseWork.submitted_at).where(CaseWork.id == case_id)):
            raise Refused(_("This case has been submitted and is read-only."), status=409)
        theirs, version, by = session.execute(
            select(SectionDraft.text, SectionDraft.version, Account.display_name)
            .outerjoin(Account, Account.id == SectionDraft.updated_by_id)
            .where(SectionDraft.case_work_id == case_id, SectionDraft.section == key)).one()
        raise Conflict(theirs, version, by or "")
    _draft, student_voice, patient_voice = row
    voices = ("both" if student_voice and patient_voice else
              "student" if student_voice else "patient" if patient_voice else "none")
    return Saved(base_version + 1, moment, voices)


def mark_written(session, actor, case: CaseWork, key: str, written: bool) -> None:
    """Mark a part written (or not finished); inside the caller's transaction."""
    if key not in template.BY_KEY:
        raise Refused(_("There is no such part of the case."), status=404)
    case = lock_case(session, case.id)
    rules.require(session, actor, case, "mark_written")
    session.execute(update(SectionDraft).where(SectionDraft.case_work_id == case.id,
                                               SectionDraft.section == key)
                    .values(written=written).execution_options(synchronize_session=False))
    session.flush()


def log_staff_read(session, actor, case: CaseWork, what: str) -> None:
    """Record a read by someone outside the group (the audit trail of who read whose words)."""
    if role_in_group(session, actor.id, case) is None:
        session.add(CaseRead(case_work_id=case.id, account_id=actor.id, what=what))
        audit.record(session, "case_read", actor_id=actor.id, case=case.id, what=what)
        session.flush()


def withdraw_words(session, actor, case: CaseWork) -> list[str]:
    """A patient partner takes back their own words, all or nothing: inside the caller's
    transaction (``webapp.transactions.run``), which commits or rolls back once.

    Every saved version and every handed-in copy that holds only their words is emptied for
    good, and so is the current text of each part that holds only their words (before or
    after hand-in). Versions that mix their words with others' are held back from staff,
    reviewers, the cohort and later rounds until they choose again (see ``visibility``).
    Returns the headings of the mixed parts (the group rewrites those)."""

    case = lock_case(session, case.id)
    rules.require(session, actor, case, "withdraw")
    return take_back_words(session, actor, case)


def take_back_words(session, actor, case: CaseWork) -> list[str]:
    """What withdrawing does, for a person who may no longer be in the group (erasure)."""
    case_id = case.id
    latest = current_consent(session, case_id, actor.id)
    give_consent(session, actor, case, share_group=latest.share_group if latest else True,
                 share_reviewers=False, exemplar=False, quote=False, withdrawn=True)
    words = CaseWords(session, case)
    mine = frozenset({actor.id})
    only_mine = words.only_theirs(actor.id)
    for section, version in only_mine:
        session.execute(update(SectionRevision).where(
            SectionRevision.draft_id == select(SectionDraft.id).where(
                SectionDraft.case_work_id == case_id, SectionDraft.section == section)
            .scalar_subquery(), SectionRevision.version == version)
            .values(text="", text_removed=True).execution_options(synchronize_session=False))
    mixed = []
    moment = now()
    for draft in session.scalars(select(SectionDraft).where(SectionDraft.case_work_id == case_id)
                                 .execution_options(populate_existing=True)):
        holders = words.words_in(draft.section)
        if actor.id not in holders:
            continue
        if holders != mine:
            mixed.append(draft.section)
            continue
        draft.version += 1
        draft.text, draft.written, draft.updated_at = "", False, moment
        draft.updated_by_id = actor.id
        session.add(SectionRevision(draft_id=draft.id, version=draft.version, text="",
                                    account_id=actor.id, role=PATIENT_PARTNER,
                                    created_at=moment))
    for made in session.scalars(select(Submission).where(Submission.case_work_id == case_id)):
        parts = dict(made.sections or {})
        for key, part in parts.items():
            if part.get("text") and words.snapshot_words(key, part) == mine:
                parts[key] = {"withheld": True, "withdrawn": True}
        made.sections = parts
    audit.record(session, "words_withdrawn", actor_id=actor.id, case=case_id,
                 emptied=len(only_mine), mixed=len(mixed))
    session.flush()
    return [template.BY_KEY[key].heading for key in template.KEYS if key in mixed]
