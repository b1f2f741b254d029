"""Read models: level distributions, differing perspectives and coverage for educators and
leads; a co-teacher's own capacities."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from curriculum import scoring
from webapp.casework.visibility import CaseWords
from webapp.models import Cohort, Membership, Review, RubricVersionRow, Submission
from webapp.roles import PATIENT_COTEACHER


@dataclass
class Distribution:
    lens: str
    rubric: str  # "case-rubric 1.0.0"
    levels: list[str]
    #: criterion title → counts per level (same order as ``levels``)
    rows: list[tuple[str, list[int]]] = field(default_factory=list)


@dataclass
class Report:
    submissions: int = 0
    allocated: dict[str, int] = field(default_factory=dict)
    completed: dict[str, int] = field(default_factory=dict)
    distributions: list[Distribution] = field(default_factory=list)
    #: (group name, [themes]) where the two lenses point in opposite directions
    differ: list[tuple[str, list[str]]] = field(default_factory=list)
    #: the same, with both reviewers' account ids (never shown; used to invite them to talk)
    differ_reviewers: list[tuple[str, list[str], list[int]]] = field(default_factory=list)


def assignment_report(session, assignment) -> Report:
    """Submissions with their groups, what each holds back (a few queries for all), then one
    query for the reviews with their rubrics.

    Distributions are kept apart per rubric version, and patient-lens figures are never
    broken down per reviewer.
    """
    subs = session.scalars(
        select(Submission).options(joinedload(Submission.group))
        .where(Submission.assignment_id == assignment.id, Submission.reopened_at.is_(None))
        .order_by(Submission.id)).all()
    report = Report(submissions=len(subs))
    # parts held back from reviewers follow each patient partner's current choices
    words = CaseWords.for_cases(session, subs, "reviewer")
    info = {sub.id: (words[sub.case_work_id].withheld(sub), sub.group.name) for sub in subs}
    rows = session.execute(
        select(Review, RubricVersionRow)
        .join(RubricVersionRow, RubricVersionRow.id == Review.rubric_version_id)
        .where(Review.submission_id.in_(list(info) or [0]))
    ).all()
    rubrics, profiles, tallies, reviewers = {}, {}, {}, {}
    for review, row in rows:
        report.allocated[review.lens] = report.allocated.get(review.lens, 0) + 1
        if review.submitted_at is None:
            continue
        report.completed[review.lens] = report.completed.get(review.lens, 0) + 1
        if row.id not in rubrics:
            rubrics[row.id] = row.content()
        rubric = rubrics[row.id]
        withheld = info[review.submission_id][0]
        profile = scoring.score(rubric, review.ratings, withheld=withheld)
        profiles.setdefault(review.submission_id, {})[review.lens] = profile
        if review.reviewer_id is not None:
            reviewers.setdefault(review.submission_id, []).append(review.reviewer_id)
        tally = tallies.setdefault(row.id, {})
        for result in profile.results:
            if result.assessed:
                counts = tally.setdefault(result.criterion_id, [0] * len(rubric.levels))
                counts[result.position] += 1
    for rubric_id, tally in sorted(tallies.items()):
        rubric = rubrics[rubric_id]
        dist = Distribution(rubric.lens, f"{rubric.id} {rubric.version}",
                            [level.label for level in rubric.levels])
        for criterion in rubric.criteria:
            dist.rows.append((criterion.title, tally.get(criterion.id,
                                                         [0] * len(rubric.levels))))
        report.distributions.append(dist)
    for sub_id, lenses in profiles.items():
        themes = scoring.perspectives_differ(lenses.get("educator"), lenses.get("patient"))
        if themes:
            report.differ.append((info[sub_id][1], themes))
            report.differ_reviewers.append((info[sub_id][1], themes, reviewers[sub_id]))
    report.differ.sort()
    return report


def differing_pairs(session, assignment):
    """(group name, themes, reviewer ids) for submissions where the lenses differ."""
    return assignment_report(session, assignment).differ_reviewers


def my_capacities(session, account) -> list[tuple]:
    """(cohort, the person's reviewer row) for each open cohort they co-teach in."""
    from webapp.review.operations import reviewers

    cohorts = session.scalars(select(Cohort).join(Membership, Membership.cohort_id == Cohort.id)
                              .where(Membership.account_id == account.id,
                                     Membership.role == PATIENT_COTEACHER,
                                     Cohort.archived.is_(False)).order_by(Cohort.name)).all()
    out = []
    for cohort in cohorts:
        mine = next((r for r in reviewers(session, cohort)
                     if r.account_id == account.id and r.lens == "patient"), None)
        if mine is not None:
            out.append((cohort, mine))
    return out
