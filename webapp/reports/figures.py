"""The figures behind every curriculum-review report, counted by the database.

Each function issues one GROUP BY statement (two for knowledge checks) over a programme's
cohorts and a set of module versions, and returns ``aggregate.Cell``s; ``load`` gathers them
and lets ``curriculum.aggregate.publish`` decide, once, what may be shown. A cell's fate
depends only on the cells of its own pool (one module version × respondent type across the
programme's cohorts), so a module-version report and a cohort report that both show a pool
always agree.

Only the "perspectives differ" count is worked out in Python: it compares the two reviews of
each submission theme by theme, which is a comparison of pairs rather than a sum.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, and_, case, cast, func, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased

from curriculum import aggregate, scoring
from curriculum.aggregate import Cell, Publication
from webapp.models import (
    Assignment,
    Cohort,
    ConfidenceAnswer,
    FeedbackAnswer,
    FeedbackResponse,
    KnowledgeCheckAttempt,
    LogEntry,
    LogRevisit,
    Membership,
    ModuleVersionRow,
    Review,
    RubricVersionRow,
    Submission,
)
from webapp.reports import pools

#: Patient-lens ratings from fewer reviewers than this are never shown (one co-teacher's
#: ratings alone would be figures per reviewer).
MIN_REVIEWERS = {"patient": 2}


@dataclass(frozen=True)
class Taken:
    """One cohort taking one module version: the points of a run chart.

    ``module_version_id`` is the version whose pool the cohort's figures join (the version
    itself, or the one it is an edition of); ``edition_id`` the version the cohort took, and
    ``language`` the language it is written in.
    """

    cohort_id: int
    cohort: str
    module_version_id: int
    opens_at: datetime
    edition_id: int = 0
    language: str = "en"


@dataclass
class Figures:
    k: int
    versions: dict[int, ModuleVersionRow]
    taken: list[Taken]
    survey: Publication
    confidence: Publication
    checks: Publication
    rubric: Publication
    rubrics: dict[int, RubricVersionRow]
    #: (module version id, cohort id) → submissions whose two lenses differ on some theme
    differ: dict[tuple[int, int], int] = field(default_factory=dict)
    #: each module version asked about → the version whose pool holds its figures
    pool_of: dict[int, int] = field(default_factory=dict)
    #: the learning log: people who recorded, came back to and shared entries
    log: Publication | None = None


def _rows(session, statement):
    """Run a column-only select on the session's connection: plain rows, none of the ORM's
    object loading (these queries return counts, never entities)."""
    return session.connection().execute(statement)


def _key(module_version_id, cohort_id) -> tuple[str, str]:
    return str(module_version_id), str(cohort_id)


def _in_scope(programme_id: int, version_ids, mv_column, cohort_column):
    return and_(cohort_column == Cohort.id, Cohort.programme_id == programme_id,
                mv_column.in_(version_ids))


def survey_cells(session, programme_id, version_ids) -> list[Cell]:
    """Respondents per cell, and answers per cell, item and value (each answer carries its
    cell, so the second count reads one covering index)."""
    cols = (FeedbackResponse.module_version_id, FeedbackResponse.cohort_id,
            FeedbackResponse.respondent)
    counts = _rows(session,
        select(*cols, func.count())
        .join(Cohort, _in_scope(programme_id, version_ids, *cols[:2])).group_by(*cols)).all()
    answers: dict[tuple, dict] = defaultdict(lambda: defaultdict(dict))
    acols = (FeedbackAnswer.module_version_id, FeedbackAnswer.cohort_id,
             FeedbackAnswer.respondent, FeedbackAnswer.item, FeedbackAnswer.value)
    rows = _rows(session,
        select(*acols, func.count())
        .join(Cohort, _in_scope(programme_id, version_ids, *acols[:2])).group_by(*acols))
    for mv, cohort, respondent, item, value, n in rows:
        answers[(mv, cohort, respondent)][item][str(value)] = n
    return [Cell(*_key(mv, cohort), respondent, n,
                 {i: dict(o) for i, o in answers[(mv, cohort, respondent)].items()})
            for mv, cohort, respondent, n in counts]


def _unnest(session, column):
    """``column`` (a JSON object) as rows of (key, value): one pass over the stored JSON."""
    each = "json_each_text" if session.get_bind().dialect.name == "postgresql" else "json_each"
    return getattr(func, each)(column).table_valued("key", "value")


def _element(session, json_text, index: int):
    """Element ``index`` of a JSON array held as text, as an integer."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(cast(json_text, JSONB)[index].astext, Integer)
    return cast(func.json_extract(json_text, f"$[{index}]"), Integer)


def confidence_cells(session, programme_id, version_ids) -> list[Cell]:
    """Per item, the sums of the 'then' and 'now' answers (their means are published)."""
    cols = (Assignment.module_version_id, Assignment.cohort_id)
    base = (select().select_from(ConfidenceAnswer)
            .join(Assignment, Assignment.id == ConfidenceAnswer.assignment_id)
            .join(Cohort, _in_scope(programme_id, version_ids, *cols)))
    people = _rows(session, base.add_columns(*cols, func.count()).group_by(*cols)).all()
    pairs = _unnest(session, ConfidenceAnswer.answers)
    then, now_ = _element(session, pairs.c.value, 0), _element(session, pairs.c.value, 1)
    sums: dict[tuple, dict] = defaultdict(dict)
    for mv, cohort, item, then_total, now_total, answered in _rows(session, base.add_columns(
            *cols, pairs.c.key, func.sum(then), func.sum(now_), func.count())
            .join(pairs, true()).group_by(*cols, pairs.c.key)):
        sums[(mv, cohort)][item] = {"then": then_total, "now": now_total, "answered": answered}
    return [Cell(*_key(mv, cohort), "student", n, sums[(mv, cohort)])
            for mv, cohort, n in people]


def check_cells(session, programme_id, version_ids) -> list[Cell]:
    """Students' first tries at each knowledge check, per cohort that took the version.

    Read from the cohorts outwards (assignment, the cohort's students, their attempts), so
    only this programme's attempts are touched; a first try is one with no earlier attempt
    at the same item, found in the (version, account, item, id) index.
    """
    attempt, earlier = KnowledgeCheckAttempt, aliased(KnowledgeCheckAttempt)
    cols = (Assignment.module_version_id, Assignment.cohort_id)
    base = (select().select_from(Cohort)
            .join(Assignment, _in_scope(programme_id, version_ids, *cols))
            .join(Membership, and_(Membership.cohort_id == Assignment.cohort_id,
                                   Membership.role == "student"))
            .join(attempt, and_(attempt.module_version_id == Assignment.module_version_id,
                                attempt.account_id == Membership.account_id)))
    people = _rows(session, base.add_columns(*cols, func.count(attempt.account_id.distinct()))
                             .group_by(*cols)).all()
    first = ~select(earlier.id).where(
        earlier.module_version_id == attempt.module_version_id,
        earlier.account_id == attempt.account_id, earlier.item_id == attempt.item_id,
        earlier.id < attempt.id).exists()
    tries: dict[tuple, dict] = defaultdict(lambda: defaultdict(dict))
    for mv, cohort, item, correct, n in _rows(session,
            base.add_columns(*cols, attempt.item_id, attempt.correct, func.count())
            .where(first).group_by(*cols, attempt.item_id, attempt.correct)):
        tries[(mv, cohort)][item]["right" if correct else "wrong"] = n
    return [Cell(*_key(mv, cohort), "student", n,
                 {i: dict(o) for i, o in tries[(mv, cohort)].items()})
            for mv, cohort, n in people]


def log_cells(session, programme_id, version_ids) -> list[Cell]:
    """The learning log per cohort and respondent type: the people who wrote entries about the
    cohort's assignment of a version (the cell's n), and of them those who came back to one
    and those who shared one; and how many "What happened?" entries carry out a plan. Counts
    only: no entry's words, and no figure per person."""
    kind = case((Membership.role == "student", "student"), else_="patient")
    came_back = select(LogRevisit.id).where(LogRevisit.entry_id == LogEntry.id).exists()
    shared = LogEntry.shared_with.is_not(None) | LogEntry.sent_back_at.is_not(None)
    cols = (Assignment.module_version_id, Assignment.cohort_id)
    rows = _rows(session, select(
        *cols, kind, func.count(LogEntry.account_id.distinct()),
        func.count(case((came_back, LogEntry.account_id)).distinct()),
        func.count(case((shared, LogEntry.account_id)).distinct()),
        func.count(case((and_(LogEntry.stage == "what_happened",
                              LogEntry.follows_id.is_not(None)), LogEntry.id)).distinct()))
        .select_from(LogEntry)
        .join(Assignment, Assignment.id == LogEntry.assignment_id)
        .join(Cohort, _in_scope(programme_id, version_ids, *cols))
        .join(Membership, and_(Membership.account_id == LogEntry.account_id,
                               Membership.cohort_id == Assignment.cohort_id,
                               Membership.role.in_(("student", "patient_partner",
                                                    "patient_coteacher"))))
        .group_by(*cols, kind))
    return [Cell(*_key(mv, cohort), who, n, {"log": {
        "revisited": revisited, "shared": shared_n, "carried_out": int(carried or 0)}})
        for mv, cohort, who, n, revisited, shared_n, carried in rows]


def _review_scope(programme_id, version_ids):
    cols = (Assignment.module_version_id, Assignment.cohort_id, Review.lens)
    base = (select().select_from(Review)
            .join(Submission, and_(Submission.id == Review.submission_id,
                                   Submission.reopened_at.is_(None)))
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .join(Cohort, _in_scope(programme_id, version_ids, *cols[:2]))
            .where(Review.submitted_at.is_not(None)))
    return cols, base


def rubric_cells(session, programme_id, version_ids) -> list[Cell]:
    """Rubric levels per lens: how many reviews rated each criterion at each level, and the
    reviewers behind each cell (counted, never named or shown)."""
    cols, base = _review_scope(programme_id, version_ids)
    people: dict[tuple, list] = defaultdict(lambda: [0, set()])
    for mv, cohort, lens, reviewer, n in _rows(session,
            base.add_columns(*cols, Review.reviewer_id, func.count())
            .group_by(*cols, Review.reviewer_id)):
        people[(mv, cohort, lens)][0] += n
        people[(mv, cohort, lens)][1].add(reviewer if reviewer is not None else f"x{mv}")
    # One pass over the reviews: the stored ratings, unnested as (criterion, level) pairs.
    pairs = _unnest(session, Review.ratings)
    levels: dict[tuple, dict] = defaultdict(lambda: defaultdict(dict))
    for mv, cohort, lens, rubric_id, criterion, level, n in _rows(session,
            base.add_columns(*cols, Review.rubric_version_id, pairs.c.key, pairs.c.value,
                             func.count())
            .join(pairs, true()).group_by(*cols, Review.rubric_version_id, pairs.c.key,
                                          pairs.c.value)):
        levels[(mv, cohort, lens)][f"{rubric_id}/{criterion}"][level] = n
    return [Cell(*_key(*key[:2]), key[2], n, {c: dict(o) for c, o in levels[key].items()},
                 frozenset(who)) for key, (n, who) in people.items()]


def differ_counts(session, programme_id, version_ids, rubrics) -> dict[tuple[int, int], int]:
    """Submissions whose two reviews point in opposite directions on some theme."""
    cols, base = _review_scope(programme_id, version_ids)
    bands: dict[int, dict] = defaultdict(dict)
    where: dict[int, tuple[int, int]] = {}
    banders = {row_id: scoring.Bands(row.content()) for row_id, row in rubrics.items()}
    for mv, cohort, lens, submission_id, rubric_id, ratings in _rows(session,
            base.add_columns(*cols, Review.submission_id, Review.rubric_version_id,
                             Review.ratings)):
        bands[submission_id][lens] = banders[rubric_id].of(ratings or {})
        where[submission_id] = (mv, cohort)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for submission_id, lenses in bands.items():
        if len(lenses) == 2 and scoring.bands_differ(lenses["educator"], lenses["patient"]):
            counts[where[submission_id]] += 1
    return dict(counts)


def family(session, version_ids) -> dict[int, ModuleVersionRow]:
    """These module versions and every other version in their pools (the version each is an
    edition of, and that version's other editions), by id: one statement."""
    pool = func.coalesce(ModuleVersionRow.edition_of_id, ModuleVersionRow.id)
    asked = select(pool).where(ModuleVersionRow.id.in_(version_ids)).scalar_subquery()
    return {row.id: row for row in session.scalars(
        select(ModuleVersionRow).where(pool.in_(asked)))}


def taken(session, programme_id, version_ids, pool_of=None) -> list[Taken]:
    """The cohorts that took these module versions (and their editions, when ``pool_of``
    maps them), oldest first."""
    pool_of = pool_of or {mv: mv for mv in version_ids}
    rows = _rows(session,
        select(Assignment.cohort_id, Cohort.name, Assignment.module_version_id,
               Assignment.opens_at, ModuleVersionRow.language)
        .join(Cohort, _in_scope(programme_id, list(pool_of), Assignment.module_version_id,
                                Assignment.cohort_id))
        .join(ModuleVersionRow, ModuleVersionRow.id == Assignment.module_version_id)
        .order_by(Assignment.opens_at, Cohort.name))
    wanted = {pool_of[mv] for mv in version_ids}
    return [Taken(cohort_id, name, pool_of[mv], opens_at, mv, language)
            for cohort_id, name, mv, opens_at, language in rows if pool_of[mv] in wanted]


def _pooled(cells: list[Cell], pool_of: dict[int, int]) -> list[Cell]:
    """The cells of editions moved into the pool of the version they are editions of; a
    cohort that took two editions of the same version counts once per person answer."""
    merged: dict[tuple, Cell] = {}
    for cell in cells:
        pool = str(pool_of.get(int(cell.module_version), int(cell.module_version)))
        key = (pool, cell.cohort, cell.respondent)
        seen = merged.get(key)
        if seen is None:
            merged[key] = Cell(pool, cell.cohort, cell.respondent, cell.n, cell.answers,
                               cell.sources)
            continue
        answers = {item: dict(options) for item, options in seen.answers.items()}
        for item, options in cell.answers.items():
            for option, n in options.items():
                answers.setdefault(item, {})
                answers[item][option] = answers[item].get(option, 0) + n
        merged[key] = Cell(pool, cell.cohort, cell.respondent, seen.n + cell.n, answers,
                           seen.sources | cell.sources)
    return list(merged.values())


def with_every_cohort(cells: list[Cell], took: list[Taken],
                      kinds: tuple[str, ...] = aggregate.RESPONDENT_TYPES,
                      version_ids=None) -> list[Cell]:
    """Add a cell of 0 for each cohort that took a version but has no answers of a kind.

    Such a cohort is hidden like any small one: a published 0 would tell a reader that the
    hidden cells beside it hold the whole of what is left, and a different reason ("nobody
    has answered yet") would tell them which hidden cells are empty.
    """
    present = {cell.key for cell in cells}
    zeros = [Cell(*_key(t.module_version_id, t.cohort_id), kind, 0)
             for t in took for kind in kinds
             if (version_ids is None or t.module_version_id in version_ids)
             and (*_key(t.module_version_id, t.cohort_id), kind) not in present]
    return cells + zeros


def count(session, programme_id: int, version_ids: list[int], k: int,
          took: list[Taken], rubrics: dict[int, RubricVersionRow],
          pool_of: dict[int, int] | None = None) -> dict[int, pools.Pools]:
    """Count and decide these module versions' pools afresh (one statement per table for all
    of them), as ``pools.Pools`` per module version. ``pool_of`` maps editions in another
    language to these versions: their cohorts' figures join the same pools."""
    pool_of = pool_of or {mv: mv for mv in version_ids}
    members = [mv for mv, pool in pool_of.items() if pool in set(version_ids)]

    def cells(count_cells):
        return _pooled(count_cells(session, programme_id, members), pool_of)
    published = {
        "survey": aggregate.publish(with_every_cohort(cells(survey_cells), took), k),
        "confidence": aggregate.publish(with_every_cohort(
            cells(confidence_cells), took, ("student",)), k),
        "checks": aggregate.publish(with_every_cohort(
            cells(check_cells), took, ("student",)), k),
        "rubric": aggregate.publish(with_every_cohort(
            cells(rubric_cells), took, aggregate.LENS_TYPES),
            k, types=aggregate.LENS_TYPES, min_sources=MIN_REVIEWERS),
        "log": aggregate.publish(with_every_cohort(cells(log_cells), took), k)}
    parts = {name: pools.split(pub, version_ids) for name, pub in published.items()}
    result = {mv: pools.Pools({name: parts[name][mv] for name in pools.TABLES})
              for mv in version_ids}
    for (mv, cohort), n in differ_counts(session, programme_id, members, rubrics).items():
        differ = result[pool_of.get(mv, mv)].differ
        differ[cohort] = differ.get(cohort, 0) + n
    return result


def _merged(parts, k: int) -> Publication:
    whole = Publication(k)
    for part in parts:
        whole.cells.update(part.cells)
        whole.pooled.update(part.pooled)
    return whole


def load(session, programme_id: int, version_ids: list[int], k: int, confidence=None,
         *, cached: bool = True) -> Figures:
    """The tables for these module versions in this programme, published under ``k``.

    The decisions come from ``pools`` (kept per data version; ``cached=False`` counts them
    afresh without reading or storing any). ``confidence`` is the confidence survey whose
    items are summed (none: no confidence figures).
    """
    asked = sorted(set(version_ids))
    versions = family(session, asked) if asked else {}
    pool_of = {mv: row.pool_id for mv, row in versions.items()}
    version_ids = sorted({pool_of[mv] for mv in asked})
    rubrics = {row.id: row for row in session.scalars(select(RubricVersionRow))}
    took = taken(session, programme_id, asked, pool_of)

    def fresh(session, ids):
        return count(session, programme_id, ids, k,
                     [t for t in took if t.module_version_id in ids], rubrics, pool_of)
    if not version_ids:
        found = {}
    elif cached:
        found = pools.decisions(session, programme_id, version_ids, k, fresh)
    else:
        found = fresh(session, version_ids)
    tables = {name: _merged([found[mv].tables[name] for mv in version_ids], k)
              for name in pools.TABLES}
    return Figures(
        k=k, versions=versions, taken=took, survey=tables["survey"],
        confidence=tables["confidence"] if confidence else Publication(k),
        checks=tables["checks"], rubric=tables["rubric"], rubrics=rubrics,
        differ={(mv, cohort): n for mv in version_ids for cohort, n in found[mv].differ.items()},
        pool_of=pool_of, log=tables["log"])
