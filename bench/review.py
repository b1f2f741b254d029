"""Formative review at cohort scale: allocation and the review report.

- pure allocation (``curriculum.allocation.allocate``) of 400 submissions from 100 groups,
  once to 30 patient co-teachers (capacities 0-20, seeded random, each a member of one random
  group, so some submissions are out of their reach) and once to 40 educators (the default
  capacity of 10 each, in no group): median of several runs and the uncovered submissions;
- database allocation (``webapp.review.operations.allocate``) for an assignment with 400
  submissions (400 groups of 5, the same 30 co-teachers with ReviewerCapacity rows, 40 cohort
  educators): median of 3 runs (each rolled back) and SQL statements per run;
- the review report (GET /assignments/<id>/review-report as a signed-in educator) for 200 groups
  (2,000 learners) with one submission each, reviewed and submitted in both lenses with the
  shipped rubrics: median of 10 requests and SQL statements per request, compared with 20 groups
  to show the count does not grow with the cohort.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bench.foundation import _app, _measure, _sign_in
from bench.workspace import ROOT, _counting, _educator, _ms
from curriculum import allocation, template
from webapp.clock import now
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    Cohort,
    GroupMember,
    Membership,
    ModuleVersionRow,
    Programme,
    Review,
    ReviewerCapacity,
    Submission,
)
from webapp.models import Group as StudyGroup
from webapp.review import operations

SEED = 20261126
SUBMISSIONS = 400
PURE_GROUPS = 100
COTEACHERS = 30
EDUCATORS = 40
PURE_RUNS = 7
DB_RUNS = 3
REPORT_GROUPS = 200
LEARNERS_PER_GROUP = 10  # 9 students and a patient partner
REPORT_REPEAT = 10


def _coteacher_capacities() -> list[int]:
    rng = random.Random(SEED)
    return [rng.randint(0, 20) for _ in range(COTEACHERS)]


def _coteacher_groups(groups: int) -> list[int]:
    """The (1-based) group each co-teacher belongs to."""
    rng = random.Random(SEED + 1)
    return [rng.randint(1, groups) for _ in range(COTEACHERS)]


# --- 1. pure allocation -----------------------------------------------------------------------

def _pure_figures() -> dict:
    per_group = SUBMISSIONS // PURE_GROUPS
    subs = [allocation.Sub(i + 1, i // per_group + 1) for i in range(SUBMISSIONS)]
    coteachers = [allocation.Reviewer(1000 + i, cap, frozenset({group}))
                  for i, (cap, group) in enumerate(zip(_coteacher_capacities(),
                                                       _coteacher_groups(PURE_GROUPS),
                                                       strict=True))]
    educators = [allocation.Reviewer(2000 + i, operations.DEFAULT_CAPACITY["educator"])
                 for i in range(EDUCATORS)]
    figures: dict = {"pure_submissions": SUBMISSIONS, "pure_groups": PURE_GROUPS,
                     "pure_coteacher_total_capacity": sum(r.capacity for r in coteachers),
                     "pure_educator_total_capacity": sum(r.capacity for r in educators)}
    for label, pool in (("coteachers_30", coteachers), ("educators_40", educators)):
        times, uncovered = [], set()
        for run in range(PURE_RUNS):
            start = time.perf_counter()
            result = allocation.allocate(subs, pool, seed=run)
            times.append(time.perf_counter() - start)
            uncovered.add(len(result.uncovered))
            assert len(result.assigned) + len(result.uncovered) == SUBMISSIONS
        figures[f"pure_allocate_400_{label}_ms_median"] = _ms(statistics.median(times))
        figures[f"pure_allocate_400_{label}_ms_max"] = _ms(max(times))
        assert len(uncovered) == 1, uncovered  # the cover does not depend on the seed
        figures[f"pure_allocate_400_{label}_uncovered"] = uncovered.pop()
    return figures


# --- shared building blocks -------------------------------------------------------------------

def _sections(g: int) -> dict:
    """A submission's sections; every fifth group's patient partner withheld "emotions"."""
    sections = {key: {"text": f"Group {g} wrote about {key}."} for key in template.KEYS}
    if g % 5 == 0:
        sections["emotions"] = {"withheld": True}
    return sections


def _assignment(programme, educator_id, version, name) -> tuple[Cohort, Assignment]:
    cohort = Cohort(programme=programme, name=name)
    opens = now() - timedelta(days=20)
    assignment = Assignment(cohort=cohort, module_slug=version.slug, module_version=version,
                            opens_at=opens, due_at=opens + timedelta(days=14),
                            review_due_at=opens + timedelta(days=28),
                            created_by_id=educator_id)
    db.session.add_all([cohort, assignment])
    db.session.flush()
    return cohort, assignment


def _groups_with_submissions(cohort, assignment, groups: int, members: int, tag: str
                             ) -> list[tuple[StudyGroup, Submission]]:
    made = []
    for g in range(1, groups + 1):
        group = StudyGroup(cohort=cohort, name=f"Group {g:03d}")
        for m in range(members):
            email = f"{tag}-{g}-{m}@example.org"
            person = Account(email=email, email_key=email, display_name=f"Learner {g}-{m}")
            role = "patient_partner" if m == 0 else "student"
            db.session.add_all([Membership(account=person, cohort=cohort, role=role),
                                GroupMember(group=group, account=person)])
        work = CaseWork(group=group, assignment_id=assignment.id, submitted_at=now())
        submission = Submission(assignment_id=assignment.id, round=1, sections=_sections(g))
        db.session.add_all([group, work])
        db.session.flush()
        submission.case_work_id, submission.group_id = work.id, group.id
        db.session.add(submission)
        made.append((group, submission))
    db.session.flush()
    return made


def _person(email: str, name: str) -> Account:
    return Account(email=email, email_key=email, display_name=name)


# --- 2. database allocation -------------------------------------------------------------------

def _allocation_assignment(version) -> int:
    programme = Programme(name="Allocation programme")
    db.session.add(programme)
    db.session.flush()
    cohort, assignment = _assignment(programme, None, version, "Allocation cohort")
    made = _groups_with_submissions(cohort, assignment, SUBMISSIONS, 5, "alloc")
    for i, (capacity, g) in enumerate(zip(_coteacher_capacities(),
                                          _coteacher_groups(SUBMISSIONS), strict=True)):
        person = _person(f"alloc-coteacher-{i}@example.org", f"Coteacher {i:02d}")
        db.session.add_all([
            Membership(account=person, cohort=cohort, role="patient_coteacher"),
            GroupMember(group=made[g - 1][0], account=person)])
        db.session.flush()
        db.session.add(ReviewerCapacity(cohort_id=cohort.id, account_id=person.id,
                                        lens="patient", capacity=capacity))
    for i in range(EDUCATORS):
        person = _person(f"alloc-educator-{i}@example.org", f"Educator {i:02d}")
        db.session.add(Membership(account=person, cohort=cohort, role="educator"))
    db.session.flush()
    return assignment.id


def _allocation_figures(app, assignment_id: int) -> dict:
    times, counts, outcomes = [], set(), set()
    with app.test_request_context():
        session = db.session
        for _run in range(DB_RUNS):
            assignment = session.get(Assignment, assignment_id)
            assert not session.scalars(select(Review.id).limit(1)).all()
            with _counting() as sql:
                start = time.perf_counter()
                outcome = operations.allocate(session, assignment)
                times.append(time.perf_counter() - start)
            counts.add(sql[0])
            outcomes.add((outcome.added, len(outcome.uncovered["educator"]),
                          len(outcome.uncovered["patient"])))
            session.rollback()  # the next run starts from no reviews again
    assert len(counts) == 1 and len(outcomes) == 1, (counts, outcomes)
    added, edu_missing, patient_missing = outcomes.pop()
    assert added == 2 * SUBMISSIONS - edu_missing - patient_missing
    return {
        "db_allocate_400_submissions_ms_median": _ms(statistics.median(times)),
        "db_allocate_400_submissions_sql_statements": counts.pop(),
        "db_allocate_400_reviews_added": added,
        "db_allocate_400_uncovered_educator": edu_missing,
        "db_allocate_400_uncovered_patient": patient_missing,
    }


# --- 3. the review report ---------------------------------------------------------------------

def _report_assignment(programme, educator, coteacher, version, rubrics, groups: int) -> int:
    cohort, assignment = _assignment(programme, educator.id, version, f"Report cohort {groups}")
    db.session.add(Membership(account=coteacher, cohort=cohort, role="patient_coteacher"))
    made = _groups_with_submissions(cohort, assignment, groups, LEARNERS_PER_GROUP,
                                    f"r{groups}")
    moment = now()
    for g, (_group, submission) in enumerate(made, start=1):
        for lens, reviewer, shift in (("educator", educator, g), ("patient", coteacher, 3 * g)):
            row, rubric = rubrics[lens]
            keys = [level.key for level in rubric.levels]
            ratings = {c.id: keys[(shift + i) % len(keys)]
                       for i, c in enumerate(rubric.criteria)}
            db.session.add(Review(submission_id=submission.id, reviewer_id=reviewer.id,
                                  lens=lens, rubric_version_id=row.id, ratings=ratings,
                                  comments={rubric.criteria[0].id: "Keep going."},
                                  answer="Thank you.", version=1, updated_at=moment,
                                  submitted_at=moment))
    db.session.flush()
    return assignment.id


def _report_figures(app) -> dict:
    with app.app_context():
        version = db.session.scalars(select(ModuleVersionRow).order_by(ModuleVersionRow.id)
                                     ).first()
        rubrics = {}
        for lens in operations.RUBRIC_OF:
            row = operations.latest_rubric(db.session, lens)
            assert row is not None, f"no {operations.RUBRIC_OF[lens]} after content load"
            rubrics[lens] = (row, row.content())
        programme = Programme(name="Report programme")
        educator = _educator(programme, "review")
        coteacher = _person("report-coteacher@example.org", "Coteacher")
        db.session.add_all([programme, coteacher])
        db.session.flush()
        ids = {groups: _report_assignment(programme, educator, coteacher, version, rubrics,
                                          groups)
               for groups in (20, REPORT_GROUPS)}
        db.session.commit()
    client = app.test_client()
    assert _sign_in(client, "educator-review@example.org").status_code == 302
    figures: dict = {}
    for groups, assignment_id in ids.items():
        path = f"/assignments/{assignment_id}/review-report"
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        page = response.get_data(as_text=True)
        assert page.count(f"{groups} / {groups}") == 4, "both lenses allocated and submitted"
        differ = page.count("<li>Group ")
        ms, sql = _measure(app, client, path, repeat=REPORT_REPEAT)
        prefix = f"review_report_{groups}_groups"
        figures[f"{prefix}_{groups * LEARNERS_PER_GROUP}_learners_ms_median"] = ms
        figures[f"{prefix}_sql_statements"] = sql
        figures[f"{prefix}_reviews"] = 2 * groups
        figures[f"{prefix}_perspectives_differ"] = differ
        figures[f"{prefix}_html_kib"] = round(len(page.encode()) / 1024, 1)
    return figures


def run() -> dict:
    figures = _pure_figures()
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp) / "review.sqlite", cheap=True)
        result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
        assert result.exit_code == 0, result.output
        with app.app_context():
            version = db.session.scalars(select(ModuleVersionRow)
                                         .order_by(ModuleVersionRow.id)).first()
            assignment_id = _allocation_assignment(version)
            db.session.commit()
        figures.update(_allocation_figures(app, assignment_id))
        figures.update(_report_figures(app))
        with app.app_context():
            db.engine.dispose()
    return figures
