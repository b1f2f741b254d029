"""A student opens a module, reads a lesson, answers a knowledge check and sees why."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import serious_violations
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser



def test_student_reads_a_lesson_and_answers_a_check(page, live_server):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill("student.a@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Modules", exact=True).click()
    page.get_by_role("link", name="An example module").click()
    assert "0 of 1 lessons read" in page.content()
    page.get_by_role("link", name="Start reading").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Why we learn together"
    assert serious_violations(page) == []
    citation = page.get_by_role("link", name="(Batalden M et al. 2016)")
    assert citation.get_attribute("href") == "#ref-batalden2016"
    page.get_by_role("button", name="I have read this: back to the module").click()
    assert "1 of 1 lessons read" in page.content()
    page.locator(".module-nav").get_by_role("link", name="Knowledge checks").click()
    assert serious_violations(page) == []
    # keyboard only: choose the wrong answer with Space, Tab to the button, press Enter
    wrong = page.get_by_label("Reflections and plans")
    wrong.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check my answer"
    page.keyboard.press("Enter")
    feedback = page.get_by_role("status").filter(has_text="Not quite.")
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text("they come ninth")
    page.get_by_label("Situation").check()
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("status").filter(has_text="Right.")).to_be_visible()
    assert serious_violations(page) == []


def test_case_brief_has_no_serious_accessibility_violations(page, live_server):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill("patient.a@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/modules/example-module/1.0.0/case")
    assert page.locator("ol.template > li").count() == 9
    assert serious_violations(page) == []
