"""Kept pool decisions: the same as counting afresh, and never read after a change that could
alter them, whichever path made the change (the database raises the data version)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from bench.synthetic import build_programme
from curriculum import aggregate
from curriculum.aggregate import Cell
from tests.conftest import ROOT, signed_in, statements_for_page
from tests.web.test_reports import _answer, programme  # noqa: F401 (a fixture)
from webapp.casework import submission as casework_submission
from webapp.clock import now
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    CaseWork,
    Cohort,
    FeedbackComment,
    KnowledgeCheckAttempt,
    Membership,
    Programme,
    ReportDataVersion,
    ReportPool,
    Review,
    Submission,
    SurveyVersionRow,
)
from webapp.people import erasure
from webapp.reports import build, figures, pools
from webapp.reports.operations import screen


@pytest.fixture
def synthetic(app):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        ids = build_programme(db.session, learners=400, groups=40, answers=6_000,
                              reviews=600)
        db.session.commit()
        return ids


def _figures(app, programme_id, version_ids, k=5, cached=True):
    with app.app_context():
        found = figures.load(db.session, programme_id, version_ids, k, True, cached=cached)
        db.session.remove()
    return ([(name, getattr(found, name).cells, getattr(found, name).pooled)
             for name in pools.TABLES], found.differ)


def _data_version(app, mv):
    with app.app_context():
        return db.session.scalar(select(ReportDataVersion.version).where(
            ReportDataVersion.module_version_id == mv)) or 0


def _same_cached_and_fresh(app, programme_id, version_ids, k=5):
    """Decisions read back from the table equal counting afresh; returns them."""
    _figures(app, programme_id, version_ids, k)  # fills what is not kept
    with app.app_context():
        kept = db.session.scalar(select(func.count()).select_from(ReportPool).where(
            ReportPool.programme_id == programme_id, ReportPool.k == k))
    assert kept == len(set(version_ids))
    cached = _figures(app, programme_id, version_ids, k)
    assert cached == _figures(app, programme_id, version_ids, k, cached=False)
    return cached


def test_kept_decisions_are_the_decisions_counted_afresh(app, synthetic):
    versions = synthetic["module_version_ids"]
    for k in (5, 8):
        tables, _differ = _same_cached_and_fresh(app, synthetic["programme_id"], versions, k)
        hidden = [s for _name, cells, _pooled in tables for s in cells.values() if not s.shown]
        shown = [s for _name, cells, _pooled in tables for s in cells.values() if s.shown]
        assert hidden and shown  # the programme has suppressed cells, and shown ones


def test_cohort_page_reads_few_statements_whatever_the_cohorts(app, synthetic):
    with app.app_context():
        lead = db.session.get(Account, synthetic["lead_id"]).email
    client = signed_in(app, lead)
    first, last = (f"/cohorts/{synthetic['cohort_ids'][i]}/report" for i in (0, -1))
    filling = statements_for_page(app, client, first)
    client.get(last)  # cohorts 10-19 took other versions
    warm = [statements_for_page(app, client, path) for path in (first, last)]
    assert warm[0] == warm[1] <= 14 < filling  # 14 with the header's count of unread news


def _change_and_check(app, ids, mvs, change):
    """Fill the kept decisions, make ``change``, and check each raised module version reads
    decisions equal to counting afresh; returns (decisions before, after)."""
    before = _same_cached_and_fresh(app, ids["programme_id"], ids["module_version_ids"])
    versions = {mv: _data_version(app, mv) for mv in mvs}
    with app.app_context():
        change()
        db.session.commit()
    for mv, version in versions.items():
        assert _data_version(app, mv) > version, mv
    after = _same_cached_and_fresh(app, ids["programme_id"], ids["module_version_ids"])
    return before, after


def _pooled(decisions, table, mv, kind="student"):
    tables = dict((name, pooled) for name, _cells, pooled in decisions[0])
    return tables[table][(str(mv), kind)]


def _a_student_with_attempts(cohort_id):
    return db.session.execute(
        select(Membership.account_id, KnowledgeCheckAttempt.module_version_id)
        .join(KnowledgeCheckAttempt, KnowledgeCheckAttempt.account_id == Membership.account_id)
        .where(Membership.cohort_id == cohort_id, Membership.role == "student")
        .order_by(Membership.account_id).limit(1)).one()


def test_erasing_a_student_changes_the_knowledge_check_figures(app, synthetic):
    cohort = synthetic["cohort_ids"][-1]
    with app.app_context():
        student, mv = _a_student_with_attempts(cohort)

    def change():
        account = db.session.get(Account, student)
        erasure.erase(db.session, account, account)
    before, after = _change_and_check(app, synthetic, [mv], change)
    assert _pooled(after, "checks", mv).n == _pooled(before, "checks", mv).n - 1


def test_erasing_a_co_teacher_changes_who_the_patient_lens_ratings_come_from(app, synthetic):
    with app.app_context():
        reviewer, mv = db.session.execute(
            select(Review.reviewer_id, Assignment.module_version_id)
            .join(Submission, Submission.id == Review.submission_id)
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .where(Review.lens == "patient", Review.submitted_at.is_not(None))
            .order_by(Review.id).limit(1)).one()

    def change():  # submitted reviews stay, without the reviewer (a bulk UPDATE)
        account = db.session.get(Account, reviewer)
        erasure.erase(db.session, account, account)
    _change_and_check(app, synthetic, [mv], change)


def test_reopening_a_case_takes_its_reviews_out_of_the_rubric_figures(app, synthetic):
    with app.app_context():
        case_id, mv = db.session.execute(
            select(CaseWork.id, Assignment.module_version_id)
            .join(Submission, (Submission.case_work_id == CaseWork.id)
                  & (Submission.round == CaseWork.round))
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .where(CaseWork.submitted_at.is_not(None), Submission.reopened_at.is_(None))
            .order_by(CaseWork.id).limit(1)).one()

    def change():
        case = db.session.get(CaseWork, case_id)
        casework_submission.reopen(db.session, None, case)
    before, after = _change_and_check(app, synthetic, [mv], change)
    assert _pooled(after, "rubric", mv, "educator").n < _pooled(before, "rubric", mv,
                                                                "educator").n


def test_a_student_leaving_the_cohort_changes_the_knowledge_check_figures(app, synthetic):
    cohort = synthetic["cohort_ids"][0]
    with app.app_context():
        student, mv = _a_student_with_attempts(cohort)

    def change():
        db.session.execute(delete(Membership).where(Membership.account_id == student,
                                                    Membership.cohort_id == cohort))
    before, after = _change_and_check(app, synthetic, [mv], change)
    assert _pooled(after, "checks", mv).n == _pooled(before, "checks", mv).n - 1


def test_a_cohort_moving_to_another_programme_leaves_its_pools(app, synthetic):
    cohort = synthetic["cohort_ids"][0]
    with app.app_context():
        mvs = list(db.session.scalars(select(Assignment.module_version_id).where(
            Assignment.cohort_id == cohort)))

    def change():
        other = Programme(name="Another programme")
        db.session.add(other)
        db.session.flush()
        db.session.get(Cohort, cohort).programme_id = other.id
    before, after = _change_and_check(app, synthetic, mvs, change)
    assert _pooled(after, "survey", mvs[0]).n < _pooled(before, "survey", mvs[0]).n


def test_k_is_part_of_the_key(app, synthetic):
    versions = synthetic["module_version_ids"]
    at_5 = _same_cached_and_fresh(app, synthetic["programme_id"], versions, 5)
    at_20 = _same_cached_and_fresh(app, synthetic["programme_id"], versions, 20)
    assert at_5 != at_20


# --- through the pages: a new answer, a new cohort, a screened comment --------------------


def _page(app, path):
    return signed_in(app, "lead@example.org").get(path).get_data(as_text=True)


def test_a_new_answer_shows_in_the_pages_at_once(app, programme):  # noqa: F811
    twelve = f"/cohorts/{programme['Twelve']}/report"
    module = f"/programmes/{programme['P']}/reports/modules/{programme['v10']}"
    assert "this cohort, n = 11" in _page(app, twelve)
    assert "all cohorts pooled, n = 25" in _page(app, module)
    with app.app_context():
        survey = db.session.scalar(select(SurveyVersionRow.id).where(
            SurveyVersionRow.slug == "module-feedback"))
        _answer(programme["Twelve"], programme["v10"], "student", 3, survey)
        db.session.commit()
    assert "this cohort, n = 12" in _page(app, twelve)
    assert "all cohorts pooled, n = 26" in _page(app, module)


def test_a_cohort_taking_the_version_joins_its_pools(app, programme):  # noqa: F811
    module = f"/programmes/{programme['P']}/reports/modules/{programme['v10']}"
    assert "Cohort Joined" not in _page(app, module)
    with app.app_context():
        cohort = Cohort(programme_id=programme["P"], name="Cohort Joined")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(Assignment(cohort_id=cohort.id, module_slug="clinical-microsystems",
                                  module_version_id=programme["v10"], opens_at=now(),
                                  due_at=now(), review_due_at=now()))
        db.session.commit()
    html = _page(app, module)
    assert "Cohort Joined" in html


def test_a_screened_comment_shows_at_once(app, programme):  # noqa: F811
    twelve = f"/cohorts/{programme['Twelve']}/report"
    assert "Please add more examples" not in _page(app, twelve)
    with app.app_context():
        comment = FeedbackComment(module_version_id=programme["v10"],
                                  cohort_id=programme["Twelve"],
                                  respondent="student", term="2026-autumn", item="change",
                                  text="Please add more examples", status="pending")
        db.session.add(comment)
        db.session.commit()
        assert "Please add more examples" not in _page(app, twelve)
        lead = db.session.scalar(select(Account).where(Account.email == "lead@example.org"))
        screen(db.session, lead, db.session.get(FeedbackComment, comment.id), "approve", None)
        db.session.commit()
    assert "Please add more examples" in _page(app, twelve)


# --- what is stored is what was decided ----------------------------------------------------


_cells = st.lists(st.tuples(st.integers(1, 6), st.sampled_from(aggregate.RESPONDENT_TYPES),
                            st.integers(0, 30), st.integers(0, 4)),
                  max_size=14, unique_by=lambda c: c[:2])


@settings(max_examples=60, deadline=None)
@given(_cells, st.integers(5, 9))
def test_decisions_read_back_are_the_decisions_stored(cells, k):
    published = aggregate.publish(
        [Cell("7", str(cohort), kind, n, {"clear": {str(value): n}} if n else {})
         for cohort, kind, n, value in cells], k)
    kept = pools.Pools({name: published for name in pools.TABLES}, {3: 2})
    again = pools._load(7, k, pools._dump(kept))
    assert again.differ == {3: 2}
    for name in pools.TABLES:
        assert again.tables[name].cells == published.cells
        assert again.tables[name].pooled == published.pooled


def test_the_cohort_and_module_reports_agree_from_kept_decisions(app, programme):  # noqa: F811
    with app.app_context():
        version = db.session.get(build.ModuleVersionRow, programme["v10"])
        p = db.session.get(Programme, programme["P"])
        for _ in range(2):  # counted, then read back
            module = build.module_report(db.session, p, version, 5)
            rows = {row[0]: row[1] for s in module.sections for t in s.tables
                    if t.anchor.startswith("respondents") for row in t.rows}
            cohort, _contents = build.cohort_report(
                db.session, db.session.get(Cohort, programme["Twelve"]), 5)
            about = [t.about for s in cohort.sections for t in s.tables
                     if t.anchor == f"survey-student-{programme['v10']}"]
            assert about == [f"students, this cohort, n = {rows['Cohort Twelve'][0]}"]
            db.session.commit()
