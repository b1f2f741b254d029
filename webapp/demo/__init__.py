"""Demo data: one programme, one cohort, two mixed groups, one account per role and, when the
course is loaded, one assigned module (with a finished earlier term, and a Swedish programme
when the Swedish edition is loaded).

Idempotent: running it again finds what exists and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from webapp.auth.passwords import hash_password
from webapp.clock import now
from webapp.models import (
    Account,
    Assignment,
    Cohort,
    Group,
    GroupMember,
    Membership,
    ModuleVersionRow,
    Programme,
)
from webapp.roles import PATIENT_PARTNER

#: Shown by ``make run``; only for the demo database on a person's own machine.
DEMO_PASSWORD = "coproduce-demo-2026"  # noqa: S105  (demo data, printed by make run)

PROGRAMME = "Demo programme in coproduction"
COHORT = "Autumn 2026"
GROUPS = {
    "Group A": [("student.a@example.org", "Sam Student", "student"),
                ("student.b@example.org", "Alex Nurse", "student"),
                ("patient.a@example.org", "Pat Partner", PATIENT_PARTNER)],
    "Group B": [("student.c@example.org", "Chris Pharmacy", "student"),
                ("student.d@example.org", "Dana Medic", "student"),
                ("patient.b@example.org", "Robin Partner", PATIENT_PARTNER)],
}
STAFF = [
    ("admin@example.org", "Ada Admin", None),
    ("educator@example.org", "Eve Educator", "educator"),
    ("lead@example.org", "Lee Lead", "lead"),
]
COTEACHER = ("coteacher@example.org", "Cora Co-teacher", "patient_coteacher")


def _account(session, email: str, name: str, *, admin: bool = False) -> Account:
    account = session.scalar(select(Account).where(Account.email_key == email.lower()))
    if account is None:
        account = Account(email=email, email_key=email.lower(), display_name=name,
                          password_hash=hash_password(DEMO_PASSWORD), admin=admin)
        session.add(account)
        session.flush()
    return account


def _membership(session, account, role, *, programme=None, cohort=None) -> None:
    query = select(Membership.id).where(Membership.account_id == account.id,
                                        Membership.role == role)
    if programme is not None:
        query = query.where(Membership.programme_id == programme.id)
    else:
        query = query.where(Membership.cohort_id == cohort.id)
    if session.scalar(query) is None:
        session.add(Membership(account=account, role=role, programme=programme, cohort=cohort))


def create_demo(session) -> list[tuple[str, str]]:
    """Create (or find) the demo data; returns (email, role description) for each login."""
    programme = session.scalar(select(Programme).where(Programme.name == PROGRAMME))
    if programme is None:
        programme = Programme(name=PROGRAMME)
        session.add(programme)
        session.flush()
    cohort = session.scalar(
        select(Cohort).where(Cohort.programme_id == programme.id, Cohort.name == COHORT)
    )
    if cohort is None:
        cohort = Cohort(programme=programme, name=COHORT)
        session.add(cohort)
        session.flush()
    logins = []
    for email, name, role in STAFF:
        account = _account(session, email, name, admin=role is None)
        if role:
            _membership(session, account, role, programme=programme)
        logins.append((email, role or "admin"))
    email, name, role = COTEACHER
    coteacher = _account(session, email, name)
    _membership(session, coteacher, role, cohort=cohort)
    logins.append((email, role))
    for group_name, members in GROUPS.items():
        group = session.scalar(
            select(Group).where(Group.cohort_id == cohort.id, Group.name == group_name)
        )
        if group is None:
            group = Group(cohort=cohort, name=group_name)
            session.add(group)
            session.flush()
        for email, name, role in members:
            account = _account(session, email, name)
            _membership(session, account, role, cohort=cohort)
            in_group = session.scalar(select(GroupMember.id).where(
                GroupMember.group_id == group.id, GroupMember.account_id == account.id))
            if in_group is None:
                session.add(GroupMember(group=group, account=account))
            logins.append((email, f"{role}, {group_name}"))
    _assign_first_module(session, cohort)
    session.flush()
    from webapp.demo.learning_log import add_learning_log

    add_learning_log(session, cohort)
    educator = _account(session, STAFF[1][0], STAFF[1][1])
    if programme.contact_id is None:
        programme.contact_id = educator.id
        programme.contact_details = "Phone 010-123 45 67 (demo number), weekdays 9 to 12"
    session.flush()
    from webapp.demo.earlier_term import create_earlier_term

    logins += create_earlier_term(session, programme, educator,
                                  _account(session, *STAFF[2][:2]), coteacher, DEMO_PASSWORD)
    session.flush()
    from webapp.demo.swedish import create_swedish_term

    logins += create_swedish_term(session, lambda email, name: _account(session, email, name))
    session.flush()
    return logins


#: The module the demo cohort works on, when the course content has been loaded.
DEMO_MODULE = "services-are-coproduced"


def _assign_first_module(session, cohort) -> None:
    """Assign the demo module to the demo cohort (open now, due in three weeks), once."""
    if session.scalar(select(Assignment.id).where(Assignment.cohort_id == cohort.id)):
        return
    row = session.scalar(select(ModuleVersionRow).where(ModuleVersionRow.slug == DEMO_MODULE)
                         .order_by(ModuleVersionRow.major, ModuleVersionRow.minor,
                                   ModuleVersionRow.patch).limit(1))
    if row is None:
        return
    start = now().replace(second=0, microsecond=0)
    session.add(Assignment(cohort_id=cohort.id, module_slug=row.slug, module_version_id=row.id,
                           opens_at=start - timedelta(days=1), due_at=start + timedelta(days=21),
                           review_due_at=start + timedelta(days=28)))
