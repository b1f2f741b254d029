"""The interface in Swedish, in a real browser: a browser that asks for Swedish gets it, the
switch in the header works from the keyboard, and the pages are accessible with lang="sv"."""

import pytest

from tests.browser.helpers import serious_violations, sign_in_page
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

#: Words of the interface's frame that must not be left in English on a Swedish page.
ENGLISH_FRAME = ("Sign out", "Your account", "Skip to main content", "What to do next",
                 "Privacy: who can see what", "My data")


@pytest.fixture
def swedish_page(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, base, email):
    sign_in_page(page, base, email, DEMO_PASSWORD, words=("E-post", "Lösenord", "Logga in"))


def _no_english_frame(page):
    text = page.locator("body").inner_text()
    assert [words for words in ENGLISH_FRAME if words in text] == []


def test_a_swedish_browser_gets_swedish_pages_without_accessibility_problems(swedish_page,
                                                                            live_server):
    page = swedish_page
    page.goto(f"{live_server}/sign-in")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("button", name="Logga in").is_visible()
    assert serious_violations(page) == []


@pytest.mark.parametrize("email", ["student.a@example.org", "patient.a@example.org",
                                   "coteacher@example.org", "lead@example.org"])
def test_each_role_reads_its_pages_in_swedish(swedish_page, live_server, email):
    page = swedish_page
    _sign_in(page, live_server, email)
    for path in ("/", "/help", "/account", "/my-data", "/privacy"):
        page.goto(f"{live_server}{path}")
        assert page.locator("html").get_attribute("lang") == "sv", path
        _no_english_frame(page)
        assert serious_violations(page) == [], path


def test_the_switch_in_the_header_works_from_the_keyboard_at_phone_width(page, live_server):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/help")
    switch = page.get_by_role("button", name="Svenska")
    box = switch.bounding_box()
    assert box["height"] >= 44  # a tap target on a phone
    switch.focus()
    with page.expect_navigation():  # the post, then back to the same page
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_text("Sidorna är nu på svenska.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
