"""The co-teacher guide says "you pick how many cases you take": the co-teacher chooses, up
to the most the educator sets, and allocation follows their choice."""

from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from webapp.extensions import db
from webapp.models import Cohort
from webapp.review.operations import reviewers


def _choose(client, cohort_id, value):
    token = csrf_from(client.get("/reviews").get_data(as_text=True))
    answer = client.post(f"/cohorts/{cohort_id}/my-review-capacity",
                         data={"capacity": value, "csrf_token": token})
    assert answer.status_code == 303
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def _mine(app, cohort_id):
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        return next(r for r in reviewers(db.session, cohort) if r.lens == "patient")


def test_a_coteacher_chooses_fewer_cases_and_allocation_follows(app, world):
    coteacher = signed_in(app, "coteacher@example.org")
    page = coteacher.get("/reviews").get_data(as_text=True)
    assert "How many cases you take" in page and "(up to 4)" in page
    assert "Saved: you take up to 2 cases" in _choose(coteacher, world.ids["C"], "2")
    assert _mine(app, world.ids["C"]).capacity == 2
    # the educator lowers the most to 1: the choice of 2 no longer fits, 1 is used
    with app.app_context():
        from webapp.review.operations import set_capacity

        set_capacity(db.session, db.session.get(Cohort, world.ids["C"]),
                     _mine(app, world.ids["C"]).account_id, "patient", 1)
        db.session.commit()
    assert _mine(app, world.ids["C"]).capacity == 1
    manage = signed_in(app, "educator@example.org").get("/reviews").status_code
    assert manage == 200


def test_more_than_the_limit_or_nonsense_is_refused_with_the_range(app, world):
    coteacher = signed_in(app, "coteacher@example.org")
    for value in ("5", "-1", "two", ""):
        assert "Choose a number from 0 to 4." in _choose(coteacher, world.ids["C"], value)
    assert _mine(app, world.ids["C"]).capacity == 4


def test_someone_who_does_not_review_there_cannot_choose(app, world):
    student = signed_in(app, "student@example.org")
    assert "You do not review in this cohort." in _choose(student, world.ids["C"], "1")
    with app.app_context():
        assert db.session.scalar(select(Cohort.id).where(Cohort.id == world.ids["C"]))
