"""A large synthetic programme for benchmarks of the curriculum-review reports.

``build_programme(session)`` fills a database that already holds the shipped course content
(``coproduce content load``: module, rubric and survey versions) with one programme:

- people: a lead and an educator for the programme (programme memberships; both can sign in
  with ``bench.foundation.PASSWORD``); 20 cohorts, each with its own cohort educator, 2 patient
  co-teachers and ``learners / 20`` learners in ``groups / 20`` groups. A group's learners are
  one fifth patient partners, the rest students: by default 100 learners a cohort in 10 groups
  of 8 students and 2 patient partners (2,000 learners, 200 groups).
- assignments: the first ``module_versions`` module versions by slug and version, editions
  in another language left out (8 by
  default; with the shipped content: clinical-microsystems 1.0.0-1.3.0,
  coproduction-in-jonkoping 1.0.0 and 1.1.0, learning-doing-sharing 1.0.0 and 1.1.0). Each
  cohort has one assignment per module slug (3 by default): the first half of the cohorts
  take the earliest version of a module, the second half the latest (clinical-microsystems
  1.3.0). Cohort c starts on 2024-01-08 + 46 c days and its assignments open 3 weeks apart (2
  weeks to the due date, 2 more to the review due date, feedback released then), so every
  date lies in 2024-2026 and a run chart over cohorts is also a run chart over time.
- anonymous module feedback: FeedbackResponse rows with ``rating`` answers of the shipped
  module-feedback survey (7 items for students, 6 for patient partners), term from the due
  date. Every learner answers for each assignment of the cohort with probability 0.8. An
  anonymous response carries no account, so to reach the ``answers`` asked for (200,000 by
  default, against about 33,000 from the learners) further responses are spread evenly over
  the same cohort x assignment cells (students and patient partners in the cohorts' ratio);
  the last one answers only the items still needed, so the total is exactly ``answers``
  (for a target below what the learners give, the response rate is lowered instead, and the
  total is then only close). Values 0-4 lean higher for later cohorts and later versions.
  Also 300 free-text comments ("keep"/"change"), mostly approved, some pending or rejected.
- case work and reviews: a CaseWork per group and assignment and its Submissions, each with
  an educator-lens review (the cohort educator, case-rubric) and a patient-lens review (one
  of the cohort's co-teachers, patient-review), every criterion rated, submitted. One round
  per case gives only 1,200 reviews (600 cases), so to reach ``reviews`` (20,000) the
  ``reviews / 2 - cases`` extra rounds are spread over the cases at random (about 17 rounds a
  case): every round but the last was reopened (``reopened_at`` 8 hours after submission,
  after its reviews), and CaseWork.round is the last round. Ratings improve with the round
  and the cohort.
- knowledge checks: for each student and each module version of the cohort, one attempt at
  every check item, a second one for most wrong answers and a few right ones (about 46,000
  rows); students are sampled if this could pass 250,000 rows.
- confidence, then and now: a ConfidenceAnswer for about 70% of students per assignment,
  0-10 pairs that usually rise.

``scale`` (default 1) makes a programme that many times larger in the same years: ``scale``
times the cohorts (started 46 / ``scale`` days apart), learners, groups, survey answers,
reviews and comments, and the cap on knowledge-check attempts; a cohort keeps its size. At
``scale=10``: 200 cohorts, 20,000 learners, 2,000,000 answers, 200,000 reviews (``bench.scale``).

Everything is drawn from ``random.Random(seed)``: the same arguments on the same content give
the same rows (apart from ``created_at`` defaults). Rows are written in the session's
transaction, with bulk INSERTs on SQLite and COPY on PostgreSQL; the caller commits.

Smoke run: ``python -m bench.synthetic [DATABASE_URL]`` (a temporary SQLite database unless a
URL of a throwaway database is given) loads the content, builds the programme, checks the
counts against the tables and prints them with the time taken.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import JSON, func, insert, select, text
from werkzeug.security import generate_password_hash

from bench.foundation import PASSWORD  # also sets a SECRET_KEY for the smoke run
from curriculum import template
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    Cohort,
    ConfidenceAnswer,
    FeedbackAnswer,
    FeedbackComment,
    FeedbackResponse,
    GroupMember,
    KnowledgeCheckAttempt,
    Membership,
    ModuleVersionRow,
    Programme,
    Review,
    RubricVersionRow,
    Submission,
    SurveyVersionRow,
)
from webapp.models import Group as StudyGroup
from webapp.reports.operations import items_for, term_of
from webapp.review.operations import RUBRIC_OF

COHORTS = 20
COTEACHERS = 2  # patient co-teachers per cohort
FIRST_START = datetime(2024, 1, 8, 9, 0)
COHORT_EVERY = timedelta(days=46)
ASSIGNMENT_EVERY = timedelta(days=21)
OPEN_FOR = timedelta(days=14)
REVIEW_FOR = timedelta(days=14)
ROUND_EVERY = timedelta(hours=12)
REOPEN_AFTER = timedelta(hours=8)
RESPONSE_RATE = 0.8
CONFIDENCE_RATE = 0.7
COMMENTS = 300
ATTEMPT_CAP = 250_000
RETURNING_SLICE = 500
HASH_METHOD = "scrypt:1024:8:1"  # cheap: only the benchmarks sign in with it
ITEM_SHIFT = (0.2, 0.0, -0.3, 0.1)  # some questions get lower answers than others
COMMENT_TEXTS = {
    "keep": ("The patient partner's story.", "Working through the case together.",
             "The short lessons.", "Hearing how the clinic changed."),
    "change": ("More time for the case.", "Fewer readings in week one.",
               "Clearer instructions for the review.", "Meet the co-teachers earlier."),
}


@dataclass
class _Content:
    versions: list[ModuleVersionRow]
    feedback: SurveyVersionRow
    confidence: SurveyVersionRow
    rubrics: dict[str, RubricVersionRow]
    checks: dict[int, tuple] = field(default_factory=dict)  # module version id -> check items


@dataclass
class _Group:
    students: list[int]
    partners: list[int]
    id: int = 0


@dataclass
class _Assignment:
    id: int
    cohort: int  # index 0 to cohorts - 1
    cohort_id: int
    version: ModuleVersionRow
    later: bool  # a later version of its module than the first one
    opens: datetime
    due: datetime
    review_due: datetime
    cohorts: int = COHORTS

    @property
    def skew(self) -> float:
        """0 for the first cohort on a first version, up to 1.3: answers lean higher."""
        return self.cohort / (self.cohorts - 1) + (0.3 if self.later else 0.0)


@dataclass
class _Cohort:
    index: int
    id: int
    educator_id: int
    coteacher_ids: list[int]
    groups: list[_Group] = field(default_factory=list)
    assignments: list[_Assignment] = field(default_factory=list)

    @property
    def students(self) -> list[int]:
        return [s for g in self.groups for s in g.students]

    @property
    def partners(self) -> list[int]:
        return [p for g in self.groups for p in g.partners]


@dataclass
class _Build:
    session: object
    rng: random.Random
    tag: str
    content: _Content
    scale: int = 1
    programme_id: int = 0
    lead_id: int = 0
    educator_id: int = 0
    cohorts: list[_Cohort] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def assignments(self) -> list[_Assignment]:
        return [a for c in self.cohorts for a in c.assignments]


def build_programme(session, *, learners=2000, groups=200, module_versions=8,
                    answers=200_000, reviews=20_000, scale=1, seed=20261126) -> dict:
    """Create the synthetic programme (see the module docstring) and return its ids and the
    number of rows written per table. ``scale`` multiplies the cohorts, ``learners``,
    ``groups``, ``answers``, ``reviews``, the comments and the cap on knowledge-check
    attempts. Writes in the session's transaction; does not commit."""
    if scale < 1 or groups % COHORTS or learners % groups or learners // groups < 2:
        raise ValueError(f"scale must be at least 1, groups a multiple of {COHORTS} and "
                         f"learners a multiple of groups with at least 2 learners a group")
    build = _Build(session, random.Random(seed), f"syn{seed}", _content(session, module_versions),
                   scale)
    _people(build, learners * scale, groups * scale)
    _assignments(build)
    _feedback(build, answers * scale)
    _comments(build)
    _casework(build, reviews * scale)
    _knowledge_checks(build)
    _confidence(build)
    return {"programme_id": build.programme_id, "lead_id": build.lead_id,
            "educator_id": build.educator_id, "cohort_ids": [c.id for c in build.cohorts],
            "module_version_ids": [v.id for v in build.content.versions],
            "assignment_ids": [a.id for a in build.assignments], "counts": build.counts}


# --- content and writing ----------------------------------------------------------------------

def _latest(session, model, slug: str):
    row = session.scalar(select(model).where(model.slug == slug).order_by(
        model.major.desc(), model.minor.desc(), model.patch.desc()).limit(1))
    if row is None:
        raise LookupError(f"no {slug} in the database: run `coproduce content load` first")
    return row


def _content(session, module_versions: int) -> _Content:
    # Editions in another language are left out: each version here is a pool of its own.
    versions = list(session.scalars(select(ModuleVersionRow)
                                    .where(ModuleVersionRow.edition_of_id.is_(None)).order_by(
        ModuleVersionRow.slug, ModuleVersionRow.major, ModuleVersionRow.minor,
        ModuleVersionRow.patch).limit(module_versions)))
    if len(versions) < module_versions:
        raise LookupError(f"{len(versions)} module versions loaded, {module_versions} wanted")
    content = _Content(versions, _latest(session, SurveyVersionRow, "module-feedback"),
                       _latest(session, SurveyVersionRow, "confidence"),
                       {lens: _latest(session, RubricVersionRow, slug)
                        for lens, slug in RUBRIC_OF.items()})
    content.checks = {v.id: v.content().checks for v in versions}
    return content


def _insert(build: _Build, model, rows: list[dict], ids: bool = False) -> list[int]:
    """Bulk INSERT ``rows`` (COPY on PostgreSQL); with ``ids``, the new primary keys in the
    order of ``rows``."""
    name = model.__tablename__
    build.counts[name] = build.counts.get(name, 0) + len(rows)
    if not rows:
        return []
    if build.session.get_bind().dialect.name == "postgresql":
        return _copy(build.session, model.__table__, rows, ids)
    statement = insert(model)
    if not ids:
        build.session.execute(statement, rows)
        return []
    # In slices: SQLAlchemy joins the RETURNING rows of its batches at a quadratic cost.
    statement = statement.returning(model.id, sort_by_parameter_order=True)
    return [new_id for start in range(0, len(rows), RETURNING_SLICE)
            for new_id in build.session.scalars(statement, rows[start:start + RETURNING_SLICE])]


def _copy(session, table, rows: list[dict], ids: bool) -> list[int]:
    """COPY ``rows`` into ``table`` on the session's connection (its transaction), with the
    Python-side defaults of the columns they leave out; with ``ids``, primary keys are taken
    from the table's sequence first, in order, as the INSERT would have."""
    from psycopg.types.json import Json

    new_ids: list[int] = []
    if ids:
        new_ids = sorted(session.scalars(text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": len(rows)}))
        rows = [dict(row, id=new_id) for row, new_id in zip(rows, new_ids, strict=True)]
    given = rows[0].keys()
    columns = [c for c in table.columns if c.name in given or (
        c.default is not None and not c.primary_key and (c.default.is_scalar
                                                         or c.default.is_callable))]
    fixed = {c.name: (c.default.arg(None) if c.default.is_callable else c.default.arg)
             for c in columns if c.name not in given}
    json = {c.name for c in columns if isinstance(c.type, JSON)}
    quote = session.get_bind().dialect.identifier_preparer.quote
    names = [c.name for c in columns]
    statement = (f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                 "FROM STDIN")
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [row[n] if n in row else fixed[n] for n in names]
            copy.write_row([Json(v) if n in json and v is not None else v
                            for n, v in zip(names, values, strict=True)])
    return new_ids


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _cohort_start(index: int, scale: int = 1) -> datetime:
    """A larger programme starts more cohorts in the same years."""
    return FIRST_START + index * COHORT_EVERY / scale


# --- people -----------------------------------------------------------------------------------

def _account(build: _Build, kind: str, n: int, password: bool = False) -> dict:
    email = f"{build.tag}-{kind}-{n}@example.org"
    return {"email": email, "email_key": email.lower(),
            "display_name": f"{kind.replace('-', ' ').capitalize()} {n}",
            "password_hash": generate_password_hash(PASSWORD, HASH_METHOD) if password else None}


def _people(build: _Build, learners: int, groups: int) -> None:
    cohorts = COHORTS * build.scale
    per_cohort, size = groups // cohorts, learners // groups
    partners = max(1, size // 5)
    accounts = [_account(build, "lead", 0, True), _account(build, "educator", 0, True)]
    for c in range(cohorts):
        accounts.append(_account(build, "cohort-educator", c))
        accounts += [_account(build, "coteacher", c * COTEACHERS + k) for k in range(COTEACHERS)]
        for g in range(c * per_cohort, (c + 1) * per_cohort):
            accounts += [_account(build, "partner" if m < partners else "student", g * size + m)
                         for m in range(size)]
    ids = iter(_insert(build, Account, accounts, ids=True))
    build.lead_id, build.educator_id = next(ids), next(ids)
    build.programme_id = _insert(build, Programme, [{"name": f"Synthetic programme {build.tag}"}],
                                 ids=True)[0]
    cohort_ids = _insert(build, Cohort, [
        {"programme_id": build.programme_id, "name": f"Cohort {c + 1:02d}",
         "created_at": _cohort_start(c, build.scale) - timedelta(days=30)}
        for c in range(cohorts)], ids=True)
    for c, cohort_id in enumerate(cohort_ids):
        cohort = _Cohort(c, cohort_id, next(ids), [next(ids) for _ in range(COTEACHERS)])
        for _ in range(per_cohort):
            members = [next(ids) for _ in range(size)]
            cohort.groups.append(_Group(students=members[partners:], partners=members[:partners]))
        build.cohorts.append(cohort)
    _groups(build)
    _memberships(build)


def _groups(build: _Build) -> None:
    rows = [{"cohort_id": cohort.id, "name": f"Group {g + 1:02d}"}
            for cohort in build.cohorts for g in range(len(cohort.groups))]
    ids = iter(_insert(build, StudyGroup, rows, ids=True))
    members = []
    for cohort in build.cohorts:
        for group in cohort.groups:
            group.id = next(ids)
            members += [{"group_id": group.id, "account_id": person}
                        for person in group.partners + group.students]
    _insert(build, GroupMember, members)


def _memberships(build: _Build) -> None:
    def row(account_id, role, programme_id=None, cohort_id=None):
        return {"account_id": account_id, "programme_id": programme_id, "cohort_id": cohort_id,
                "role": role}

    rows = [row(build.lead_id, "lead", programme_id=build.programme_id),
            row(build.educator_id, "educator", programme_id=build.programme_id)]
    for cohort in build.cohorts:
        rows.append(row(cohort.educator_id, "educator", cohort_id=cohort.id))
        rows += [row(p, "patient_coteacher", cohort_id=cohort.id) for p in cohort.coteacher_ids]
        rows += [row(p, "patient_partner", cohort_id=cohort.id) for p in cohort.partners]
        rows += [row(p, "student", cohort_id=cohort.id) for p in cohort.students]
    _insert(build, Membership, rows)


# --- assignments ------------------------------------------------------------------------------

def _assignments(build: _Build) -> None:
    by_slug: dict[str, list[ModuleVersionRow]] = {}
    for version in build.content.versions:  # in version order within a slug
        by_slug.setdefault(version.slug, []).append(version)
    rows, made = [], []
    cohorts = len(build.cohorts)
    for cohort in build.cohorts:
        first_half = cohort.index < cohorts // 2
        for k, slug in enumerate(sorted(by_slug)):
            version = by_slug[slug][0] if first_half else by_slug[slug][-1]
            opens = _cohort_start(cohort.index, build.scale) + k * ASSIGNMENT_EVERY
            a = _Assignment(0, cohort.index, cohort.id, version, version is not by_slug[slug][0],
                            opens, opens + OPEN_FOR, opens + OPEN_FOR + REVIEW_FOR, cohorts)
            rows.append({"cohort_id": cohort.id, "module_slug": slug,
                         "module_version_id": version.id, "opens_at": a.opens,
                         "due_at": a.due, "review_due_at": a.review_due,
                         "created_by_id": build.educator_id, "created_at": a.opens,
                         "feedback_released_at": a.review_due})
            made.append((cohort, a))
    for (cohort, a), new_id in zip(made, _insert(build, Assignment, rows, ids=True), strict=True):
        a.id = new_id
        cohort.assignments.append(a)


# --- anonymous module feedback ----------------------------------------------------------------

def _rating(rng: random.Random, a: _Assignment, k: int) -> int:
    mu = 2.2 + 0.8 * a.skew + ITEM_SHIFT[k % len(ITEM_SHIFT)]
    return min(4, max(0, round(rng.gauss(mu, 0.9))))


def _respond(build: _Build, a: _Assignment, respondent: str, items: list[str],
             responses: list[dict], values: list[dict]) -> None:
    rid = _hex(build.rng)
    responses.append({"id": rid, "module_version_id": a.version.id, "cohort_id": a.cohort_id,
                      "survey_version_id": build.content.feedback.id,
                      "respondent": respondent, "term": term_of(a.due)})
    values += [{"response_id": rid, "item": item, "value": _rating(build.rng, a, k),
                "module_version_id": a.version.id, "cohort_id": a.cohort_id,
                "respondent": respondent} for k, item in enumerate(items)]


def _feedback(build: _Build, answers: int) -> None:
    survey = build.content.feedback.content()
    items = {r: [i.id for i in items_for(survey, r) if i.kind == "rating"]
             for r in ("student", "patient")}
    cells = [(cohort, a) for cohort in build.cohorts for a in cohort.assignments]
    full = sum(len(items["student"]) * len(c.students) + len(items["patient"]) * len(c.partners)
               for c, _a in cells)
    rate = min(RESPONSE_RATE, answers / full) if full else 0.0
    responses: list[dict] = []
    values: list[dict] = []
    for cohort, a in cells:
        for respondent, people in (("student", cohort.students), ("patient", cohort.partners)):
            for _person in people:
                if build.rng.random() < rate:
                    _respond(build, a, respondent, items[respondent], responses, values)
    _top_up(build, cells, items, answers, responses, values)
    _insert(build, FeedbackResponse, responses)
    _insert(build, FeedbackAnswer, values)


def _top_up(build: _Build, cells: list, items: dict, answers: int, responses: list[dict],
            values: list[dict]) -> None:
    """Further anonymous responses, cell by cell in turn, until there are ``answers`` answers
    (the last response answers only the items still needed)."""
    students = sum(len(c.students) for c in build.cohorts)
    share = students / (students + sum(len(c.partners) for c in build.cohorts))
    turn = 0
    while len(values) < answers:
        _cohort, a = cells[turn % len(cells)]
        turn += 1
        respondent = "student" if build.rng.random() < share else "patient"
        wanted = items[respondent][: answers - len(values)]
        _respond(build, a, respondent, wanted, responses, values)


def _comments(build: _Build) -> None:
    rng, rows = build.rng, []
    for _ in range(COMMENTS * build.scale):
        a = rng.choice(build.assignments)
        item = rng.choice(sorted(COMMENT_TEXTS))
        status = rng.choices(("approved", "pending", "rejected"), (6, 3, 1))[0]
        rows.append({"id": _hex(rng), "module_version_id": a.version.id,
                     "cohort_id": a.cohort_id,
                     "respondent": "patient" if rng.random() < 0.2 else "student",
                     "term": term_of(a.due), "item": item,
                     "text": rng.choice(COMMENT_TEXTS[item]), "status": status,
                     "screened_by_id": None if status == "pending" else build.educator_id})
    _insert(build, FeedbackComment, rows)


# --- case work, submissions and reviews -------------------------------------------------------

def _rounds(rng: random.Random, cases: int, submissions: int) -> list[int]:
    """Rounds per case: one each, and the remaining submissions spread at random."""
    rounds = [1] * cases
    for _ in range(submissions - cases):
        rounds[rng.randrange(cases)] += 1
    return rounds


def _casework(build: _Build, reviews: int) -> None:
    rng = build.rng
    cases = [(cohort, g, group, a) for cohort in build.cohorts for a in cohort.assignments
             for g, group in enumerate(cohort.groups)]
    rounds = _rounds(rng, len(cases), max(len(cases), reviews // 2))
    firsts = [a.due - timedelta(hours=rng.randint(2, 72)) for *_rest, a in cases]
    works = [{"group_id": group.id, "assignment_id": a.id, "round": n,
              "started_at": a.opens + timedelta(days=1),
              "submitted_at": first + (n - 1) * ROUND_EVERY}
             for (_c, _g, group, a), n, first in zip(cases, rounds, firsts, strict=True)]
    work_ids = _insert(build, CaseWork, works, ids=True)
    submissions, made = [], []
    for (cohort, g, group, a), n, first, work_id in zip(cases, rounds, firsts, work_ids,
                                                        strict=True):
        for r in range(1, n + 1):
            at = first + (r - 1) * ROUND_EVERY
            reopened = at + REOPEN_AFTER if r < n else None
            submissions.append({"case_work_id": work_id, "assignment_id": a.id,
                                "group_id": group.id, "round": r, "submitted_at": at,
                                "reopened_at": reopened, "sections": _sections(g, r)})
            made.append((cohort, g, a, r, at, reopened))
    sub_ids = _insert(build, Submission, submissions, ids=True)
    _reviews(build, list(zip(sub_ids, made, strict=True)))


def _sections(g: int, r: int) -> dict:
    return {key: {"text": f"Group {g + 1}, round {r}: what we wrote about {key}."}
            for key in template.KEYS}


def _ratings(rng: random.Random, rubric, a: _Assignment, r: int) -> dict:
    keys = [level.key for level in rubric.levels]
    mu = 0.9 + 0.8 * a.skew + min(0.6, 0.1 * (r - 1))
    return {c.id: keys[min(len(keys) - 1, max(0, round(rng.gauss(mu + 0.15 * (i % 3 - 1), 0.8))))]
            for i, c in enumerate(rubric.criteria)}


def _reviews(build: _Build, submissions: list) -> None:
    rng = build.rng
    rubrics = {lens: (row.id, row.content()) for lens, row in build.content.rubrics.items()}
    rows = []
    for sub_id, (cohort, g, a, r, at, reopened) in submissions:
        for lens, (rubric_id, rubric) in rubrics.items():
            reviewer = (cohort.educator_id if lens == "educator"
                        else cohort.coteacher_ids[g % len(cohort.coteacher_ids)])
            done = at + timedelta(hours=rng.randint(2, 6) if reopened else rng.randint(6, 96))
            rows.append({"submission_id": sub_id, "reviewer_id": reviewer, "lens": lens,
                         "rubric_version_id": rubric_id,
                         "ratings": _ratings(rng, rubric, a, r), "comments": {},
                         "answer": "", "version": 1, "allocated_at": at + timedelta(hours=1),
                         "updated_at": done, "submitted_at": done})
    _insert(build, Review, rows)


# --- knowledge checks and confidence ----------------------------------------------------------

def _attempts(rng: random.Random, account_id: int, a: _Assignment, item) -> list[dict]:
    right = [i for i, option in enumerate(item.options) if option.correct]
    wrong = [i for i, option in enumerate(item.options) if not option.correct]
    outcomes = [rng.random() < 0.6 + 0.2 * min(1.0, a.skew)]
    if rng.random() < (0.1 if outcomes[0] else 0.7):
        outcomes.append(rng.random() < 0.9)
    at = a.opens + timedelta(minutes=rng.randint(60, int(OPEN_FOR.total_seconds()) // 60 - 60))
    rows = []
    for k, ok in enumerate(outcomes):
        index = rng.choice((right if ok else wrong) or right or wrong)
        rows.append({"account_id": account_id, "module_version_id": a.version.id,
                     "item_id": item.id, "option_index": index,
                     "correct": item.options[index].correct, "at": at + timedelta(minutes=3 * k)})
    return rows


def _knowledge_checks(build: _Build) -> None:
    checks = build.content.checks
    most = 2 * sum(len(c.students) * sum(len(checks[a.version.id]) for a in c.assignments)
                   for c in build.cohorts)
    share = min(1.0, ATTEMPT_CAP * build.scale / most) if most else 0.0
    rows: list[dict] = []
    for cohort in build.cohorts:
        for student in cohort.students:
            if share < 1.0 and build.rng.random() >= share:
                continue
            for a in cohort.assignments:
                for item in checks[a.version.id]:
                    rows += _attempts(build.rng, student, a, item)
    _insert(build, KnowledgeCheckAttempt, rows)


def _then_now(rng: random.Random, a: _Assignment) -> list[int]:
    then = rng.randint(1, 7)
    gain = rng.choices((-1, 0, 1, 2, 3, 4), (1, 3, 5, 5, 3, 1))[0]
    gain += rng.random() < 0.3 * a.skew
    return [then, min(10, max(0, then + gain))]


def _confidence(build: _Build) -> None:
    survey = build.content.confidence
    items = [i.id for i in survey.content().items if i.kind == "then_now"]
    rng, rows = build.rng, []
    for cohort in build.cohorts:
        for a in cohort.assignments:
            for student in cohort.students:
                if rng.random() < CONFIDENCE_RATE:
                    rows.append({"account_id": student, "assignment_id": a.id,
                                 "survey_version_id": survey.id,
                                 "answers": {item: _then_now(rng, a) for item in items},
                                 "created_at": a.due + timedelta(hours=rng.randint(1, 240))})
    _insert(build, ConfidenceAnswer, rows)


# --- smoke run --------------------------------------------------------------------------------

def _smoke(url: str | None) -> None:
    from bench.workspace import ROOT
    from webapp import create_app
    from webapp.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{Path(tmp) / 'synthetic.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False,
                          "TESTING": True, "PASSWORD_HASH_METHOD": HASH_METHOD})
        with app.app_context():
            db.create_all()
        result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
        assert result.exit_code == 0, result.output
        with app.app_context():
            start = time.perf_counter()
            ids = build_programme(db.session)
            db.session.commit()
            elapsed = time.perf_counter() - start
            for table in db.metadata.sorted_tables:
                if table.name in ids["counts"]:
                    found = db.session.scalar(select(func.count()).select_from(table))
                    assert found == ids["counts"][table.name], (table.name, found)
            print(f"database: {db.engine.dialect.name}")
            db.engine.dispose()
    for name, count in ids["counts"].items():
        print(f"  {name}: {count:,}")
    print(f"  cohorts: {len(ids['cohort_ids'])}, module versions: {ids['module_version_ids']}, "
          f"assignments: {len(ids['assignment_ids'])}")
    print(f"build_programme + commit: {elapsed:.1f} s")


if __name__ == "__main__":
    _smoke(sys.argv[1] if len(sys.argv) > 1 else None)
