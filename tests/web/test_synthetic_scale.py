"""The benchmarks' synthetic programme grows with its ``scale``: more cohorts in the same years,
and proportionally more people, answers and reviews (``python -m bench scale`` compares 1×
with 10×)."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.synthetic import build_programme
from tests.conftest import ROOT
from webapp.extensions import db
from webapp.models import Account, Assignment, Cohort, FeedbackAnswer, Review

TINY = {"learners": 40, "groups": 20, "module_versions": 2, "answers": 400, "reviews": 80}


def _count(model, ids) -> int:
    query = select(func.count()).select_from(model)
    if model is Cohort:
        query = query.where(Cohort.programme_id == ids["programme_id"])
    elif model is Account:
        query = query.where(Account.email.like(f"syn{ids['seed']}-%"))
    elif model is FeedbackAnswer:
        query = query.where(FeedbackAnswer.cohort_id.in_(ids["cohort_ids"]))
    elif model is Review:
        query = query.where(Review.reviewer_id.in_(select(Account.id).where(
            Account.email.like(f"syn{ids['seed']}-%"))))
    return db.session.scalar(query)


def test_a_programme_twice_the_scale_has_twice_the_rows_in_the_same_years(app):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        built = {}
        for scale, seed in ((1, 11), (2, 12)):
            built[scale] = build_programme(db.session, scale=scale, seed=seed, **TINY)
            built[scale]["seed"] = seed
        db.session.commit()
        counts = {scale: {model.__name__: _count(model, ids)
                          for model in (Cohort, Account, FeedbackAnswer, Review)}
                  for scale, ids in built.items()}
        assert counts[1] == {"Cohort": 20, "Account": 40 + 2 + 20 * 3,
                             "FeedbackAnswer": 400, "Review": 80}
        assert counts[2] == {"Cohort": 40, "Account": 80 + 2 + 40 * 3,
                             "FeedbackAnswer": 800, "Review": 160}
        for ids in built.values():
            first, last = db.session.execute(select(
                func.min(Assignment.opens_at), func.max(Assignment.opens_at)).where(
                Assignment.id.in_(ids["assignment_ids"]))).one()
            assert (first.year, last.year) == (2024, 2026)
