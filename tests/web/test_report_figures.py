"""The database's GROUP BY figures agree with counting the stored rows one by one."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from sqlalchemy import select

from bench.synthetic import build_programme
from curriculum import scoring
from tests.conftest import ROOT
from webapp.extensions import db
from webapp.models import (
    Assignment,
    ConfidenceAnswer,
    FeedbackAnswer,
    FeedbackResponse,
    KnowledgeCheckAttempt,
    Membership,
    Review,
    RubricVersionRow,
    Submission,
    SurveyVersionRow,
)
from webapp.reports import figures


@pytest.fixture
def synthetic(app):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        ids = build_programme(db.session, learners=400, groups=40, answers=8_000,
                              reviews=700)
        db.session.commit()
        return ids


def _cohort_of(assignment_id):
    row = db.session.get(Assignment, assignment_id)
    return row.module_version_id, row.cohort_id


def test_every_figure_matches_a_count_of_the_rows(app, synthetic):
    with app.app_context():
        versions = synthetic["module_version_ids"]
        confidence = db.session.scalar(select(SurveyVersionRow).where(
            SurveyVersionRow.slug == "confidence")).content()
        found = figures.load(db.session, synthetic["programme_id"], versions, 5, confidence)
        # Module feedback: respondents and answers per cell.
        expected_n = Counter((r.module_version_id, r.cohort_id, r.respondent)
                             for r in db.session.scalars(select(FeedbackResponse)))
        expected_answers = defaultdict(Counter)
        for answer, response in db.session.execute(
                select(FeedbackAnswer, FeedbackResponse).join(
                    FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)):
            key = (response.module_version_id, response.cohort_id, response.respondent)
            expected_answers[key][(answer.item, str(answer.value))] += 1
        shown = 0
        for (mv, cohort, respondent), n in expected_n.items():
            cell = found.survey.cells[(str(mv), str(cohort), respondent)]
            if cell.shown:
                shown += 1
                assert cell.n == n
                assert Counter({(i, v): c for i, opts in cell.answers.items()
                                for v, c in opts.items()}) == expected_answers[
                    (mv, cohort, respondent)]
        assert shown > 10
        # Confidence: sums of then and now per item.
        sums = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
        for row in db.session.scalars(select(ConfidenceAnswer)):
            key = _cohort_of(row.assignment_id)
            for item, (then, now_) in row.answers.items():
                sums[key][item][0] += then
                sums[key][item][1] += now_
                sums[key][item][2] += 1
        for (mv, cohort), items in sums.items():
            cell = found.confidence.cells[(str(mv), str(cohort), "student")]
            if cell.shown:
                for item, (then, now_, answered) in items.items():
                    assert cell.answers[item] == {"then": then, "now": now_,
                                                  "answered": answered}
        # Knowledge checks: each student's first try per item, per cohort.
        first = {}
        for attempt in db.session.scalars(select(KnowledgeCheckAttempt)
                                          .order_by(KnowledgeCheckAttempt.id)):
            first.setdefault((attempt.account_id, attempt.module_version_id, attempt.item_id),
                             attempt.correct)
        cohort_of = {account: cohort for account, cohort in db.session.execute(
            select(Membership.account_id, Membership.cohort_id).where(
                Membership.role == "student"))}
        tries = defaultdict(Counter)
        for (account, mv, item), correct in first.items():
            tries[(mv, cohort_of[account])][(item, "right" if correct else "wrong")] += 1
        for (mv, cohort), counts in tries.items():
            cell = found.checks.cells[(str(mv), str(cohort), "student")]
            if cell.shown:
                assert Counter({(i, v): c for i, opts in cell.answers.items()
                                for v, c in opts.items()}) == counts
        # Rubric levels per lens, current (not reopened) submitted reviews only.
        levels, pairs = defaultdict(Counter), defaultdict(dict)
        rubrics = {r.id: r.content() for r in db.session.scalars(select(RubricVersionRow))}
        for review, submission in db.session.execute(
                select(Review, Submission).join(Submission).where(
                    Submission.reopened_at.is_(None), Review.submitted_at.is_not(None))):
            mv, cohort = _cohort_of(submission.assignment_id)
            for criterion, level in review.ratings.items():
                levels[(mv, cohort, review.lens)][
                    (f"{review.rubric_version_id}/{criterion}", level)] += 1
            pairs[(mv, cohort, submission.id)][review.lens] = scoring.stored_profile(
                rubrics[review.rubric_version_id], review.ratings)
        assert levels
        for (mv, cohort, lens), counts in levels.items():
            cell = found.rubric.cells[(str(mv), str(cohort), lens)]
            if cell.shown:
                assert Counter({(c, lv): n for c, opts in cell.answers.items()
                                for lv, n in opts.items()}) == counts
        differ = Counter((mv, cohort) for (mv, cohort, _s), lenses in pairs.items()
                         if len(lenses) == 2 and scoring.perspectives_differ(
                             lenses["educator"], lenses["patient"]))
        assert found.differ == dict(differ)
