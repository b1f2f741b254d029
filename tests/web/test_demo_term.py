"""The demo shows a lived-in term: a finished spring cohort whose module report has figures,
reviews in both lenses (one where the views differ), released feedback with a response,
screened comments, a "you said, we did" entry and confirmed hours; every demo login's home
has something to show; and running the demo again adds nothing."""

import importlib.util
import re
import shutil
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import ROOT, sign_in
from webapp.clock import now
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    AuditEvent,
    CaseWork,
    Cohort,
    ConfidenceAnswer,
    Contribution,
    FeedbackAnswer,
    FeedbackComment,
    FeedbackResponse,
    GroupMember,
    GroupResponse,
    KnowledgeCheckAttempt,
    Membership,
    ModuleVersionRow,
    Programme,
    Review,
    ReviewLogEntry,
    SectionDraft,
    SectionRevision,
    Submission,
)
from webapp.reports.figures import differ_counts

DEMO_PASSWORD = "coproduce-demo-2026"
SPRING = "Spring 2026 (demo)"
COUNTED = (Account, Membership, GroupMember, CaseWork, SectionRevision, Submission, Review,
           GroupResponse, FeedbackAnswer, FeedbackComment, ReviewLogEntry, Contribution,
           KnowledgeCheckAttempt, ConfidenceAnswer, AuditEvent)


def _demo(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load", str(ROOT)]).exit_code == 0
    printed = runner.invoke(args=["demo"])
    assert printed.exit_code == 0, printed.output
    return printed.output


def _client(app, email):
    client = app.test_client()
    assert sign_in(client, email, DEMO_PASSWORD).status_code == 302
    return client


def _counts():
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED]
    counts.append(db.session.scalar(select(func.count()).select_from(FeedbackResponse)))
    counts.append(tuple(db.session.execute(select(FeedbackComment.status, func.count())
                                           .group_by(FeedbackComment.status)
                                           .order_by(FeedbackComment.status))))
    return counts


def _spring():
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == SPRING))
    return cohort, db.session.scalar(select(Assignment).where(Assignment.cohort_id == cohort.id))


def test_running_the_demo_again_changes_nothing(app):
    printed = _demo(app)
    assert "spring.alva@example.org" in printed  # a learner of the finished term
    with app.app_context():
        counts = _counts()
    again = app.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert _counts() == counts


def test_the_demo_waits_for_the_course_before_making_the_earlier_term(app):
    runner = app.test_cli_runner()
    before = runner.invoke(args=["demo"])
    assert before.exit_code == 0 and "spring." not in before.output
    with app.app_context():
        assert db.session.scalar(select(Cohort.id).where(Cohort.name == SPRING)) is None
    _demo(app)
    with app.app_context():
        assert _spring()[1] is not None


def test_the_earlier_term_is_finished_in_the_past_with_both_voices_and_both_lenses(app):
    _demo(app)
    with app.app_context():
        cohort, assignment = _spring()
        moment = now()
        assert assignment.opens_at < moment - timedelta(days=200)
        assert assignment.due_at < assignment.review_due_at < moment
        assert assignment.feedback_released_at < moment
        cases = db.session.scalars(select(CaseWork).where(
            CaseWork.assignment_id == assignment.id)).all()
        assert len(cases) == 6 and all(c.submitted_at < assignment.due_at for c in cases)
        drafts = db.session.scalars(select(SectionDraft).where(
            SectionDraft.case_work_id.in_([c.id for c in cases]))).all()
        assert len(drafts) == 54
        assert all(d.written and d.student_voice and d.patient_voice for d in drafts)
        latest = db.session.scalar(select(func.max(SectionRevision.created_at)).where(
            SectionRevision.draft_id.in_([d.id for d in drafts])))
        assert latest < assignment.due_at
        reviews = db.session.scalars(select(Review).join(Submission).where(
            Submission.assignment_id == assignment.id)).all()
        assert sorted(r.lens for r in reviews) == ["educator"] * 6 + ["patient"] * 6
        assert all(r.submitted_at is not None for r in reviews)
        assert len({r.reviewer_id for r in reviews if r.lens == "patient"}) == 2
        rubrics = {r.rubric_version_id: r.rubric_version for r in reviews}
        assert differ_counts(db.session, cohort.programme_id, [assignment.module_version_id],
                             rubrics) == {(assignment.module_version_id, cohort.id): 1}
        assert db.session.scalar(select(func.count()).select_from(GroupResponse)) == 1
        hours = db.session.scalars(select(Contribution).where(
            Contribution.cohort_id == cohort.id)).all()
        assert hours and all(h.confirmed_at is not None and h.confirmed_at < moment
                             for h in hours)
        assert {h.account.display_name for h in hours} >= {"Cora Co-teacher",
                                                           "Anneli (demo patient partner)"}
        statuses = [c.status for c in db.session.scalars(select(FeedbackComment).where(
            FeedbackComment.cohort_id == cohort.id))]
        assert statuses.count("pending") == 1 and statuses.count("approved") >= 5


def test_the_lead_reads_figures_for_the_earlier_term_and_what_it_changed(app):
    _demo(app)
    with app.app_context():
        programme = db.session.scalar(select(Programme))
        version = _spring()[1].module_version_id
        newest = db.session.scalar(select(ModuleVersionRow.version).where(
            ModuleVersionRow.slug == "clinical-microsystems").order_by(
            ModuleVersionRow.id.desc()).limit(1))
    lead = _client(app, "lead@example.org")
    report = lead.get(f"/programmes/{programme.id}/reports/modules/{version}")
    text = report.get_data(as_text=True)
    assert report.status_code == 200 and SPRING in text
    # every section has figures, but the two co-teachers' own answers: too few to show
    coteachers = re.search(r'<section class="report-table" id="survey-coteacher-\d+".*?</section>',
                           text, re.S)
    assert coteachers and "hidden to protect small groups" in coteachers.group(0)
    assert "hidden to protect small groups" not in text.replace(coteachers.group(0), "")
    for table in ("Module feedback from students", "Module feedback from patient partners",
                  "Rubric levels, patient lens", "Confidence, then and now",
                  "Knowledge checks"):
        assert table in text
    assert "Let someone else go first." in text  # a screened comment
    assert "Eve Educator kept us" not in text  # the name was taken out when it was screened
    log = lead.get(f"/programmes/{programme.id}/review-log").get_data(as_text=True)
    assert "Now a student or the educator starts" in log and f"→ {newest}" in log


def _one_session_plan(folder):
    """A plan of one self-study session holding the whole module, as the check requires."""
    import tomllib

    module = tomllib.loads((folder / "module.toml").read_text())
    lessons = ", ".join(f'"{lesson["id"]}"' for lesson in module["lessons"])
    objectives = ", ".join(f'"{o["id"]}"' for o in module["objectives"])
    (folder / "plan.toml").write_text(
        f'weeks = 1\n\n[[sessions]]\nid = "all"\ntitle = "All of it"\nweek = 1\n'
        f'format = "self-study"\nminutes = 0\nstudent_minutes = {module["minutes"]}\n'
        f'educator_minutes = 0\npartner_minutes = 0\nwho = "Everyone."\n'
        f'objectives = [{objectives}]\nlessons = [{lessons}]\ncatch_up = "Later."\n')


def test_with_one_version_of_the_module_the_change_is_recorded_as_still_to_come(app,
                                                                             tmp_path):
    module = "content/clinical-microsystems/1.0.0"
    shutil.copytree(ROOT / module, tmp_path / module)
    shutil.copytree(ROOT / "assessments", tmp_path / "assessments")
    _one_session_plan(tmp_path / module)  # alone, 1.0.0 is the newest, which needs a plan
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load", str(tmp_path)]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        entry = db.session.scalar(select(ReviewLogEntry))
        assert entry.about.version == "1.0.0" and entry.carried_by is None
        programme_id = entry.programme_id
    log = _client(app, "lead@example.org").get(f"/programmes/{programme_id}/review-log")
    assert "Now a student or the educator starts" in log.get_data(as_text=True)


def test_every_demo_home_has_something_to_show(app):
    _demo(app)
    educator = _client(app, "educator@example.org").get("/").get_data(as_text=True)
    assert f"Screen 1 feedback comment from {SPRING}" in educator
    assert "Read the report for Clinical microsystems" in educator
    lead = _client(app, "lead@example.org").get("/").get_data(as_text=True)
    assert "1 of 1 cohort has reported" in lead
    coteacher = _client(app, "coteacher@example.org")
    assert SPRING in coteacher.get("/").get_data(as_text=True)
    reviews = coteacher.get("/reviews").get_data(as_text=True)
    assert reviews.count("Submitted") == 3
    spring = _client(app, "spring.alva@example.org").get("/").get_data(as_text=True)
    assert "Read the feedback on your case" in spring and "Lately in your group" in spring
    student = _client(app, "student.a@example.org").get("/").get_data(as_text=True)
    assert "Start the case for Services are coproduced" in student  # the current term


def test_make_screenshots_signs_in_with_printed_demo_logins(app):
    printed = _demo(app)
    spec = importlib.util.spec_from_file_location("screenshots",
                                                  ROOT / "scripts" / "screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.PASSWORD == DEMO_PASSWORD
    assert all(email in printed for email in script.ROLES.values())
    assert script.OUT == ROOT / "screenshots"
    assert "screenshots/" in (ROOT / ".gitignore").read_text().splitlines()
