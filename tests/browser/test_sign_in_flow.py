"""Sign in and out in a real browser, keyboard included, and accessibility checks."""

import pytest

from tests.browser.helpers import serious_violations
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_then_out_with_the_keyboard(page, live_server):
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/sign-in")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.get_by_label("Email").fill("student.a@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", level=1).inner_text() == "What to do next"
    assert page.get_by_role("link", name="Meet your group: Group A").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/sign-in")
    assert "You have signed out." in page.content()
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/sign-in")


def test_wrong_password_is_announced_and_the_email_kept(page, live_server):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill("lead@example.org")
    page.get_by_label("Password").fill("definitely not it")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Email").input_value() == "lead@example.org"
    assert page.get_by_label("Password").get_attribute("aria-invalid") == "true"


@pytest.mark.parametrize("email", [None, "educator@example.org", "patient.a@example.org"])
def test_sign_in_and_home_pages_have_no_serious_accessibility_violations(page, live_server,
                                                                        email):
    if email is None:
        page.goto(f"{live_server}/sign-in")
    else:
        _sign_in(page, live_server, email)
        page.wait_for_url(f"{live_server}/")
    assert serious_violations(page) == []


def test_group_page_has_no_serious_accessibility_violations(page, live_server):
    _sign_in(page, live_server, "student.a@example.org")
    page.get_by_role("link", name="Meet your group: Group A").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Group A"
    assert serious_violations(page) == []
