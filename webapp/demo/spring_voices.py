"""What the spring term said afterwards, through the product's own operations: anonymous
module feedback with comments (screened, one left for the educator), a "you said, we did"
entry, and the patient partners' and co-teachers' confirmed hours.

Each step finds what exists and adds only what is missing, so running the demo again (even
after a run that stopped part way: answering the survey commits) changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from webapp.models import Contribution, FeedbackComment, ReviewLogEntry
from webapp.reports import log as review_log
from webapp.reports import operations as survey
from webapp.reports.build import configured_k
from webapp.review import contributions
from webapp.roles import PATIENT_PARTNER

#: The answer most people give to each rating (0 = strongly disagree … 4 = strongly agree);
#: each person's answer moves around it by one of the ``SPREADS``.
LEANS = {"clear": 3, "relevant": 3, "partners-helped": 4, "case-felt-real": 3,
         "feedback-changes-practice": 3, "safe-to-speak": 3, "workload": 2,
         "treated-as-equal": 2, "knew-what-was-asked": 3, "felt-supported": 3,
         "time-recognised": 3, "experience-respected": 4, "take-part-again": 4}
SPREADS = ((0, 1, -1, 0, 1, 0, -1, 0, 1, -1, 0), (0, 0, 1, -1, 0, 0, 1, 0, 0, 1, 0),
           (1, 0, 0, -1, 0, 1, 0, 0, -1, 0, 1), (0, -1, 0, 1, 0, 0, 1, -1, 0, 0, -1))

#: Comments, by (respondent, item): who writes one is fixed, so the demo is the same each time.
COMMENTS = {
    ("student", "keep"): ["Meeting the patient partners in the first week made the case feel "
                          "real.",
                          "Writing part 9 together at the end, out loud."],
    ("student", "change"): ["More time for part 9; we rushed it.",
                            "Our tutor Eve Educator kept us to time, but the room booking was "
                            "confusing."],
    ("patient", "keep"): ["Being asked what I wanted to share, and what not."],
    ("patient", "change"): ["Please do not ask us to start the round about our own illness. "
                            "Let someone else go first.",
                            "One person in our group talked over everyone in week two."],
}
#: Screening takes the name out of this one before approving it.
REDACT = {COMMENTS[("student", "change")][1]:
          "Our tutor kept us to time, but the room booking was confusing."}
#: This one is left for the educator to screen.
PENDING = COMMENTS[("patient", "change")][1]
#: The comment the "you said, we did" entry links as its evidence.
EVIDENCE = COMMENTS[("patient", "change")][0]


def _rating(item_id: str, person: int, index: int) -> int:
    spread = SPREADS[index % len(SPREADS)]
    return max(0, min(4, LEANS.get(item_id, 3) + spread[(3 * person + index) % len(spread)]))


def answers(questions, respondent: str, person: int) -> dict[str, str]:
    """One person's form: every rating, and a comment where ``COMMENTS`` gives them one."""
    form = {}
    for index, item in enumerate(survey.items_for(questions, respondent)):
        if item.kind == "rating":
            form[item.id] = str(_rating(item.id, person, index))
        else:
            said = COMMENTS.get((respondent, item.id), [])
            if person % 4 == 0 and person // 4 < len(said):
                form[item.id] = said[person // 4]
    return form


def skipped(respondent: str):
    """Who leaves the module feedback unanswered: a student in seven, and one patient partner
    (by their place among the cohort's students or patient partners)."""
    if respondent == "student":
        return lambda person: person % 7 == 6
    return lambda person: person == 5


def answer_surveys(session, assignment, people, moment: datetime) -> None:
    """Most members answer the module feedback, once. ``people``: (account, role) in a
    fixed order."""
    row = survey.latest_survey(session)
    if row is None:
        return
    questions = row.content()
    counters = {"student": 0, "patient": 0}
    for account, role in people:
        respondent = "student" if role == "student" else "patient"
        person = counters[respondent]
        counters[respondent] += 1
        if skipped(respondent)(person):
            continue
        if not survey.answered(session, account.id, assignment.id):
            survey.answer(session, account.id, assignment, respondent,
                          answers(questions, respondent, person), moment)


def screen_comments(session, assignment, educator) -> None:
    """The educator approves every comment but one (taking a name out of one first)."""
    for comment in session.scalars(select(FeedbackComment).where(
            FeedbackComment.cohort_id == assignment.cohort_id,
            FeedbackComment.status == "pending", FeedbackComment.text != PENDING)):
        survey.screen(session, educator, comment, "approve", REDACT.get(comment.text))


def agreement(questions, respondent: str, item_id: str, people: int, skip) -> tuple[int, int]:
    """(agreeing, answering) for one rating, worked out the way ``answers`` fills the form."""
    index = [i.id for i in survey.items_for(questions, respondent)].index(item_id)
    answering = [p for p in range(people) if not skip(p)]
    return sum(_rating(item_id, p, index) >= 3 for p in answering), len(answering)


def you_said_we_did(session, lead, programme, about, carried_by, figures: str,
                    at: datetime) -> None:
    """The lead records what the term's feedback changed, once, ``at`` a moment after the
    term. ``carried_by`` is a later version of the module, or None while the change is still
    to come."""
    if session.scalar(select(ReviewLogEntry.id).where(
            ReviewLogEntry.programme_id == programme.id,
            ReviewLogEntry.about_version_id == about.id)):
        return
    k = configured_k()
    linked = [c.id for c in review_log.screened_comments(session, programme.id, about.id, k)
              if c.text == EVIDENCE]
    entry = review_log.record(session, lead, programme, {
        "about": str(about.id), "carried_by": str(carried_by.id) if carried_by else "",
        "finding": "Patient partners said that rounds which asked them to go first with "
                   "their own experience put them on the spot.",
        "decision": "Rounds that ask for personal experience now start with a student or the "
                    "educator; the patient partner may pass or answer as the person in the case.",
        "summary": "You said being asked to go first felt like being put on the spot. Now a "
                   "student or the educator starts, and anyone may pass.",
        "figures": figures, "comment": linked}, k=k)
    entry.created_at = at


def record_hours(session, cohort, partners, coteachers, educator, start: datetime) -> None:
    """Each patient partner and co-teacher records the time they gave; the educator confirms
    it. Skipped when the cohort already has hours."""
    if session.scalar(select(Contribution.id).where(Contribution.cohort_id == cohort.id)):
        return
    entries = []
    for n, person in enumerate([*partners, *coteachers]):
        reviewing = person in coteachers
        plan = ([("reviewing", 21, 180, "Read and reviewed three cases")] if reviewing else
                [("preparation", 2, 45, "Read the case"),
                 ("meeting", 7, 90 + 15 * (n % 3), "Group meeting"),
                 ("meeting", 14, 90, "Group meeting"),
                 ("writing", 18, 30 + 15 * (n % 2), "")])
        for activity, day, minutes, note in plan:
            entries.append(contributions.record(
                session, person, {cohort.id}, cohort_id=cohort.id, activity=activity,
                on_date=(start + timedelta(days=day)).strftime("%Y-%m-%d"),
                minutes=str(minutes), note=note))
    contributions.confirm(session, educator, cohort, {e.id for e in entries})


def partners_of(groups) -> list:
    return [a for _g, members in groups for a, role in members if role == PATIENT_PARTNER]
