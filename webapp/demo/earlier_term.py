"""A finished earlier term for the demo, so every report and home page has something real
to show: six mixed groups that handed in, reviews in both lenses (one case where the two
views differ), released feedback with a group's response, survey answers and screened
comments, a "you said, we did" entry carried by a newer version, and confirmed hours.

Everything is fictional and marked "(demo)". Made through the product's own operations, so
it is consistent; then moved about seven months into the past. Run once: when the cohort
exists, nothing is added.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from curriculum import template
from webapp.auth.passwords import hash_password
from webapp.casework import operations as work_ops
from webapp.casework import submission as hand_in
from webapp.clock import now
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    ConsentRecord,
    Contribution,
    FeedbackComment,
    Group,
    GroupMember,
    GroupResponse,
    Membership,
    ModuleVersionRow,
    Review,
    SectionDraft,
    SectionRevision,
    Submission,
)
from webapp.reports import log as review_log
from webapp.reports import operations as survey
from webapp.review import group_work
from webapp.review import operations as review_ops
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER

COHORT = "Spring 2026 (demo)"
MODULE = "clinical-microsystems"
#: How far into the past the finished term is moved.
AGO = timedelta(days=210)
FIRST = ["Alva", "Bo", "Cleo", "Dag", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jon", "Kim",
         "Lova", "Malik", "Nora", "Olle", "Pia", "Rami", "Saga"]
PARTNERS = ["Anneli", "Bertil", "Carina", "Dennis", "Eva", "Folke", "Gun", "Hassan", "Irja",
            "Jorma", "Karin", "Leif"]

#: Short, made-up words for each part: (the student's, the patient partner's).
WORDS = {
    "situation": ("A ward round on a medical unit, seen by a nurse in her second year.",
                  "I was the one in the bed by the window, waiting to hear the plan."),
    "patient_reality": ("We heard that getting home matters more than the test results.",
                        "At home I look after my husband. Nobody asked who would do that."),
    "emotions": ("We felt unsure how to ask about worries without taking too long.",
                 "I felt small when people spoke over me. Then relieved when one sat down."),
    "navigation": ("Three teams were involved and each thought another had phoned home.",
                   "I had to tell my story four times. I wrote it on a card in the end."),
    "condition": ("Heart failure: fluid, tiredness, daily weighing and the water pills.",
                  "I know when my ankles swell that I need to call. That is my early sign."),
    "illness_experience": ("Living with it means planning each day around energy.",
                           "Some days I can walk to the shop. Some days only to the door."),
    "microsystem": ("The unit's handover happens at the desk; patients are not part of it.",
                    "I could hear them talk about me at the desk, but not join in."),
    "professional_reality": ("Staff are short of time and the discharge form is long.",
                             "I saw how busy they were. I did not want to be a bother."),
    "reflection": ("We will try asking 'what matters to you today?' at each ward round.",
                   "Ask me first, then plan. Let me keep my card in the notes."),
}


def _account(session, email: str, name: str, password: str) -> Account:
    account = session.scalar(select(Account).where(Account.email_key == email))
    if account is None:
        account = Account(email=email, email_key=email, display_name=name,
                          password_hash=hash_password(password))
        session.add(account)
        session.flush()
    return account


def _people(session, cohort, password):
    """Six groups, each with three students and two patient partners."""
    groups = []
    for g in range(6):
        group = Group(cohort=cohort, name=f"Spring group {g + 1}")
        session.add(group)
        session.flush()
        members = []
        for i in range(3):
            first = FIRST[g * 3 + i]
            members.append((_account(session, f"spring.{first.lower()}@example.org",
                                     f"{first} (demo student)", password), "student"))
        for i in range(2):
            first = PARTNERS[g * 2 + i]
            members.append((_account(session, f"spring.{first.lower()}@example.org",
                                     f"{first} (demo patient partner)", password),
                            PATIENT_PARTNER))
        for account, role in members:
            session.add(Membership(account=account, role=role, cohort=cohort))
            session.add(GroupMember(group=group, account=account))
        session.flush()
        groups.append((group, members))
    return groups


def _write_case(session, group, members, assignment) -> CaseWork:
    students = [a for a, role in members if role == "student"]
    partners = [a for a, role in members if role == PATIENT_PARTNER]
    case = work_ops.start_case(session, students[0], group, assignment, {
        "ourselves": "We take turns and keep to time.",
        "each_other": "We ask before we assume.",
        "person": "We write about the person as we would talk to them."})
    for number, partner in enumerate(partners):
        work_ops.give_consent(session, partner, case, share_group=True, share_reviewers=True,
                              exemplar=number == 0, quote=number == 0)
    for index, part in enumerate(template.SECTIONS):
        student_words, partner_words = WORDS[part.key]
        work_ops.save_section(session, students[index % 3], case, part.key, student_words, 0)
        if part.first_voice in ("patient", "both", "each"):
            partner = partners[index % 2]
            if index % 4 == 1:  # told to a student, who typed it
                work_ops.save_section(session, students[0], case, part.key,
                                      f"{student_words}\n\n{partner_words}", 1,
                                      told_by_id=partner.id)
            else:
                work_ops.save_section(session, partner, case, part.key,
                                      f"{student_words}\n\n{partner_words}", 1)
        work_ops.mark_written(session, students[0], case, part.key, True)
    for account, _role in members:
        hand_in.confirm(session, account, case, share_reviewers=True)
    return case


def _review(session, submission, lens, reviewer, level_of) -> None:
    rubric_row = review_ops.latest_rubric(session, lens)
    review = Review(submission_id=submission.id, lens=lens, reviewer_id=reviewer.id,
                    rubric_version_id=rubric_row.id, show_name=lens == "educator")
    session.add(review)
    session.flush()
    rubric = rubric_row.content()
    levels = [level.key for level in rubric.levels]
    ratings = {c.id: levels[level_of(i)] for i, c in enumerate(rubric.criteria)}
    comments = {rubric.criteria[0].id: "You let the person's own words lead the story."}
    review_ops.save(session, review, ratings=ratings, comments=comments,
                    answer="Ask first, then plan: that showed in your part 9.",
                    show_name=review.show_name, base_version=0, submit=True, withheld=set())


def _reviews(session, cases, educator, coteacher) -> None:
    """Both lenses for every hand-in; on the first the two views point opposite ways."""
    for n, case in enumerate(cases):
        made = hand_in.current_submission(session, case)
        if n == 0:
            _review(session, made, "educator", educator, lambda i: 3)
            _review(session, made, "patient", coteacher, lambda i: 0)
        else:
            _review(session, made, "educator", educator, lambda i, n=n: 1 + (i + n) % 3)
            _review(session, made, "patient", coteacher, lambda i, n=n: 1 + (i * n) % 3)


def _you_said_we_did(session, lead, programme, about, carried_by) -> None:
    review_log.record(session, lead, programme, {
        "about": str(about.id), "carried_by": str(carried_by.id),
        "finding": "Patient partners said that rounds which asked them to go first with "
                   "their own experience put them on the spot.",
        "decision": "Rounds that ask for personal experience now start with a student or the "
                    "educator; the patient partner may pass or answer as the person in the case.",
        "summary": "You said being asked to go first felt like being put on the spot. Now a "
                   "student or the educator starts, and anyone may pass.",
        "figures": "Patient partners agreeing they felt safe to speak: lower than students."},
        k=5)


def _surveys(session, groups, assignment, moment) -> None:
    row = survey.latest_survey(session)
    if row is None:
        return
    questions = row.content()
    scale = len(questions.scale)
    for g, (_group, members) in enumerate(groups):
        for i, (account, role) in enumerate(members):
            respondent = "student" if role == "student" else "patient"
            form = {}
            for item in survey.items_for(questions, respondent):
                if item.kind == "rating":
                    form[item.id] = str(min(scale - 1, 2 + (g + i) % 3))
                elif i == 0:
                    form[item.id] = ("Meeting the patient partners early made the case "
                                     "feel real." if g % 2 else
                                     "More time for part 9 would help.")
            survey.answer(session, account.id, assignment, respondent, form, moment)


def _screen(session, assignment, educator) -> None:
    comments = session.scalars(select(FeedbackComment).where(
        FeedbackComment.cohort_id == assignment.cohort_id).order_by(FeedbackComment.id)).all()
    for comment in comments[:-1]:  # one is left for the educator to screen
        survey.screen(session, educator, comment, "approve", None)


def _hours(session, cohort, groups, coteacher, educator) -> None:
    people = [a for _g, members in groups for a, role in members if role == PATIENT_PARTNER]
    for n, person in enumerate([*people, coteacher]):
        session.add(Contribution(account_id=person.id, cohort_id=cohort.id,
                                 activity="reviewing" if person is coteacher else "meeting",
                                 on_date=now() - AGO, minutes=90 + 15 * (n % 3),
                                 note="Demo entry", confirmed_by_id=educator.id,
                                 confirmed_at=now() - AGO + timedelta(days=7)))


def _into_the_past(session, cohort, assignment) -> None:
    """Move every moment of the term back by ``AGO``, as if it happened in the spring."""
    cases = session.scalars(select(CaseWork).where(
        CaseWork.assignment_id == assignment.id)).all()
    case_ids = [c.id for c in cases]
    subs = session.scalars(select(Submission).where(Submission.case_work_id.in_(case_ids))).all()
    rows = [*cases, *subs,
            *session.scalars(select(SectionDraft).where(SectionDraft.case_work_id.in_(case_ids))),
            *session.scalars(select(SectionRevision).join(
                SectionDraft, SectionDraft.id == SectionRevision.draft_id).where(
                SectionDraft.case_work_id.in_(case_ids))),
            *session.scalars(select(ConsentRecord).where(
                ConsentRecord.case_work_id.in_(case_ids))),
            *session.scalars(select(Review).where(
                Review.submission_id.in_([s.id for s in subs]))),
            *session.scalars(select(GroupResponse).where(
                GroupResponse.submission_id.in_([s.id for s in subs])))]
    for row in rows:
        for column in ("started_at", "last_activity_at", "submitted_at", "ready_at",
                       "updated_at", "created_at"):
            value = getattr(row, column, None)
            if value is not None:
                setattr(row, column, value - AGO)
    start = now().replace(second=0, microsecond=0) - AGO
    assignment.opens_at = start - timedelta(days=21)
    assignment.due_at = start + timedelta(days=1)
    assignment.review_due_at = start + timedelta(days=10)
    assignment.feedback_released_at = start + timedelta(days=10)
    cohort.archived = False


def create_earlier_term(session, programme, educator, lead, coteacher, password) -> None:
    """Add the finished spring term to the demo programme, once."""
    from webapp.models import Cohort

    if session.scalar(select(Cohort.id).where(Cohort.programme_id == programme.id,
                                              Cohort.name == COHORT)):
        return
    versions = session.scalars(select(ModuleVersionRow).where(
        ModuleVersionRow.slug == MODULE).order_by(
        ModuleVersionRow.major, ModuleVersionRow.minor, ModuleVersionRow.patch)).all()
    if not versions or not review_ops.latest_rubric(session, "educator") \
            or not review_ops.latest_rubric(session, "patient"):
        return  # the course is not loaded: nothing to show yet
    cohort = Cohort(programme=programme, name=COHORT)
    session.add(cohort)
    session.flush()
    session.add(Membership(account=coteacher, role=PATIENT_COTEACHER, cohort=cohort))
    groups = _people(session, cohort, password)
    moment = now().replace(second=0, microsecond=0)
    assignment = Assignment(cohort_id=cohort.id, module_slug=MODULE,
                            module_version_id=versions[0].id,
                            opens_at=moment - timedelta(days=1),
                            due_at=moment + timedelta(days=1),
                            review_due_at=moment + timedelta(days=2))
    session.add(assignment)
    session.flush()
    cases = [_write_case(session, group, members, assignment) for group, members in groups]
    _reviews(session, cases, educator, coteacher)
    review_ops.release(session, assignment)
    group_work.respond(session, groups[1][1][0][0], cases[1],
                       "We will ask the person what matters before we plan, every time.",
                       "")
    _hours(session, cohort, groups, coteacher, educator)
    session.flush()
    _surveys(session, groups, assignment, moment - AGO)
    _screen(session, assignment, educator)
    if len(versions) > 1:
        _you_said_we_did(session, lead, programme, versions[0], versions[-1])
    _into_the_past(session, cohort, assignment)
    session.flush()
