"""The accessibility statement, signed out: reached from the footer, it fits a phone with no
serious axe findings, and a barrier is reported from the keyboard with the page filled in."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_phone_widths import _check

pytestmark = pytest.mark.browser


def test_a_signed_out_visitor_reports_a_barrier_from_the_keyboard(page, live_server):
    page.goto(f"{live_server}/sign-in")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_text("Last reviewed:")).to_be_visible()
    expect(page.get_by_label("The page it happened on (optional)")).to_have_value("/sign-in")
    problems = []
    _check(page, problems, "/accessibility")
    assert problems == [], problems
    page.set_viewport_size({"width": 390, "height": 844})

    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what you were trying to do.")
    page.get_by_label("What were you trying to do?").focus()
    page.keyboard.type("Sign in on my phone")
    page.keyboard.press("Tab")
    page.keyboard.type("The password box hid behind the keyboard.")
    for _ in range(3):  # the page box, the email box, then the button
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Send the report"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("went to the people who run this site")
    expect(page.get_by_role("status")).not_to_contain_text("@")
