"""Syncing a linked cohort's roster from the platform (Names and Role Provisioning): a job gets
a token with Coproduce's signed assertion (checked by the platform library), reads every page
of the members, and the educator confirms the same preview as a CSV roster; nobody is
removed."""

from __future__ import annotations

import json

import jwt
import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from tests.web import lti_platform as lms
from tests.web.test_lti import platform  # noqa: F401  (fixture)
from webapp.extensions import db
from webapp.jobs.queue import drain
from webapp.models import Account, LtiContext, LtiPlatform, Membership, ReportJob

MEMBERS_URL = "https://lms.example.edu/api/lti/courses/101/names_and_roles"
PAGE_2 = MEMBERS_URL + "?page=2"


class _Answer:
    def __init__(self, body, status=200, headers=None):
        self._body, self.status_code, self.headers = body, status, headers or {}
        self.ok, self.url, self.reason = status < 400, "", "Forbidden" if status >= 400 else "OK"
        self.content = json.dumps(body).encode()
        self.text = self.content.decode()

    def json(self):
        return self._body


class FakePlatformHttp:
    """The platform's token and roster addresses, answering as the platform would."""

    def __init__(self, app, test_platform, *, members, fail=False):
        self.app, self.platform, self.members, self.fail = app, test_platform, members, fail
        self.asked = []

    def post(self, url, data=None, headers=None, **_kw):
        from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract

        assert url == lms.TOKEN_URL
        self.asked.append("token")
        registration = self.platform.registration("http://127.0.0.1:5000/lti/launch")
        with self.app.test_client() as client:
            registration.set_tool_key_set(client.get("/lti/jwks.json").get_json())

        class Conf(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **_kw):
                self._registration = registration

            def get_registration_by_params(self, **_kw):
                return registration

        assertion = jwt.decode(data["client_assertion"], options={"verify_signature": False})
        assert assertion["iss"] == assertion["sub"] == lms.CLIENT_ID
        assert assertion["aud"] == lms.TOKEN_URL
        return _Answer(Conf().get_access_token(dict(data)))  # checks the signature

    def get(self, url, headers=None, **_kw):
        self.asked.append(url)
        if self.fail:
            return _Answer({"error": "forbidden"}, 403)
        token = headers["Authorization"].split(" ", 1)[1]
        jwt.decode(token, self.platform.public_pem, algorithms=["RS256"])  # ours, signed
        if url == MEMBERS_URL:
            return _Answer({"members": self.members[:2]},
                           headers={"link": f'<{PAGE_2}>; rel="next"'})
        assert url == PAGE_2
        return _Answer({"members": self.members[2:]})


MEMBERS = [
    {"user_id": "t1", "email": "educator@example.org", "name": "Ed",
     "roles": [lms.INSTRUCTOR], "status": "Active"},
    {"user_id": "s1", "email": "student@example.org", "name": "Student",
     "roles": [lms.LEARNER], "status": "Active"},
    {"user_id": "s9", "email": "newcomer@example.edu", "given_name": "Nia",
     "family_name": "New", "roles": [lms.LEARNER], "status": "Active"},
    {"user_id": "s8", "name": "No Email", "roles": [lms.LEARNER], "status": "Active"},
    {"user_id": "s7", "email": "gone@example.edu", "name": "Gone", "roles": [lms.LEARNER],
     "status": "Inactive"},
]


@pytest.fixture
def linked(app, world, platform, monkeypatch):  # noqa: F811
    from webapp.lti import roster_sync

    http = FakePlatformHttp(app, platform, members=MEMBERS)
    monkeypatch.setattr(roster_sync, "_requests_session", lambda: http)
    with app.app_context():
        platform_id = db.session.scalar(select(LtiPlatform.id))
        db.session.add(LtiContext(platform_id=platform_id, context_id="course-101",
                                  title="Coproduction 101", cohort_id=world.ids["C"],
                                  memberships_url=MEMBERS_URL))
        db.session.commit()
    return http


def _sync(app, world):
    educator = signed_in(app, "educator@example.org")
    page = f"/cohorts/{world.ids['C']}"
    html = educator.get(page).get_data(as_text=True)
    assert "Sync the roster from Canvas at the test university" in html
    answer = educator.post(f"{page}/roster/sync", data={"csrf_token": csrf_from(html)})
    assert answer.status_code == 303
    return educator, answer.headers["Location"]


def test_an_educator_syncs_the_roster_previews_and_confirms(app, world, linked):
    educator, waiting = _sync(app, world)
    page = educator.get(waiting).get_data(as_text=True)
    assert "Fetching the roster" in page and "job-progress.js" in page
    status = educator.get(waiting, headers={"Accept": "application/json"}).get_json()
    assert status["state"] == "queued"
    assert drain(app) == 1
    assert linked.asked == ["token", MEMBERS_URL, PAGE_2]
    preview = educator.get(waiting).get_data(as_text=True)
    assert "Roster from Canvas at the test university" in preview
    assert "1 new person" in preview and "2 people on the platform are left out" in preview
    assert "Nothing has been saved yet" in preview
    with app.app_context():
        assert db.session.scalar(select(Account).where(
            Account.email_key == "newcomer@example.edu")) is None
    done = educator.post(f"/cohorts/{world.ids['C']}/roster/confirm", data={
        "csrf_token": csrf_from(preview),
        "upload_id": __import__("re").search(r'name="upload_id"[^>]*value="(\d+)"',
                                             preview).group(1)})
    assert done.status_code == 303
    with app.app_context():
        newcomer = db.session.scalar(select(Account).where(
            Account.email_key == "newcomer@example.edu"))
        assert newcomer.display_name == "Nia New"
        roles = set(db.session.execute(select(Account.email_key, Membership.role).join(
            Membership).where(Membership.cohort_id == world.ids["C"])))
    assert ("newcomer@example.edu", "student") in roles
    assert ("partner@example.org", "patient_partner") in roles, "nobody is removed"


def test_a_platform_that_refuses_the_roster_is_said_plainly(app, world, linked):
    linked.fail = True
    educator, waiting = _sync(app, world)
    drain(app)
    page = educator.get(waiting).get_data(as_text=True)
    assert "did not give the roster" in page and "Try again" in page
    with app.app_context():
        assert db.session.scalar(select(ReportJob.state).where(
            ReportJob.kind == "roster_sync")) == "failed"


def test_only_the_cohort_s_managers_sync_and_see_its_job(app, world, linked):
    _educator, waiting = _sync(app, world)
    for email, status in (("lead@example.org", 403), ("student@example.org", 403),
                          ("far@example.org", 404)):
        assert signed_in(app, email).get(waiting).status_code == status, email
    other = signed_in(app, "educator@example.org")
    wrong = waiting.replace(f"/cohorts/{world.ids['C']}/", f"/cohorts/{world.ids['C3']}/")
    assert other.get(wrong).status_code == 404


def test_a_cohort_without_a_course_cannot_sync(app, world):
    educator = signed_in(app, "educator@example.org")
    page = f"/cohorts/{world.ids['C']}"
    html = educator.get(page).get_data(as_text=True)
    assert "Sync the roster" not in html
    answer = educator.post(f"{page}/roster/sync", data={"csrf_token": csrf_from(html)})
    assert answer.status_code == 303
    assert "not linked to a course" in educator.get(page).get_data(as_text=True)


def test_a_course_whose_platform_offers_no_roster_says_what_to_ask_for(app, world, linked):
    with app.app_context():
        db.session.scalar(select(LtiContext)).memberships_url = ""
        db.session.commit()
    educator, waiting = _sync(app, world)
    drain(app)
    assert "Names and Role Provisioning" in educator.get(waiting).get_data(as_text=True)
