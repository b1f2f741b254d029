"""A student writes in her learning log from a lesson on a phone with a come-back date. When
the day comes it is on her home page; she did it, says so with a note, and shares it with the
cohort without her name. A classmate reads it without her name; she takes it back, and it is
gone from the classmate's page."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import live_app, serious_violations, sign_in_page
from tests.conftest import add_role, make_account, make_assignment
from webapp import clock
from webapp.extensions import db
from webapp.models import Cohort, Group, ModuleVersionRow, Programme

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cohort(live_server, tmp_path_factory):
    """A cohort with two groups: the author's and her classmate's, the example module
    assigned to it."""
    app = live_app(tmp_path_factory)
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        programme = Programme(name=f"Log programme {tag}")
        cohort = Cohort(programme=programme, name=f"Log cohort {tag}")
        mine, theirs = Group(cohort=cohort, name="Group A"), Group(cohort=cohort, name="Group B")
        db.session.add_all([programme, cohort, mine, theirs])
        db.session.flush()
        author = make_account(f"log{tag}.author@example.org", f"Aisha {tag}")
        classmate = make_account(f"log{tag}.classmate@example.org", f"Bo {tag}")
        add_role(author, "student", cohort=cohort, group=mine)
        add_role(classmate, "student", cohort=cohort, group=theirs)
        row = db.session.scalar(select(ModuleVersionRow).where(
            ModuleVersionRow.slug == "example-module", ModuleVersionRow.version == "1.0.0"))
        make_assignment(cohort.id, row)
        db.session.commit()
        people = {"author": author.email, "author_name": author.display_name,
                  "classmate": classmate.email, "cohort": cohort.id}
        db.session.remove()
        db.engine.dispose()
    return people


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []


def test_written_on_a_phone_it_comes_back_is_done_shared_without_a_name_and_taken_back(
        two_pages, live_server, cohort):
    author, classmate = two_pages
    author.set_viewport_size(PHONE)
    sign_in_page(author, live_server, cohort["author"])
    author.goto(f"{live_server}/modules/example-module/1.0.0/lessons/why-together")
    author.get_by_role("link", name="What I learnt: write it in my learning log").click()
    _fits(author)
    words = f"Ask what matters before what is the matter ({uuid.uuid4().hex[:4]})."
    author.get_by_label("Your words").fill(words)
    back_on = clock.now().date() + timedelta(days=7)
    author.get_by_label("Come back on (optional)").fill(back_on.isoformat())
    with author.expect_navigation():
        author.get_by_role("button", name="Save in my log").click()
    expect(author.get_by_role("main")).to_contain_text("Saved in your learning log")
    assert "/lessons/why-together" in author.url
    author.goto(f"{live_server}/")
    expect(author.get_by_role("main")).not_to_contain_text(words)

    with clock.moved(days=7):
        author.context.clear_cookies()  # a week later: her sign-in has ended
        sign_in_page(author, live_server, cohort["author"])
        coming = author.get_by_role("region", name="From your learning log")
        expect(coming).to_contain_text(words)
        _fits(author)
        coming.get_by_label("Anything to add? (optional)").fill("I asked, and she told me.")
        with author.expect_navigation():
            coming.get_by_role("button", name="I did it").click()
        expect(author.get_by_role("main")).to_contain_text("Well done")
        expect(author.get_by_role("main")).not_to_contain_text(words)

        author.get_by_role("link", name="My log").click()
        author.get_by_role("link", name="Open, change or share").first.click()
        expect(author.get_by_role("main")).to_contain_text("I asked, and she told me.")
        author.get_by_role("link", name="Share this entry").click()
        _fits(author)
        author.get_by_label("My cohort:").check()
        author.get_by_label("Without my name").check()
        author.get_by_label("These are my own words, or the person I quote agreed").check()
        with author.expect_navigation():
            author.get_by_role("button", name="Share", exact=True).click()
        expect(author.get_by_role("main")).to_contain_text("Shared.")

        sign_in_page(classmate, live_server, cohort["classmate"])
        classmate.get_by_role("link", name="What we are learning").first.click()
        shared = classmate.get_by_role("main")
        expect(shared).to_contain_text(words)
        expect(shared).to_contain_text("Someone in your cohort")
        expect(shared).not_to_contain_text(cohort["author_name"])

        with author.expect_navigation():
            author.get_by_role("button", name="Take it back").click()
        expect(author.get_by_role("main")).to_contain_text("Nobody else sees it now")
        classmate.reload()
        expect(classmate.get_by_role("main")).not_to_contain_text(words)
        expect(classmate.get_by_role("main")).to_contain_text("Nothing has been shared yet")
