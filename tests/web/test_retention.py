"""Retention: a dry run lists what is past its keeping time and changes nothing; the real run
removes exactly that."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bench.synthetic import build_programme
from tests.conftest import ROOT, csrf_from, sign_in
from webapp.clock import now
from webapp.extensions import db
from webapp.models import (
    Account,
    Cohort,
    FeedbackComment,
    Group,
    Membership,
    Programme,
    Review,
    SectionDraft,
    SectionRevision,
    Submission,
)
from webapp.models import CaseWork as Case


def _snapshot():
    """Per cohort: non-empty drafts and revisions, submissions with text, reviews, comments."""
    def per_cohort(query):
        return dict(db.session.execute(query.group_by(Group.cohort_id)).all())
    drafts = per_cohort(select(Group.cohort_id, func.count()).select_from(SectionDraft)
                        .join(Case, Case.id == SectionDraft.case_work_id)
                        .join(Group, Group.id == Case.group_id).where(SectionDraft.text != ""))
    revisions = per_cohort(select(Group.cohort_id, func.count()).select_from(SectionRevision)
                           .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
                           .join(Case, Case.id == SectionDraft.case_work_id)
                           .join(Group, Group.id == Case.group_id)
                           .where(SectionRevision.text != ""))
    submitted = {}
    for sub, cohort in db.session.execute(select(Submission, Group.cohort_id).join(
            Group, Group.id == Submission.group_id)):
        if any(p.get("text") for p in sub.sections.values()):
            submitted[cohort] = submitted.get(cohort, 0) + 1
    reviews = per_cohort(select(Group.cohort_id, func.count()).select_from(Review)
                         .join(Submission, Submission.id == Review.submission_id)
                         .join(Group, Group.id == Submission.group_id))
    comments = dict(db.session.execute(select(FeedbackComment.cohort_id, func.count())
                                       .group_by(FeedbackComment.cohort_id)).all())
    return {"drafts": drafts, "revisions": revisions, "submitted": submitted,
            "reviews": reviews, "comments": comments}


def test_dry_run_lists_and_keeps_then_the_run_removes_exactly_that(app):
    assert app.test_cli_runner().invoke(args=["content", "load", str(ROOT)]).exit_code == 0
    with app.app_context():
        ids = build_programme(db.session, learners=400, groups=40, answers=4_000,
                              reviews=600)
        programme = db.session.get(Programme, ids["programme_id"])
        programme.keep_case_text_days, programme.keep_reviews_days = 365, 30
        programme.keep_comments_days = 90
        old, recent, case_only = (db.session.get(Cohort, i) for i in ids["cohort_ids"][:3])
        # Closed two years ago: everything is due. Closed last week: nothing is.
        # Closed 60 days ago: reviews (30 days) are due, comments (90) and text (365) not.
        for cohort, days in ((old, 730), (recent, 7), (case_only, 60)):
            cohort.archived, cohort.archived_at = True, now() - timedelta(days=days)
        db.session.commit()
        # The generator writes no drafts or revisions; give one case of each cohort some.
        for cohort in (old, recent, case_only):
            case = db.session.scalar(select(Case).join(Group).where(
                Group.cohort_id == cohort.id).limit(1))
            draft = SectionDraft(case_work_id=case.id, section="situation",
                                 text="Written during the module.")
            db.session.add(draft)
            db.session.flush()
            db.session.add(SectionRevision(draft_id=draft.id, version=1, text=draft.text,
                                           role="student"))
        db.session.commit()
        before = _snapshot()
        ids_old, ids_60 = old.id, case_only.id
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    with app.app_context():
        assert _snapshot() == before, "a dry run removes nothing"
    old_line = next(line for line in dry.output.splitlines() if "/ Cohort 01" in line
                    or line.split("/ ")[-1].startswith(_name(app, ids_old)))
    assert f"{before['reviews'][ids_old]} reviews" in old_line
    assert f"{before['comments'][ids_old]} feedback comments" in old_line
    assert f"{before['submitted'][ids_old]} handed-in copies" in old_line
    assert "1 parts' current text" in old_line and "1 saved revisions" in old_line
    sixty = next(line for line in dry.output.splitlines()
                 if line.endswith(f"{before['reviews'][ids_60]} reviews")
                 and _name(app, ids_60) in line)
    assert "comments" not in sixty and "handed-in" not in sixty
    real = runner.invoke(args=["retention"])
    assert real.exit_code == 0, real.output
    with app.app_context():
        after = _snapshot()
        for table in after:
            for cohort, count in before[table].items():
                expected = 0 if cohort == ids_old or (table == "reviews" and cohort == ids_60) \
                    else count
                assert after[table].get(cohort, 0) == expected, (table, cohort)
    assert "Nothing is past" in runner.invoke(args=["retention", "--dry-run"]).output


def _name(app, cohort_id):
    with app.app_context():
        return db.session.get(Cohort, cohort_id).name


def test_retention_settings_are_checked_and_only_educators_change_them(app, world):
    educator = app.test_client()
    assert sign_in(educator, "educator@example.org").status_code == 302
    path = f"/programmes/{world.ids['P']}/retention"
    page = educator.get(path).get_data(as_text=True)
    bad = educator.post(path, data={"csrf_token": csrf_from(page), "keep_case_text_days": "-3",
                                    "keep_reviews_days": "abc"})
    assert bad.status_code == 400 and "whole number of days" in bad.get_data(as_text=True)
    ok = educator.post(path, data={"csrf_token": csrf_from(page), "keep_case_text_days": "365",
                                   "keep_reviews_days": "", "keep_comments_days": "90"})
    assert ok.status_code == 303
    with app.app_context():
        programme = db.session.get(Programme, world.ids["P"])
        assert (programme.keep_case_text_days, programme.keep_reviews_days,
                programme.keep_comments_days) == (365, None, 90)
    lead = app.test_client()
    assert sign_in(lead, "lead@example.org").status_code == 302
    lead_page = lead.get(path)
    assert lead_page.status_code == 200 and "disabled" in lead_page.get_data(as_text=True)
    refused = lead.post(path, data={"csrf_token": csrf_from(lead_page.get_data(as_text=True)),
                                    "keep_case_text_days": "1"})
    assert refused.status_code == 403
    student = app.test_client()
    assert sign_in(student, "student@example.org").status_code == 302
    assert student.get(path).status_code in (403, 404)
    with app.app_context():
        assert db.session.scalar(select(Membership.id).join(Account).where(
            Account.email_key == "student@example.org")) is not None
