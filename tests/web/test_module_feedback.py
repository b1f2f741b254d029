"""Anonymous module feedback: answered once, stored without the person, text screened first."""

import re

from sqlalchemy import inspect, select

from tests.conftest import ROOT, csrf_from, signed_in
from webapp.extensions import db
from webapp.models import FeedbackAnswer, FeedbackComment, FeedbackResponse, ResponseMarker


def _load(app):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output


def test_answers_are_anonymous_once_only_and_comments_wait_for_screening(app, assigned):  # noqa: F811
    _load(app)
    path = f"/assignments/{assigned.ids['A']}/module-feedback"
    partner = signed_in(app, "partner@example.org")
    page = partner.get(path).get_data(as_text=True)
    assert "I was treated as an equal member of the group." in page
    assert "The case felt real." not in page, "patient partners get their own items"
    empty = partner.post(path, data={"csrf_token": csrf_from(page)})
    assert empty.status_code == 400 and "Answer at least one question" in empty.get_data(
        as_text=True)
    done = partner.post(path, data={"csrf_token": csrf_from(page), "treated-as-equal": "4",
                                    "change": "More time to prepare, says Anna Berg."})
    assert done.status_code == 200 and "without your name" in done.get_data(as_text=True)
    again = partner.post(path, data={"csrf_token": csrf_from(page), "treated-as-equal": "0"})
    assert "Thank you" in again.get_data(as_text=True)
    with app.app_context():
        responses = db.session.scalars(select(FeedbackResponse)).all()
        assert len(responses) == 1 and responses[0].respondent == "patient"
        assert re.fullmatch(r"\d{4}-(spring|autumn)", responses[0].term)
        assert [a.value for a in db.session.scalars(select(FeedbackAnswer))] == [4]
        columns = {c["name"] for t in ("feedback_response", "feedback_answer",
                                       "feedback_comment")
                   for c in inspect(db.engine).get_columns(t)}
        assert not columns & {"account_id", "created_at", "submitted_at"}
        assert db.session.scalar(select(ResponseMarker.account_id)) is not None
        assert db.session.scalar(select(FeedbackComment.status)) == "pending"
    educator = signed_in(app, "educator@example.org")
    queue = f"/cohorts/{assigned.ids['C']}/comments"
    html = educator.get(queue).get_data(as_text=True)
    assert "More time to prepare, says Anna Berg." in html
    comment_id = re.search(r'name="comment_id" value="(\w+)"', html).group(1)
    educator.post(queue, data={"csrf_token": csrf_from(html), "comment_id": comment_id,
                               "redact": "1", "text": "More time to prepare.",
                               "decision": "approve"})
    with app.app_context():
        screened = db.session.scalar(select(FeedbackComment))
        assert (screened.status, screened.text) == ("approved", "More time to prepare.")
    assert signed_in(app, "student@example.org").get(queue).status_code == 403
