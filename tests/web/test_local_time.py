"""Dates are typed and shown in the programme's time zone, and a due time stays put across
the clock changes (Stockholm: last Sunday of October 2026 and of March 2027)."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, make_module_version, signed_in
from webapp.extensions import db
from webapp.models import Assignment, Extension, Membership, Programme


@pytest.fixture
def version(app, world):
    with app.app_context():
        row = make_module_version(version="1.0.0").id
        db.session.commit()
    return row


def _post(client, path, data, page):
    html = client.get(page).get_data(as_text=True)
    return client.post(path, data=dict(data, csrf_token=csrf_from(html)))


def _assign(client, world, version, due):
    page = f"/cohorts/{world.ids['C']}/assignments/new"
    made = _post(client, page, {"module_version_id": str(version), "opens_at": "2026-01-01T09:00",
                                "due_at": due, "review_due_at": "2027-06-01T17:00"}, page)
    assert made.status_code == 303, made.get_data(as_text=True)
    return made, int(re.search(r"/assignments/(\d+)", made.headers["Location"]).group(1))


def _partner(app, world):
    with app.app_context():
        return db.session.scalar(select(Membership.account_id).where(
            Membership.role == "patient_partner", Membership.cohort_id == world.ids["C"]))


@pytest.mark.parametrize("typed_due, stored_due, days, extended, shown", [
    # Saturday before the autumn change: summer time (+2); two days later winter time (+1)
    ("2026-10-24T23:59", datetime(2026, 10, 24, 21, 59), 2, datetime(2026, 10, 26, 22, 59),
     "Mon 26 Oct 2026, 23:59"),
    # Saturday before the spring change: winter time (+1); two days later summer time (+2)
    ("2027-03-27T23:59", datetime(2027, 3, 27, 22, 59), 2, datetime(2027, 3, 29, 21, 59),
     "Mon 29 Mar 2027, 23:59"),
])
def test_a_due_time_of_23_59_stays_23_59_across_the_clock_change(
        app, world, version, typed_due, stored_due, days, extended, shown):
    educator = signed_in(app, "educator@example.org")
    _, aid = _assign(educator, world, version, typed_due)
    with app.app_context():
        assert db.session.get(Assignment, aid).due_at == stored_due
    page = educator.get(f"/assignments/{aid}").get_data(as_text=True)
    assert f'value="{typed_due}"' in page  # the dates form shows what was typed
    assert "Stockholm time" in page and "UTC" not in page
    partner = _partner(app, world)
    granted = _post(educator, f"/assignments/{aid}/extend",
                    {"account_id": str(partner), "extra_days": str(days)}, f"/assignments/{aid}")
    assert f"Partner now has until {shown}" in educator.get(
        granted.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Extension.due_at).where(
            Extension.assignment_id == aid)) == extended


def test_a_time_the_clocks_skip_is_saved_an_hour_later_and_said_so(app, world, version):
    educator = signed_in(app, "educator@example.org")
    made, aid = _assign(educator, world, version, "2027-03-28T02:30")
    page = educator.get(made.headers["Location"]).get_data(as_text=True)
    assert "02:30 does not exist in Stockholm time" in page and "saved as 03:30" in page
    with app.app_context():
        assert db.session.get(Assignment, aid).due_at == datetime(2027, 3, 28, 1, 30)


def test_a_time_that_happens_twice_is_the_first_and_raises_no_notice(app, world, version):
    educator = signed_in(app, "educator@example.org")
    made, aid = _assign(educator, world, version, "2026-10-25T02:30")
    assert "does not exist" not in educator.get(made.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assignment, aid).due_at == datetime(2026, 10, 25, 0, 30)


def test_more_time_is_a_date_or_a_number_of_days_not_both(app, world, version):
    educator = signed_in(app, "educator@example.org")
    _, aid = _assign(educator, world, version, "2027-01-10T17:00")
    both = _post(educator, f"/assignments/{aid}/extend",
                 {"account_id": str(_partner(app, world)), "extra_days": "3",
                  "extended_until": "2027-01-20T17:00"}, f"/assignments/{aid}")
    assert "not both" in educator.get(both.headers["Location"]).get_data(as_text=True)
    nonsense = _post(educator, f"/assignments/{aid}/extend",
                     {"account_id": str(_partner(app, world)), "extra_days": "9999"},
                     f"/assignments/{aid}")
    assert "between 1 and 365 days" in educator.get(
        nonsense.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Extension.id)) is None


def test_an_educator_moves_the_programme_to_another_zone_and_dates_follow(app, world, version):
    educator = signed_in(app, "educator@example.org")
    _, aid = _assign(educator, world, version, "2027-01-10T17:00")  # 16:00 UTC
    settings = f"/programmes/{world.ids['P']}/settings"
    bad = _post(educator, settings, {"time_zone": "Mars/Olympus", "contact_id": "0"}, settings)
    assert bad.status_code == 400
    assert "Choose a time zone from the list" in bad.get_data(as_text=True)
    stranger = _post(educator, settings, {"time_zone": "UTC", "contact_id": "99999"}, settings)
    assert stranger.status_code == 400 and "Choose an educator" in stranger.get_data(as_text=True)
    with app.app_context():
        educator_id = db.session.scalar(select(Membership.account_id).where(
            Membership.role == "educator", Membership.programme_id == world.ids["P"]))
    saved = _post(educator, settings, {"time_zone": "America/New_York",
                                       "contact_id": str(educator_id),
                                       "contact_details": "Phone 555 0100, weekdays 9–12"},
                  settings)
    assert "New York time" in educator.get(saved.headers["Location"]).get_data(as_text=True)
    page = educator.get(f"/assignments/{aid}").get_data(as_text=True)
    assert "Sun 10 Jan 2027, 11:00" in page and "New York time" in page
    with app.app_context():
        programme = db.session.get(Programme, world.ids["P"])
        assert programme.time_zone == "America/New_York"
        assert programme.contact.email == "educator@example.org"
    lead = signed_in(app, "lead@example.org")
    shown = lead.get(settings).get_data(as_text=True)
    assert "Phone 555 0100" in shown and "<select" not in shown
