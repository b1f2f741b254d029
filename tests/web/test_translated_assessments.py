"""Rubrics and surveys in the reader's language: the same items, pooled by id whatever the
language they were answered in; a translation added to a published version loads beside it."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from tests.conftest import ROOT, csrf_from, patient_ratings, signed_in
from tests.web.test_reviews import _allocate, _review_of, submitted  # noqa: F401
from webapp.extensions import db
from webapp.models import Account, FeedbackAnswer, Review, SurveyVersionRow


def _speaks_swedish(app, email):
    with app.app_context():
        db.session.scalar(select(Account).where(Account.email == email)).language = "sv"
        db.session.commit()


def test_a_swedish_reader_answers_the_swedish_survey_and_the_answer_keeps_its_item(
        app, submitted):  # noqa: F811
    path = f"/assignments/{submitted.ids['A']}/module-feedback"
    _speaks_swedish(app, "partner@example.org")
    swedish = signed_in(app, "partner@example.org")
    page = swedish.get(path).get_data(as_text=True)
    assert "Jag blev bemött som en jämlik medlem i basgruppen." in page
    assert "I was treated as an equal member of the group." not in page
    assert "Instämmer helt" in page
    english = signed_in(app, "student@example.org")
    assert "The case felt real." in english.get(path).get_data(as_text=True)
    done = swedish.post(path, data={"csrf_token": csrf_from(page), "treated-as-equal": "4"})
    assert done.status_code == 200
    with app.app_context():
        answer = db.session.scalar(select(FeedbackAnswer))
        assert (answer.item, answer.value) == ("treated-as-equal", 4)


def test_a_swedish_co_teacher_reviews_with_the_swedish_rubric_and_ratings_keep_their_keys(
        app, submitted):  # noqa: F811
    _allocate(app, submitted)
    review = _review_of(app, "patient")
    _speaks_swedish(app, "coteacher@example.org")
    coteacher = signed_in(app, "coteacher@example.org")
    html = coteacher.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Personen framstår som en hel människa, inte bara som en diagnos" in html
    assert "Inte än" in html and "Till stor del" in html
    assert "The person comes across as a whole person" not in html
    answer = coteacher.post(f"/reviews/{review.id}", data=dict(
        patient_ratings("mostly"), csrf_token=csrf_from(html), version="0", submit="1",
        answer="Bra jobbat."))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(Review, review.id)
        assert stored.submitted_at is not None
        assert set(stored.ratings.values()) == {"mostly"}
    practice = coteacher.get("/reviews/practice/patient").get_data(as_text=True)
    assert "Inte än" in practice and "Maria" in practice


def test_a_translation_added_to_a_published_version_loads_beside_it(app, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "assessments", tree / "assessments")
    swedish = sorted((tree / "assessments").rglob("*.sv.toml"))
    assert len(swedish) == 4, "both rubrics and both surveys have Swedish text"
    kept = {path: path.read_text() for path in swedish}
    for path in swedish:
        path.unlink()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "load", str(tree)])
    assert first.exit_code == 0 and "with new or corrected translations" not in first.output
    for path, text in kept.items():
        path.write_text(text)
    second = runner.invoke(args=["content", "load", str(tree)])
    assert second.exit_code == 0, second.output
    assert "4 with new or corrected translations" in second.output
    assert "unchanged" in runner.invoke(args=["content", "load", str(tree)]).output
    with app.app_context():
        row = db.session.scalar(select(SurveyVersionRow).where(
            SurveyVersionRow.slug == "module-feedback", SurveyVersionRow.version == "1.1.0"))
        assert row.translated.startswith("sv:")
        assert row.content("sv").title == "Återkoppling på modulen"
        assert row.content("en").title != row.content("sv").title
    # The English of a published version still cannot change.
    english = tree / "assessments/surveys/module-feedback/1.1.0.toml"
    english.write_text(english.read_text().replace('title = "', 'title = "Changed ', 1))
    refused = runner.invoke(args=["content", "load", str(tree)])
    assert refused.exit_code == 1 and "content of 1.1.0 changed" in refused.output
