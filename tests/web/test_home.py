"""The home page answers "what should I do next?" for every role."""

import pytest

from tests.conftest import sign_in
from webapp.extensions import db
from webapp.models import Cohort


def _home(app, email):
    client = app.test_client()
    sign_in(client, email)
    return client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email,shown,hidden", [
    ("student@example.org", ["Cohort Own", "Meet your group: Group One"],
     ["Group Two", "Cohort Elsewhere", "Invite people"]),
    ("partner@example.org", ["Meet your group: Group One", "Patient partner"],
     ["Invite people"]),
    ("educator@example.org", ["Cohort Own", "Cohort Sibling", "Invite people to this cohort"],
     ["Cohort Elsewhere"]),
    ("lead@example.org", ["Cohort Own", "Cohort Sibling", "See the cohort"],
     ["Invite people", "Cohort Elsewhere"]),
    ("coteacher@example.org", ["Cohort Own", "Your reviews", "Record the time you give"],
     ["Invite people"]),
    ("admin@example.org", ["Cohort Own", "Cohort Sibling", "Cohort Elsewhere", "Site admin"],
     []),
])
def test_each_role_sees_its_own_next_actions(app, world, email, shown, hidden):
    page = _home(app, email)
    for text in shown:
        assert text in page, text
    for text in hidden:
        assert text not in page, text


def test_someone_in_no_cohort_is_told_what_happens_next(app, world):
    page = _home(app, "outsider@example.org")
    assert "You are not in a cohort yet" in page


def test_archived_cohorts_are_hidden_from_home(app, world):
    with app.app_context():
        db.session.get(Cohort, world.ids["C"]).archived = True
        db.session.commit()
    page = _home(app, "student@example.org")
    assert "Cohort Own" not in page and "You are not in a cohort yet" in page
