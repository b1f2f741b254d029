"""An instructor adds Coproduce to their course in a learning platform on another site: in the
platform's frame they assign a module, and the platform keeps the signed link. A learner then
opens the link from the course, in a new window, and lands on the assignment signed in, with a
sign-in cookie that is Secure, HttpOnly and SameSite=Lax.

Both sites are HTTPS under their own names (``tests.browser.lti_sites``)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from curriculum.loader import load_tree
from tests.browser import lti_sites
from tests.browser.conftest import CHROMIUM, CONTENT
from tests.conftest import add_role, app_config, make_account
from tests.web import lti_platform as lms
from webapp import create_app
from webapp.extensions import db
from webapp.models import (
    Account,
    Cohort,
    LtiContext,
    LtiIdentity,
    LtiPlatform,
    Membership,
    Programme,
)
from webapp.teach.publishing import publish

pytestmark = pytest.mark.browser


@pytest.fixture
def sites(tmp_path, monkeypatch):
    files = lti_sites.make_certificates(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(files["ca"]))  # the tool fetches platform keys
    tool = create_app(dict(app_config(f"sqlite:///{tmp_path / 'tool.sqlite'}"),
                           SESSION_COOKIE_SECURE=True))
    site = {"links": [], "ca": str(files["ca"])}
    platform_server, lms_port = lti_sites.serve(lti_sites.platform_app(site),
                                                files[lti_sites.LMS_HOST])
    tool_server, tool_port = lti_sites.serve(tool, files[lti_sites.TOOL_HOST])
    site.update(tool=f"https://{lti_sites.TOOL_HOST}:{tool_port}",
                tool_direct=f"https://127.0.0.1:{tool_port}",
                lms=f"https://{lti_sites.LMS_HOST}:{lms_port}",
                issuer=f"https://{lti_sites.LMS_HOST}:{lms_port}")
    tool.config["BASE_URL"] = site["tool"]
    with tool.app_context():
        db.create_all()
        publish(db.session, load_tree(CONTENT))
        programme = Programme(name="LTI programme", time_zone="Europe/Stockholm")
        cohort = Cohort(programme=programme, name="LTI cohort")
        db.session.add_all([programme, cohort])
        db.session.flush()
        educator = make_account("teacher@example.org", "Tess Teacher")
        add_role(educator, "educator", cohort=cohort)
        platform = LtiPlatform(name="Test LMS", issuer=site["issuer"],
                               client_id=lms.CLIENT_ID, auth_url=site["lms"] + "/auth",
                               keyset_url=f"https://127.0.0.1:{lms_port}/jwks", token_url="")
        db.session.add(platform)
        db.session.flush()
        from webapp.models import LtiDeployment

        db.session.add(LtiDeployment(platform_id=platform.id, deployment_id=lms.DEPLOYMENT))
        # the instructor joined their platform account and linked the course earlier
        db.session.add(LtiIdentity(platform_id=platform.id, sub="teacher-1",
                                   account_id=educator.id))
        db.session.add(LtiContext(platform_id=platform.id, context_id="course-101",
                                  cohort_id=cohort.id, title="Coproduction 101"))
        db.session.commit()
        site["cohort"] = cohort.id
    site["app"], site["spki"] = tool, files["spki"]
    yield site
    tool_server.shutdown()
    platform_server.shutdown()
    with tool.app_context():
        db.engine.dispose()


@pytest.fixture
def lti_browser(sites, browser):
    """A Chromium of its own (the two host names and the test authority are start-up
    flags), from the same Playwright as the other browser tests."""
    own = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run",
              f"--host-resolver-rules=MAP {lti_sites.TOOL_HOST} 127.0.0.1, "
              f"MAP {lti_sites.LMS_HOST} 127.0.0.1",
              f"--ignore-certificate-errors-spki-list={sites['spki']}"])
    yield own
    own.close()


def test_deep_link_then_launch_from_another_site(sites, lti_browser):
    teacher = lti_browser.new_context().new_page()
    teacher.goto(f"{sites['lms']}/course?user=teacher-1")
    teacher.get_by_role("button", name="Add Coproduce").click()
    frame = teacher.frame_locator('iframe[name="add-frame"]')
    expect(frame.get_by_role("heading", name="Add Coproduce to your course")).to_be_visible()
    frame.get_by_role("button", name="Assign it and add it to my course").click()
    expect(frame.get_by_text("Added to the course: An example module")).to_be_visible()
    [link] = sites["links"]
    assignment = link["custom"]["assignment_id"]

    learner_context = lti_browser.new_context()
    course = learner_context.new_page()
    course.goto(f"{sites['lms']}/course?user=learner-1")
    with learner_context.expect_page() as opened:
        course.get_by_role("button", name="Open An example module").click()
    window = opened.value
    window.wait_for_url(re.compile(rf"{re.escape(sites['tool'])}/assignments/{assignment}$"))
    expect(window.get_by_role("heading", name="An example module")).to_be_visible()
    cookie = next(c for c in learner_context.cookies(sites["tool"])
                  if c["name"] == "coproduce_session")
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    window.reload()  # the sign-in holds on the tool's own site
    expect(window.get_by_role("link", name="Your account")).to_be_visible()
    with sites["app"].app_context():
        learner = db.session.scalar(select(Account).where(
            Account.email_key == f"learner-1@{lti_sites.LMS_HOST}"))
        assert db.session.scalar(select(Membership.role).where(
            Membership.account_id == learner.id,
            Membership.cohort_id == sites["cohort"])) == "student"
