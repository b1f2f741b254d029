"""On a phone, from the keyboard: a student sees two unread items in the header, opens one
from What's new, turns one kind of email off, and makes a calendar link her calendar app can
read."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import live_app, serious_violations, sign_in_page
from tests.conftest import add_role, make_account, make_assignment
from webapp.extensions import db
from webapp.models import Cohort, Group, ModuleVersionRow, Programme

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def student(live_server, tmp_path_factory):
    from webapp.notices.operations import notify

    app = live_app(tmp_path_factory)
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        programme = Programme(name=f"News programme {tag}", time_zone="Europe/Stockholm")
        cohort = Cohort(programme=programme, name=f"News cohort {tag}")
        group = Group(cohort=cohort, name="Group A")
        db.session.add_all([programme, cohort, group])
        db.session.flush()
        person = make_account(f"news{tag}@example.org", f"Nadia {tag}")
        add_role(person, "student", cohort=cohort, group=group)
        row = db.session.scalar(select(ModuleVersionRow).where(
            ModuleVersionRow.slug == "example-module", ModuleVersionRow.version == "1.0.0"))
        assignment = make_assignment(cohort.id, row)
        for n in range(2):
            notify(db.session, person, "reminder", path=f"/assignments/{assignment.id}",
                   params={"title": f"{row.title} {n}"})
        db.session.commit()
        found = {"email": person.email, "assignment": assignment.id}
        db.session.remove()
        db.engine.dispose()
    return found


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []


def test_whats_new_email_choices_and_a_calendar_link_on_a_phone(page, live_server, student):
    page.set_viewport_size(PHONE)
    sign_in_page(page, live_server, student["email"])
    news = page.get_by_role("link", name="What’s new: 2 unread")
    expect(news).to_be_visible()
    news.click()
    _fits(page)
    expect(page.get_by_role("main")).to_contain_text("Your educator sent your group a reminder")
    first = page.get_by_role("button", name="Open").first
    first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/assignments/{student['assignment']}")
    expect(page.get_by_role("link", name="What’s new: 1 unread")).to_be_visible()

    page.goto(f"{live_server}/account")
    _fits(page)
    reminders = page.get_by_role("group", name="Reminders your educator sends your group")
    reminders.get_by_label("No email").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my email choices").click()
    expect(page.get_by_role("main")).to_contain_text("Your choices of email are saved.")
    assert page.get_by_role("group", name="Reminders your educator sends your group") \
        .get_by_label("No email").is_checked()

    with page.expect_navigation():
        page.get_by_role("button", name="Make my calendar link").click()
    _fits(page)
    link = page.get_by_label("Calendar link").input_value()
    assert "/calendar/" in link and link.endswith(".ics")
    path = "/calendar/" + link.split("/calendar/", 1)[1]  # the site's address is configured
    feed = page.context.request.get(live_server + path, headers={"Cookie": ""})
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Case due: An example module" in feed.text()


def test_an_admin_registers_a_learning_platform_on_a_phone(page, live_server):
    """The LTI set-up page at 390 px: the values to paste, the form, its errors."""
    from webapp.demo import DEMO_PASSWORD

    page.set_viewport_size(PHONE)
    sign_in_page(page, live_server, "admin@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server}/lti/setup")
    _fits(page)
    expect(page.get_by_role("main")).to_contain_text("/lti/jwks.json")
    tag = uuid.uuid4().hex[:6]
    page.get_by_label("Name").fill(f"Moodle {tag}")
    page.get_by_label("Issuer").fill(f"https://moodle-{tag}.example.edu")
    page.get_by_label("Client id").fill("client-1")
    page.get_by_label("Platform login (authorisation) address").fill(
        f"https://moodle-{tag}.example.edu/mod/lti/auth.php")
    page.get_by_label("Platform key set (JWKS) address").fill(
        f"https://moodle-{tag}.example.edu/mod/lti/certs.php")
    with page.expect_navigation():
        page.get_by_role("button", name="Register the platform").click()
    expect(page.get_by_role("alert")).to_contain_text("at least one deployment id")
    _fits(page)
    page.get_by_label("Deployment ids").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Register the platform").click()
    expect(page.get_by_role("main")).to_contain_text(f"Registered Moodle {tag}")
    _fits(page)
