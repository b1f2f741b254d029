"""A finished earlier term for the demo, so every report and home page has something real
to show: six mixed groups that handed in, reviews in both lenses (one case where the two
views differ), released feedback with a group's response, lessons, knowledge checks and
confidence, survey answers and screened comments, a "you said, we did" entry and confirmed
hours.

Everything is fictional and marked "(demo)". It is made through the product's own operations,
so it is consistent, and then set about eight months in the past. The term's work is made
once, when its cohort is new; the steps after it (survey, screening, the log entry) each add
only what is missing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from webapp.auth.passwords import hash_password
from webapp.clock import now
from webapp.demo import spring_voices as voices
from webapp.demo import spring_work as work
from webapp.demo.timeline import DAY, Calendar, set_dates
from webapp.models import (
    Account,
    Assignment,
    AuditEvent,
    Cohort,
    Group,
    GroupMember,
    LogEntry,
    LogRevisit,
    Membership,
    ModuleVersionRow,
)
from webapp.review import operations as review_ops
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER

COHORT = "Spring 2026 (demo)"
MODULE = "clinical-microsystems"
#: How long ago the spring module opened.
AGO = 240 * DAY
STUDENTS = ["Alva", "Bo", "Cleo", "Dag", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jon", "Kim",
            "Lova", "Malik", "Nora", "Olle", "Pia", "Rami", "Saga", "Tilde", "Umar", "Vilma"]
PARTNERS = ["Anneli", "Bertil", "Carina", "Dennis", "Eva", "Folke", "Gun", "Hassan", "Irja",
            "Jorma", "Karin", "Leif"]
#: The spring term's second patient co-teacher (the patient lens has two reviewers, so its
#: figures are never one person's ratings).
COTEACHER = ("spring.coteacher@example.org", "Yrsa (demo co-teacher)")
#: Printed by ``make run``: a student and a patient partner of the group whose two reviews
#: differ, to see released feedback from the learners' side.
LOGINS = [("spring.alva@example.org", "student, Spring group 1 (finished term)"),
          ("spring.anneli@example.org", "patient_partner, Spring group 1 (finished term)")]


def _account(session, email: str, name: str, hashed: str) -> Account:
    """Find or make an account (``hashed``: the demo password, hashed once for everyone)."""
    account = session.scalar(select(Account).where(Account.email_key == email))
    if account is None:
        account = Account(email=email, email_key=email, display_name=name,
                          password_hash=hashed)
        session.add(account)
        session.flush()
    return account


def _people(session, cohort, hashed):
    """Six groups of five or six: three or four students and two patient partners each."""
    groups, students = [], iter(STUDENTS)
    for g in range(6):
        group = Group(cohort=cohort, name=f"Spring group {g + 1}")
        session.add(group)
        session.flush()
        members = [(_account(session, f"spring.{first.lower()}@example.org",
                             f"{first} (demo student)", hashed), "student")
                   for first in [next(students) for _ in range(4 if g % 2 == 0 else 3)]]
        members += [(_account(session, f"spring.{first.lower()}@example.org",
                              f"{first} (demo patient partner)", hashed), PATIENT_PARTNER)
                    for first in PARTNERS[2 * g:2 * g + 2]]
        for account, role in members:
            session.add(Membership(account=account, role=role, cohort=cohort))
            session.add(GroupMember(group=group, account=account))
        session.flush()
        groups.append((group, members))
    return groups


def _versions(session):
    return session.scalars(select(ModuleVersionRow).where(ModuleVersionRow.slug == MODULE)
                           .order_by(ModuleVersionRow.major, ModuleVersionRow.minor,
                                     ModuleVersionRow.patch)).all()


def _make_term(session, programme, educator, coteacher, password, version, when):
    """The cohort, its people and all of its work, dated in the past."""
    audit_mark = session.scalar(select(func.max(AuditEvent.id))) or 0
    cohort = Cohort(programme=programme, name=COHORT)
    session.add(cohort)
    session.flush()
    hashed = hash_password(password)
    second = _account(session, *COTEACHER, hashed)
    for person in (coteacher, second):
        session.add(Membership(account=person, role=PATIENT_COTEACHER, cohort=cohort))
    groups = _people(session, cohort, hashed)
    moment = now().replace(second=0, microsecond=0)
    assignment = Assignment(cohort_id=cohort.id, module_slug=MODULE, module_version_id=version.id,
                            opens_at=moment - DAY, due_at=moment + DAY,
                            review_due_at=moment + 2 * DAY)
    session.add(assignment)
    session.flush()
    cases = [work.write_case(session, n, group, members, assignment)
             for n, (group, members) in enumerate(groups)]
    work.review_all(session, assignment, cases)
    work.release_and_respond(session, assignment, cases, groups)
    work.learning(session, assignment, groups)
    voices.record_hours(session, cohort, voices.partners_of(groups), [coteacher, second],
                        educator, when.start)
    people = [a for _g, members in groups for a, _role in members]
    set_dates(session, when, cohort, assignment, [*people, second], audit_mark)
    _learning_log(session, assignment, groups, when)
    return cohort, assignment


PLANS = ("Ask what a good day looks like before asking about symptoms.",
         "Let the patient partner speak first in the next meeting.",
         "Write down one thing the person said in their own words.")


def _learning_log(session, assignment, groups, when) -> None:
    """Everyone in the spring term kept a learning log about the module: a plan each, which
    came back and was answered; half shared one with the cohort; some wrote what happened."""
    written = when.start.date() + timedelta(days=2)
    for g, (_group, members) in enumerate(groups):
        for n, (account, _role) in enumerate(members):
            plan = LogEntry(account_id=account.id, place="own", stage="now_what", tags=[],
                            text=PLANS[(g + n) % len(PLANS)], written_on=written,
                            assignment_id=assignment.id,
                            module_version_id=assignment.module_version_id,
                            come_back_on=written + timedelta(days=7),
                            shared_with="cohort" if n % 2 == 0 else None,
                            share_cohort_id=assignment.cohort_id if n % 2 == 0 else None,
                            shared_at=when.start + timedelta(days=3) if n % 2 == 0 else None,
                            created_at=when.start, updated_at=when.start)
            session.add(plan)
            session.flush()
            session.add(LogRevisit(entry_id=plan.id, answer="did_it" if n % 3 else "still_true",
                                   on_day=written + timedelta(days=7),
                                   at=when.start + timedelta(days=9)))
            if n % 3:
                plan.ended_on = written + timedelta(days=7)
                session.add(LogEntry(
                    account_id=account.id, place="placement", stage="what_happened", tags=[],
                    text="I tried it on placement; the conversation went differently.",
                    written_on=written + timedelta(days=8), follows_id=plan.id,
                    assignment_id=assignment.id, created_at=when.start,
                    updated_at=when.start))
    session.flush()


def create_earlier_term(session, programme, educator, lead, coteacher,
                        password) -> list[tuple[str, str]]:
    """Add the finished spring term to the demo programme (its work once); returns the logins
    to print, none when the course is not loaded."""
    versions = _versions(session)
    if not versions or not review_ops.latest_rubric(session, "educator") \
            or not review_ops.latest_rubric(session, "patient"):
        return []  # the course is not loaded: nothing to show yet
    when = Calendar((now() - AGO).replace(hour=8, minute=0, second=0, microsecond=0))
    cohort = session.scalar(select(Cohort).where(Cohort.programme_id == programme.id,
                                                 Cohort.name == COHORT))
    if cohort is None:
        cohort, assignment = _make_term(session, programme, educator, coteacher, password,
                                        versions[0], when)
    else:
        assignment = session.scalar(select(Assignment).where(Assignment.cohort_id == cohort.id))
        when = Calendar(assignment.opens_at)
    people = session.execute(
        select(Account, Membership.role).join(Membership, Membership.account_id == Account.id)
        .where(Membership.cohort_id == cohort.id,
               Membership.role.in_(("student", PATIENT_PARTNER)))
        .order_by(Account.id)).all()
    voices.answer_surveys(session, assignment, people, when.review_due)
    voices.screen_comments(session, assignment, educator)
    _log(session, lead, programme, assignment, versions, when)
    return LOGINS


def _log(session, lead, programme, assignment, versions, when) -> None:
    """The "you said, we did" entry, carried by the newest version of the module; when the
    course has only the version the term took, the change is recorded as still to come."""
    questions = voices.survey.latest_survey(session)
    if questions is None:
        return
    questions = questions.content()
    partners = session.scalar(select(func.count(Membership.id)).where(
        Membership.cohort_id == assignment.cohort_id, Membership.role == PATIENT_PARTNER))
    students = session.scalar(select(func.count(Membership.id)).where(
        Membership.cohort_id == assignment.cohort_id, Membership.role == "student"))
    equal = voices.agreement(questions, "patient", "treated-as-equal", partners,
                             voices.skipped("patient"))
    safe = voices.agreement(questions, "student", "safe-to-speak", students,
                            voices.skipped("student"))
    figures = (f"Patient partners who agreed they were treated as an equal member of the group: "
               f"{equal[0]} of {equal[1]}.\nStudents who agreed they felt safe to speak in "
               f"their group: {safe[0]} of {safe[1]}.")
    later = versions[-1] if len(versions) > 1 else None
    voices.you_said_we_did(session, lead, programme, versions[0], later, figures,
                           when.review_due + 30 * DAY)
