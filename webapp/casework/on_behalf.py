"""What a programme's named contact records for a person who prefers the phone or paper:
their consent choices, their hours, and words of a case part they told the contact.

Each is saved as the person's own (their choices, their time, their words, so withdrawal
and erasure treat it as theirs) and marked "recorded by <contact> on behalf of <person>" in
the history and the audit trail. Inside the caller's transaction.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from curriculum import template
from webapp import audit
from webapp.casework import operations
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    ConsentRecord,
    Group,
    GroupMember,
    Membership,
    SectionDraft,
)
from webapp.refusals import Refused
from webapp.review import contributions
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER, STUDENT

#: Whom a contact may record for, in a cohort.
FOR_ROLES = (STUDENT, PATIENT_PARTNER, PATIENT_COTEACHER)


def require_contact(actor, programme) -> None:
    if programme.contact_id != actor.id:
        who = programme.contact.display_name if programme.contact else None
        raise Refused(_("Only the named contact of the programme, %(name)s, records things for "
                        "someone.", name=who) if who else
                      _("This programme has no named contact yet. An educator chooses one "
                        "under “Time zone, language and named contact” on the programme page."),
                      status=403)


def person_in_cohort(session, cohort, account_id) -> tuple[Account, set[str]]:
    """The person and their roles in the cohort; refused if they are not in it."""
    roles = set(session.scalars(select(Membership.role).where(
        Membership.account_id == account_id, Membership.cohort_id == cohort.id,
        Membership.role.in_(FOR_ROLES))))
    person = session.get(Account, account_id) if roles else None
    if person is None or not person.active:
        raise Refused(_("Choose a student, patient partner or co-teacher of this cohort."),
                      status=404)
    return person, roles


def their_cases(session, cohort, person) -> list[CaseWork]:
    """The cases of the person's groups in this cohort, with their modules and groups."""
    return list(session.scalars(
        select(CaseWork).options(
            joinedload(CaseWork.assignment).joinedload(Assignment.module_version),
            joinedload(CaseWork.group))
        .join(Group, Group.id == CaseWork.group_id)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(Group.cohort_id == cohort.id, GroupMember.account_id == person.id)
        .order_by(CaseWork.id)))


def current_choices(session, cases, account_id: int) -> dict:
    """Case id -> the person's latest consent record for it (one query for all the cases)."""
    records = session.scalars(select(ConsentRecord).where(
        ConsentRecord.case_work_id.in_([case.id for case in cases]),
        ConsentRecord.account_id == account_id).order_by(ConsentRecord.id))
    return {record.case_work_id: record for record in records}


def _case_person(session, contact, case, account_id) -> Account:
    require_contact(contact, case.assignment.cohort.programme)
    person, _roles = person_in_cohort(session, case.assignment.cohort, account_id)
    if operations.role_in_group(session, person.id, case) is None:
        raise Refused(_("%(name)s is not in this group.", name=person.display_name),
                      status=404)
    return person


def consent(session, contact, case, account_id, choices: dict[str, bool]) -> Account:
    person = _case_person(session, contact, case, account_id)
    if operations.role_in_group(session, person.id, case) != PATIENT_PARTNER:
        raise Refused(_("Choices about words are asked of patient partners."))
    operations.give_consent(session, person, case, recorded_by=contact, **choices)
    audit.record(session, "recorded_on_behalf", actor_id=contact.id, subject_id=person.id,
                 what="consent", case=case.id)
    return person


def hours(session, contact, cohort, account_id, **typed) -> Account:
    require_contact(contact, cohort.programme)
    person, _roles = person_in_cohort(session, cohort, account_id)
    entry = contributions.record(session, person, {cohort.id}, cohort_id=cohort.id,
                                 recorded_by=contact, **typed)
    audit.record(session, "recorded_on_behalf", actor_id=contact.id, subject_id=person.id,
                 what="hours", cohort=cohort.id, minutes=entry.minutes)
    return person


def part(session, contact, case, account_id, key: str, words: str) -> Account:
    """Add the words the person told the contact to the end of one part of their case."""
    person = _case_person(session, contact, case, account_id)
    if key not in template.BY_KEY:
        raise Refused(_("Choose one of the nine parts."))
    told = operations.normalise(words).strip()
    if not told:
        raise Refused(_("Write the words they told you."))
    draft = session.scalar(select(SectionDraft).where(
        SectionDraft.case_work_id == case.id, SectionDraft.section == key)
        .execution_options(populate_existing=True))
    if draft is None:
        raise Refused(_("There is no such part of the case."), status=404)
    text = f"{draft.text.rstrip()}\n\n{told}" if draft.text.strip() else told
    try:
        operations.save_section(session, person, case, key, text, draft.version,
                                recorded_by_id=contact.id)
    except operations.Conflict:
        raise Refused(_("Someone in the group saved this part a moment ago. Nothing was "
                        "added; send it again."), status=409) from None
    audit.record(session, "recorded_on_behalf", actor_id=contact.id, subject_id=person.id,
                 what="case part", case=case.id, part=key)
    return person
