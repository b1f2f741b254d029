"""The demo shows a lived-in term: a finished spring cohort whose report has figures, reviews
in both lenses (one where the views differ), released feedback with a response, screened
comments, a "you said, we did" entry and confirmed hours; and running it again adds nothing."""

from sqlalchemy import func, select

from tests.conftest import ROOT, sign_in
from webapp.extensions import db
from webapp.models import (
    Account,
    Contribution,
    FeedbackComment,
    GroupResponse,
    ModuleVersionRow,
    Programme,
    Review,
    ReviewLogEntry,
    Submission,
)

DEMO_PASSWORD = "coproduce-demo-2026"


def _client(app, email):
    client = app.test_client()
    assert sign_in(client, email, DEMO_PASSWORD).status_code == 302
    return client


def _counts():
    return tuple(db.session.scalar(select(func.count(model.id))) for model in (
        Account, Submission, Review, GroupResponse, ReviewLogEntry, Contribution))


def test_the_demo_has_a_finished_term_and_is_safe_to_run_again(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load", str(ROOT)]).exit_code == 0
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        counts = _counts()
        assert counts[1] == 6 and counts[2] == 12 and counts[3] == 1 and counts[4] == 1
        assert db.session.scalar(select(func.count(Contribution.id)).where(
            Contribution.confirmed_at.is_not(None))) == 13
        statuses = set(db.session.scalars(select(FeedbackComment.status)))
        assert {"approved", "pending"} <= statuses
        programme = db.session.scalar(select(Programme))
        version = db.session.scalar(select(ModuleVersionRow.id).where(
            ModuleVersionRow.slug == "clinical-microsystems", ModuleVersionRow.version == "1.0.0"))
        assert programme.contact is not None
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        assert _counts() == counts

    lead = _client(app, "lead@example.org")
    report = lead.get(f"/programmes/{programme.id}/reports/modules/{version}")
    text = report.get_data(as_text=True)
    assert report.status_code == 200
    assert "Spring 2026 (demo)" in text and "perspectives" in text.lower()
    assert "hidden" not in text.split("Reviews")[1][:2000].lower() if "Reviews" in text else True
    home = lead.get("/").get_data(as_text=True)
    assert "Report: Clinical microsystems" in home or "clinical" in home.lower()
    coteacher = _client(app, "coteacher@example.org").get("/").get_data(
        as_text=True)
    assert "Spring 2026 (demo)" in coteacher
    log = lead.get(f"/programmes/{programme.id}/review-log").get_data(as_text=True)
    assert "Now a student or the educator starts" in log and "1.2.0" in log
