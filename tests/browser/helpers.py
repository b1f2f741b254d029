"""What the browser tests share: signing in, the live server's database, accessibility."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import PASSWORD, app_config
from webapp import create_app

PART1 = "Your group’s text for part 1"
PART3 = "Your group’s text for part 3"


def serious_violations(page) -> list[tuple[str, str, str]]:
    """axe's serious and critical findings on the page as it is now: (rule, impact, help)."""
    results = Axe().run(page)
    return [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def sign_in_page(page, base, email, password=PASSWORD,
                 words=("Email", "Password", "Sign in")):
    """Sign in through the page, as a person does, and wait for the home page. ``words``:
    the form's labels and button in the page's language."""
    email_label, password_label, button = words
    page.goto(f"{base}/sign-in")
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label).fill(password)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{base}/")


def live_app(tmp_path_factory):
    """An app on the live server's SQLite database, to arrange data for a test."""
    # pytest also links "browsercurrent" to the newest "browserN"
    found = sorted({path.resolve() for path in
                    tmp_path_factory.getbasetemp().glob("browser*/browser.sqlite")})
    assert len(found) == 1, f"expected the live server's one database, found {found}"
    return create_app(app_config(f"sqlite:///{found[0]}"))


def open_case(page, base, email):
    """Sign in, open the example module's case and agree the three promises; the case id."""
    sign_in_page(page, base, email)
    page.get_by_role("main").get_by_role("link", name="An example module", exact=True).click()
    page.get_by_role("link", name="Open your group’s case").click()
    page.get_by_label("Our promise to ourselves").fill("We say what we think.")
    page.get_by_label("Our promise to each other").fill("We listen first.")
    page.get_by_label("Our promise to the person at the centre of the case").fill(
        "We write about you as we would speak to you.")
    page.get_by_role("button", name="Save our agreement and open the case").click()
    expect(page.get_by_role("heading", name="Our working agreement")).to_be_visible()
    return int(re.search(r"/cases/(\d+)", page.url).group(1))
