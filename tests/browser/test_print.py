"""Printing: the case page prints its parts (also the ones in edit boxes) without the site's
header, buttons or forms, says when it was printed, and offers a Print button that the
keyboard reaches."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_case, sign_in_page
from tests.browser.test_report_journey import programme  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_the_case_page_prints_cleanly(page, live_server, group):
    base = live_server
    open_case(page, base, group["student"])
    page.get_by_label("Your group’s text for part 1").fill("Ana waits at the clinic.")
    page.get_by_role("button", name="Save part 1").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    page.reload()
    button = page.get_by_role("button", name="Print this page")
    expect(button).to_be_visible()
    page.keyboard.press("Tab")  # the skip link, then the header, then the main content
    for _ in range(40):
        if button.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    assert button.evaluate("el => el === document.activeElement"), "Tab reaches Print"
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(button).to_be_hidden()
    expect(page.get_by_role("button", name="Save part 1")).to_be_hidden()
    expect(page.locator(".printed")).to_contain_text("Printed from Coproduce on")
    expect(page.locator("#part-situation .print-only")).to_have_text("Ana waits at the clinic.")
    page.emulate_media(media="screen")
    expect(page.locator(".printed")).to_be_hidden()


def test_the_report_page_prints_its_figures_without_the_site_around_them(
        page, live_server, programme):  # noqa: F811
    sign_in_page(page, live_server, programme["lead"])
    page.goto(f"{live_server}/programmes/{programme['programme']}/reports")
    page.get_by_role("link", name="Clinical microsystems 1.0.0").click()
    button = page.get_by_role("button", name="Print this page")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 44, "the Print button is 44 px tall"
    button.focus()
    assert button.evaluate("el => el === document.activeElement")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(button).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clinical microsystems 1.0.0")
    expect(page.locator(".printed")).to_contain_text("Printed from Coproduce on")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.evaluate("""() => getComputedStyle(document.body).color""") == "rgb(0, 0, 0)"
