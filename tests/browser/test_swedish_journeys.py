"""The Swedish demo programme walked in a real browser, one journey per kind of person: a
student, a patient partner, a patient co-teacher and a programme lead, each reading in
Swedish. No page shows an English sentence (course text in another language is marked with
its own ``lang``), and axe finds nothing serious with ``lang="sv"``."""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from curriculum.loader import load_tree
from tests.browser.helpers import serious_violations, sign_in_page
from tests.conftest import ROOT, app_config
from tests.language_check import english_on
from webapp import create_app
from webapp.demo import DEMO_PASSWORD, create_demo
from webapp.extensions import db
from webapp.teach.publishing import publish

pytestmark = pytest.mark.browser

WORDS = ("E-post", "Lösenord", "Logga in")


@pytest.fixture(scope="module")
def swedish_server(tmp_path_factory):
    """A server with the whole course (English and Swedish) and the demo data, whose Swedish
    programme's people read in Swedish."""
    url = f"sqlite:///{tmp_path_factory.mktemp('swedish') / 'swedish.sqlite'}"
    app = create_app(app_config(url))
    with app.app_context():
        db.create_all()
        publish(db.session, load_tree(ROOT))
        create_demo(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def reader(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


class Walk:
    """One person's way through the product: each page is checked as it is reached (on a
    phone, ``width`` 390: nothing wider than the screen)."""

    def __init__(self, page, base: str, email: str, width: int | None = None) -> None:
        self.page, self.base, self.seen, self.width = page, base, [], width
        if width:
            page.set_viewport_size({"width": width, "height": 800})
        sign_in_page(page, base, email, DEMO_PASSWORD, words=WORDS)
        self.check()

    def check(self) -> None:
        page = self.page
        where = page.url.removeprefix(self.base)
        assert page.locator("html").get_attribute("lang") == "sv", where
        assert english_on(page.content()) == [], where
        assert serious_violations(page) == [], where
        if self.width:
            assert page.evaluate("document.documentElement.scrollWidth") <= self.width, where
        self.seen.append(where)

    def click(self, name: str, role: str = "link", *, within: str = "main") -> None:
        with self.page.expect_navigation():
            self.page.locator(within).get_by_role(role, name=name).first.click()
        self.check()

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.check()

    def href(self, pattern: str) -> str:
        """The first link on the page whose address matches ``pattern``."""
        for link in self.page.locator("a[href]").all():
            href = link.get_attribute("href")
            if re.search(pattern, href):
                return href
        raise AssertionError(f"no link matching {pattern} on {self.page.url}")


def test_a_student_reads_the_swedish_module_tries_a_check_and_opens_the_case(
        reader, swedish_server):
    walk = Walk(reader, swedish_server, "student.sv@example.org")
    walk.go(walk.href(r"^/assignments/\d+$"))
    walk.click("Läs modulen")
    module = walk.page.url.removeprefix(walk.base)
    walk.click("Börja läsa")
    walk.click("Jag har läst: nästa lektion", role="button")
    walk.go(f"{module}/checks")
    first = reader.locator("main form").first
    first.get_by_role("radio").first.check()
    with reader.expect_navigation():
        first.get_by_role("button", name="Kontrollera mitt svar").click()
    walk.check()
    walk.go(walk.href(r"/case$"))
    walk.go("/")
    walk.go(walk.href(r"^/cases/\d+$"))
    walk.go("/")
    walk.go(walk.href(r"^/assignments/\d+$"))
    walk.go(walk.href(r"/confidence$"))
    for path in ("/help", "/account", "/my-data", "/privacy", "/guides", "/modules"):
        walk.go(path)
    assert len(walk.seen) >= 12


def test_a_patient_partner_on_a_phone_reads_the_case_and_answers_the_feedback_in_swedish(
        reader, swedish_server):
    walk = Walk(reader, swedish_server, "patientpartner@example.org", width=390)
    walk.go(walk.href(r"^/cases/\d+$"))
    walk.go(walk.href(r"/consent$"))
    walk.go("/")
    walk.go(walk.href(r"/module-feedback$"))
    reader.get_by_role("group").first.get_by_role("radio").last.check()
    walk.click("Skicka mina svar", role="button")
    walk.go("/guides")
    walk.go(walk.href(r"^/guides/patient-partner-welcome-sv/"))
    for path in ("/help", "/my-data", "/privacy"):
        walk.go(path)


def test_a_co_teacher_on_a_phone_reviews_in_swedish_and_practises_on_an_example(
        reader, swedish_server):
    walk = Walk(reader, swedish_server, "granskare@example.org", width=390)
    walk.go("/reviews")
    walk.go(walk.href(r"^/reviews/\d+$"))
    walk.go("/reviews/practice/patient")
    walk.go("/guides")
    walk.go(walk.href(r"^/guides/patient-coteacher-reviewing-sv/"))
    walk.go("/help")


def test_a_programme_lead_reads_the_reports_in_swedish(reader, swedish_server):
    walk = Walk(reader, swedish_server, "programansvarig@example.org")
    walk.go(walk.href(r"/reports$"))
    walk.go(walk.href(r"/reports/modules/\d+$"))
    walk.go(walk.href(r"^/programmes/\d+/reports$"))
    walk.go(walk.href(r"^/cohorts/\d+/report$"))
    walk.go(walk.href(r"^/programmes/\d+/reports$"))
    walk.go(walk.href(r"/review-log$"))
    walk.go("/guides")
    walk.go(walk.href(r"^/guides/programme-lead-sv/"))
