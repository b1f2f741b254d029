"""What the page benchmark needs beyond the synthetic programme (``bench.synthetic``).

The synthetic programme is built for the reports: finished assignments, submitted cases and
submitted reviews. ``add_page_objects`` gives its last cohort what a term in progress has, so
that every journey's pages have something to show:

- a current assignment (opened 10 days ago, due in 4) on the last module (by name) that the
  cohort has not taken,
  with a case in progress for every group but the second (whose students see the "start the
  case" page): the nine parts with text, 12 saved versions each, the patient partners' consent;
- the case parts of every earlier case of the cohort, as they were when handed in, and
  part 9 of each shared with the cohort;
- the patient partners' agreements and time logged by partners and co-teachers (every cohort),
  the co-teachers' review capacity, lessons read, a few "you said, we did" entries, pending
  invitations and a long audit trail (sign-ins over the two years);
- the programme educator as the programme's named contact (who records things for people);
- an admin, and a password for the people the benchmark signs in as: the lead and programme
  educator, and in the last cohort its educator, a co-teacher, a student and a patient partner
  of the first group, and a student of the second.

Rows go in with bulk INSERTs in the session's transaction; the caller commits.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select, update
from werkzeug.security import generate_password_hash

from bench.foundation import PASSWORD
from bench.synthetic import HASH_METHOD
from curriculum import reexposure, template
from webapp.clock import now
from webapp.models import (
    Account,
    Assignment,
    AuditEvent,
    CaseWork,
    ConsentRecord,
    Contribution,
    GroupMember,
    Invitation,
    LessonProgress,
    LogEntry,
    Membership,
    ModuleVersionRow,
    PartnerAgreement,
    Programme,
    ReviewerCapacity,
    ReviewLogEntry,
    SectionDraft,
    SectionRevision,
    Submission,
)
from webapp.models import Group as StudyGroup

SAVES = 12  # saved versions of each part of a case in progress
AUDIT_EVENTS = 20_000
CONTRIBUTIONS = 6  # entries of time per patient partner and co-teacher
LOG_ENTRIES = 8
LEARNING_LOG = 20  # learning log entries of each student and patient partner of the cohort


def add_page_objects(session, ids: dict, *, saves: int = SAVES,
                     contributions: int = CONTRIBUTIONS, audit_events: int = AUDIT_EVENTS,
                     learning_log: int = LEARNING_LOG, seed: int = 20261204) -> dict:
    """Add the rows described above to the programme ``build_programme`` returned as ``ids``
    (fewer or more of them with the keywords); return the ids the pages are measured on and
    the emails of the people who sign in (see ``bench.pages``)."""
    rng = random.Random(seed)
    cohort_id = ids["cohort_ids"][-1]
    people = _people(session, cohort_id)
    current = _current_assignment(session, cohort_id, ids["educator_id"])
    groups = people["groups"]
    cases = _cases_in_progress(session, rng, current, [g for i, g in enumerate(groups) if i != 1],
                               people, saves)
    _handed_in_parts(session, cohort_id)
    session.execute(update(CaseWork).where(  # every group shares its plans with the cohort
        CaseWork.group_id.in_(groups), CaseWork.submitted_at.is_not(None)).values(
        reflection_shared_at=CaseWork.submitted_at))
    _consent(session, people, cases, current)
    _time_and_agreements(session, ids, people, contributions)
    _learning_and_log(session, ids, people, current)
    add_learning_log(session, people, current, learning_log)
    _audit(session, rng, audit_events)
    admin = _admin(session)
    session.execute(update(Programme).where(Programme.id == ids["programme_id"]).values(
        contact_id=ids["educator_id"], contact_details="020 7946 0000"))
    own = groups[0]
    finished = session.scalars(select(Assignment).where(
        Assignment.cohort_id == cohort_id, Assignment.id != current.id)
        .order_by(Assignment.opens_at.desc())).first()
    done_case = session.scalar(select(CaseWork.id).where(
        CaseWork.group_id == own, CaseWork.assignment_id == finished.id))
    review = session.scalar(_review_id(done_case, people["coteacher"]))
    sign_in = {"lead": ids["lead_id"], "programme_educator": ids["educator_id"],
               "educator": people["educator"], "coteacher": people["coteacher"],
               "student": people["members"][own]["student"][0],
               "partner": people["members"][own]["patient_partner"][0],
               "starter": people["members"][groups[1]]["student"][0], "admin": admin}
    session.execute(update(Account).where(Account.id.in_(list(sign_in.values()))).values(
        password_hash=generate_password_hash(PASSWORD, HASH_METHOD)))
    emails = dict(session.execute(select(Account.id, Account.email).where(
        Account.id.in_(list(sign_in.values())))).all())
    job = _finished_report(session, ids)
    return {"P": ids["programme_id"], "C": cohort_id, "G": own, "G2": groups[1], "J": job,
            "A": current.id, "MV": current.module_version_id, "K": cases[own],
            "AF": finished.id, "MVF": finished.module_version_id, "KF": done_case, "R": review,
            "AG": session.scalar(select(PartnerAgreement.id).where(
                PartnerAgreement.account_id == sign_in["partner"])),
            "S": sign_in["student"], "PARTNER": sign_in["partner"],
            **_calendar_feeds(session, sign_in, cohort_id),
            "LE": session.scalar(select(LogEntry.id).where(
                LogEntry.account_id == sign_in["student"]).order_by(LogEntry.id).limit(1)),
            "emails": {role: emails[account] for role, account in sign_in.items()}}


def _calendar_feeds(session, sign_in: dict, cohort_id: int) -> dict:
    """Calendar links of the student and the co-teacher (their own dates) and of the
    cohort's educator (the cohort's), with known tokens."""
    from webapp import tokens
    from webapp.models import CalendarFeed

    links = {"FEED_STUDENT": ("student", None), "FEED_COTEACHER": ("coteacher", None),
             "FEED_COHORT": ("educator", cohort_id)}
    for key, (role, cohort) in links.items():
        session.add(CalendarFeed(account_id=sign_in[role], cohort_id=cohort,
                                 scope=f"cohort:{cohort}" if cohort else "own",
                                 token_hash=tokens.token_hash(f"bench-{key.lower()}")))
    return {key: f"bench-{key.lower()}" for key in links}


def _finished_report(session, ids: dict) -> int:
    """A whole-programme report the lead asked for earlier, made and ready to download."""
    from webapp.models import ReportJob
    from webapp.reports.whole import PROGRAMME_REPORT

    data = b"%PDF-1.7\n% the whole-programme report\n" + b"0" * 200_000
    moment = now()
    return session.scalar(insert(ReportJob).returning(ReportJob.id).values(
        kind=PROGRAMME_REPORT.name, subject_id=ids["programme_id"], data_version="synthetic",
        k=5, state="done", parts_done=28, parts_total=28, attempts=1,
        file_name="programme-report.pdf", file_size=len(data), file_data=data,
        requested_by_id=ids["lead_id"], created_at=moment - timedelta(minutes=4),
        queued_at=moment - timedelta(minutes=4), started_at=moment - timedelta(minutes=4),
        finished_at=moment))


def _review_id(case_id: int, reviewer: int):
    from webapp.models import Review

    return (select(Review.id).join(Submission, Submission.id == Review.submission_id)
            .where(Submission.case_work_id == case_id, Review.reviewer_id == reviewer)
            .order_by(Submission.round.desc()).limit(1))


def _people(session, cohort_id: int) -> dict:
    roles = session.execute(select(Membership.account_id, Membership.role).where(
        Membership.cohort_id == cohort_id).order_by(Membership.account_id)).all()
    groups = list(session.scalars(select(StudyGroup.id).where(
        StudyGroup.cohort_id == cohort_id).order_by(StudyGroup.id)))
    role_of = dict(roles)
    members: dict = {g: {"student": [], "patient_partner": []} for g in groups}
    for group_id, account_id in session.execute(select(
            GroupMember.group_id, GroupMember.account_id).where(GroupMember.group_id.in_(groups))
            .order_by(GroupMember.account_id)):
        members[group_id][role_of[account_id]].append(account_id)
    coteachers = [a for a, r in roles if r == "patient_coteacher"]
    return {"groups": groups, "members": members, "coteachers": coteachers,
            "coteacher": coteachers[0], "educator": next(a for a, r in roles if r == "educator"),
            "partners": [a for a, r in roles if r == "patient_partner"],
            "students": [a for a, r in roles if r == "student"]}


def _current_assignment(session, cohort_id: int, educator_id: int) -> Assignment:
    taken = set(session.scalars(select(Assignment.module_slug).where(
        Assignment.cohort_id == cohort_id)))
    version = session.scalars(select(ModuleVersionRow).where(
        ModuleVersionRow.slug.not_in(taken)).order_by(
        ModuleVersionRow.slug.desc(), ModuleVersionRow.major.desc(), ModuleVersionRow.minor.desc(),
        ModuleVersionRow.patch.desc())).first()
    if version is None:
        raise LookupError("every loaded module is taken by the cohort: load more content")
    start = now().replace(microsecond=0)
    assignment = Assignment(cohort_id=cohort_id, module_slug=version.slug,
                            module_version_id=version.id, opens_at=start - timedelta(days=10),
                            due_at=start + timedelta(days=4),
                            review_due_at=start + timedelta(days=18),
                            created_by_id=educator_id, created_at=start - timedelta(days=12))
    session.add(assignment)
    session.flush()
    return assignment


def _ids(session, model, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    return list(session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                rows))


def _cases_in_progress(session, rng, assignment, groups: list[int], people: dict,
                       saves: int) -> dict:
    start = assignment.opens_at + timedelta(days=1)
    case_ids = _ids(session, CaseWork, [
        {"group_id": g, "assignment_id": assignment.id, "started_at": start,
         "promise_ourselves": "To listen first.", "promise_each_other": "To share the writing.",
         "promise_person": "To write about the person with respect.",
         "agreed_by_id": people["members"][g]["student"][0]} for g in groups])
    cases = dict(zip(groups, case_ids, strict=True))
    drafts, plan = [], []
    for group, case_id in cases.items():
        writers = people["members"][group]["patient_partner"] + people["members"][group]["student"]
        for k, key in enumerate(template.KEYS):
            done = saves if k < 6 else 0  # the last parts are not begun yet
            drafts.append({"case_work_id": case_id, "section": key, "version": done,
                           "text": _text(group, key, done) if done else "",
                           "written": k < 3, "student_voice": done > 0,
                           "patient_voice": done > 0 and k % 2 == 0,
                           "updated_at": start + timedelta(hours=k),
                           "updated_by_id": writers[k % len(writers)] if done else None})
            plan.append((group, key, done, writers,
                         len(people["members"][group]["patient_partner"])))
    revisions = []
    drafted = _ids(session, SectionDraft, drafts)
    for draft_id, (group, key, done, writers, partners) in zip(drafted, plan, strict=True):
        revisions += [{"draft_id": draft_id, "version": v, "text": _text(group, key, v),
                       "account_id": writers[(v - 1) % len(writers)],
                       "role": "patient_partner" if (v - 1) % len(writers) < partners
                       else "student",
                       "created_at": start + timedelta(minutes=7 * v)}
                      for v in range(1, done + 1)]
    session.execute(insert(SectionRevision), revisions)
    return cases


def _text(group: int, key: str, version: int) -> str:
    return (f"What group {group} wrote about {key}, saved {version} times. " * 6).strip()


def _handed_in_parts(session, cohort_id: int) -> None:
    """The parts of the cohort's handed-in cases, as their last submission holds them."""
    rows = session.execute(select(Submission.case_work_id, Submission.sections).join(
        Assignment, Assignment.id == Submission.assignment_id).where(
        Assignment.cohort_id == cohort_id).order_by(Submission.case_work_id, Submission.round))
    last = {case_id: sections for case_id, sections in rows}
    session.execute(insert(SectionDraft), [
        {"case_work_id": case_id, "section": key, "version": 3, "written": True,
         "text": sections.get(key, {}).get("text", ""), "student_voice": True,
         "patient_voice": True} for case_id, sections in last.items() for key in template.KEYS])


def _consent(session, people: dict, cases: dict, assignment) -> None:
    session.execute(insert(ConsentRecord), [
        {"case_work_id": case_id, "account_id": partner, "share_group": True,
         "share_reviewers": True, "exemplar": False, "quote": False,
         "created_at": assignment.opens_at + timedelta(days=1)}
        for group, case_id in cases.items()
        for partner in people["members"][group]["patient_partner"]])


def _time_and_agreements(session, ids: dict, people: dict, contributions: int) -> None:
    cohort_id = ids["cohort_ids"][-1]
    givers = session.execute(select(Membership.account_id, Membership.cohort_id).where(
        Membership.cohort_id.in_(ids["cohort_ids"]),
        Membership.role.in_(("patient_partner", "patient_coteacher")))
        .order_by(Membership.id)).all()
    today = now().replace(microsecond=0, second=0, minute=0)
    session.execute(insert(Contribution), [
        {"account_id": account, "cohort_id": cohort, "on_date": today - timedelta(days=9 * k),
         "activity": ("meeting", "writing", "reviewing")[k % 3], "minutes": 30 * (1 + k % 4),
         "note": "Group meeting." if k % 2 else "",
         "confirmed_by_id": ids["educator_id"] if k > 1 else None,
         "confirmed_at": today - timedelta(days=9 * k - 2) if k > 1 else None}
        for account, cohort in givers for k in range(contributions)])
    session.execute(insert(PartnerAgreement), [
        {"cohort_id": cohort_id, "account_id": partner, "tasks": "Four group meetings.",
         "fee": "800 kr per meeting", "state": "offered" if k % 3 == 2 else "accepted",
         "accepted_at": None if k % 3 == 2 else today - timedelta(days=40),
         "offered_by_id": people["educator"]} for k, partner in enumerate(people["partners"])])
    session.execute(insert(ReviewerCapacity), [
        {"cohort_id": cohort_id, "account_id": coteacher, "lens": "patient", "capacity": 6}
        for coteacher in people["coteachers"]])
    session.execute(insert(Invitation), [
        {"cohort_id": cohort_id, "email": f"invited-{k}@example.org", "role": "student",
         "token_hash": f"{k:064x}", "invited_by_id": people["educator"],
         "expires_at": today + timedelta(days=7)} for k in range(10)])


def _learning_and_log(session, ids: dict, people: dict, current) -> None:
    lessons = [lesson.id for lesson in current.module_version.content().lessons]
    session.execute(insert(LessonProgress), [
        {"account_id": student, "module_version_id": current.module_version_id,
         "lesson_id": lesson} for student in people["students"] for lesson in lessons[:2]])
    about = ids["module_version_ids"]
    session.execute(insert(ReviewLogEntry), [
        {"programme_id": ids["programme_id"], "about_version_id": about[k % len(about)],
         "module_slug": session.get(ModuleVersionRow, about[k % len(about)]).slug,
         "finding": f"Finding {k}.", "evidence": [{"kind": "figure", "text": "3 of 5"}],
         "decision": "Shorter readings.", "summary": "We made the readings shorter.",
         "created_by_id": ids["lead_id"]} for k in range(LOG_ENTRIES)])


def add_learning_log(session, people: dict, current, per_person: int) -> None:
    """``per_person`` learning log entries for each student and patient partner of the cohort:
    a third shared with the cohort, a third with the group, the rest private; some come back
    today, some were answered."""
    group_of = {account: group for group, roles in people["members"].items()
                for accounts in roles.values() for account in accounts}
    today = now().date()
    stages = ("what", "so_what", "now_what", "what_happened")
    rows = []
    for account, group in group_of.items():
        for k in range(per_person):
            shared = ("cohort", "group", None)[k % 3]
            rows.append({
                "account_id": account, "place": "lesson" if k % 2 else "own",
                "stage": stages[k % 4], "text": f"Entry {k}: what I noticed about listening.",
                "tags": [], "written_on": today - timedelta(days=3 * k + 1),
                "module_version_id": current.module_version_id if k % 2 else None,
                "place_id": current.module_version.content().lessons[0].id if k % 2 else None,
                "assignment_id": current.id if k % 2 else None,
                "come_back_on": today if k % 5 == 0 else None,
                "back_on": reexposure.next_return(reexposure.Schedule(
                    today - timedelta(days=3 * k + 1), today if k % 5 == 0 else None), today),
                "version": 1, "created_at": now(), "updated_at": now(),
                "shared_with": shared, "share_group_id": group if shared == "group" else None,
                "share_cohort_id": current.cohort_id if shared else None,
                "share_named": k % 2 == 0, "shared_at": now() - timedelta(hours=k)
                if shared else None})
    if rows:
        session.execute(insert(LogEntry), rows)


def _audit(session, rng, events: int) -> None:
    accounts = list(session.scalars(select(Account.id).order_by(Account.id)))
    start = now() - timedelta(days=730)
    session.execute(insert(AuditEvent), [
        {"at": start + timedelta(minutes=53 * k), "kind": "sign_in",
         "actor_id": rng.choice(accounts), "detail": {"method": "password"}}
        for k in range(events)])


def _admin(session) -> int:
    email = "pages-admin@example.org"
    return _ids(session, Account, [{"email": email, "email_key": email,
                                    "display_name": "Site admin", "admin": True}])[0]
