"""Every page each role reaches, on a phone: nothing scrolls sideways at 390 and at 320 px,
nor at 1280 px zoomed to 200 % (a 640 px layout); axe (WCAG 2.2 AA rules) finds nothing
serious or critical at 390 or 320; every control is at least 24 × 24 px and every choice
(radio or checkbox, with its label) at least 44 px tall.

Each person starts at their home page and follows the links their pages offer, as someone
would, one page of each kind (a page is a kind by its address with the numbers taken out).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from tests.browser.helpers import sign_in_page
from tests.browser.test_review_journey import world  # noqa: F401  (fixture)
from tests.conftest import add_role, make_account
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account

pytestmark = pytest.mark.browser

WIDTHS = ((390, 844), (320, 640))
#: 1280 px at 200 % zoom lays the page out 640 CSS px wide (WCAG 1.4.4 and 1.4.10).
ZOOMED = (640, 450)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Links that are not pages to read: downloads, signing out, one-time links.
NOT_PAGES = re.compile(r"(\.pdf|\.csv|\.zip)$|^/(sign-out|link/|invite/|reset/|static/)")
MOST_PAGES = 40


@pytest.fixture
def people(world):  # noqa: F811
    """The review journey's group after hand-in, with its reviews allocated to an educator
    and a patient co-teacher."""
    from webapp.models import Assignment, Cohort
    from webapp.review import operations as review_ops

    app = world["app"]
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort_id"])
        add_role(make_account(world["coteacher"], world["coteacher_name"]),
                 "patient_coteacher", cohort=cohort)
        db.session.commit()
        review_ops.allocate(db.session, db.session.get(Assignment, world["assignment_id"]))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    tag = world["tag"]
    return {"educator": world["educator"], "student": world["student"],
            "partner": f"rj{tag}.partner@example.org", "coteacher": world["coteacher"],
            "lead": "lead@example.org"}


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _links(page, base) -> list[str]:
    found = []
    for href in page.eval_on_selector_all("main a[href], header a[href]",
                                          "els => els.map(e => e.getAttribute('href'))"):
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != base or NOT_PAGES.search(url.path):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


SMALL_TARGETS = """() => [...document.querySelectorAll(
        'button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]),'
        + ' a.button, .radio, .option')]
    .filter(e => e.offsetParent !== null)
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width < 24 || r.height < (e.matches('.radio, .option') ? 44 : 24))
    .slice(0, 4).map(([e, r]) => e.tagName + '.' + e.className + ' ' + (e.textContent || e.name
        || '').trim().slice(0, 30) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))"""


def _wide(page, width) -> int | None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    return wide if wide > width else None


def _check(page, problems, path):
    page.set_viewport_size({"width": ZOOMED[0], "height": ZOOMED[1]})
    page.wait_for_timeout(50)
    if _wide(page, ZOOMED[0]):
        problems.append((path, "200 % zoom", f"{_wide(page, ZOOMED[0])} px wide"))
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            culprits = page.evaluate(f"""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > {width} + 1
                        && !(e.closest('.table-scroll') && e.closest('.table-scroll') !== e))
                .slice(0, 4).map(e => e.tagName + '.' + e.className + ' '
                                 + Math.round(e.getBoundingClientRect().right))""")
            problems.append((path, width, f"{wide} px wide", culprits))
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        serious = [(v["id"], v["help"]) for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        if serious:
            problems.append((path, width, "axe", serious))
        small = page.evaluate(SMALL_TARGETS)
        if small:
            problems.append((path, width, "small targets", small))


@pytest.mark.parametrize("role", ["student", "partner", "coteacher", "educator", "lead"])
def test_every_page_a_person_reaches_fits_a_phone(page, live_server, people, role):
    password = None if role != "lead" else "coproduce-demo-2026"
    if password:
        sign_in_page(page, live_server, people[role], password)
    else:
        sign_in_page(page, live_server, people[role])
    # the footer's pages are not followed from links; the statement is checked for everyone
    queue, seen, problems = ["/", "/accessibility"], set(), []
    while queue and len(seen) < MOST_PAGES:
        path = queue.pop(0)
        if _kind(path) in seen:
            continue
        seen.add(_kind(path))
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(f"{live_server}{path}")
        if response is None or response.status >= 400 or not page.url.startswith(live_server):
            continue
        _check(page, problems, path)
        queue += [link for link in _links(page, live_server) if _kind(link) not in seen]
    assert len(seen) >= 5, seen
    assert problems == [], problems


def test_on_a_phone_the_review_page_is_one_column_with_large_choices(page, live_server,
                                                                    people):
    sign_in_page(page, live_server, people["coteacher"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/reviews")
    page.locator("main a[href^='/reviews/']:not([href*='practice'])").first.click()
    case = page.locator("section[aria-labelledby='case-h']").bounding_box()
    rubric = page.locator("section[aria-labelledby='rubric-h']").bounding_box()
    assert rubric["y"] >= case["y"] + case["height"], "the statements come after the case"
    assert rubric["width"] > 300 and case["width"] > 300
    choice = page.locator(".criterion .radio").first.bounding_box()
    assert choice["height"] >= 44 and choice["width"] >= 44


def test_the_whole_programme_reports_page_fits_a_phone_while_made_ready_and_failed(
        page, live_server, world):  # noqa: F811
    """The job page is reached through a button (a post), so the walk above does not find
    it: one job in each state, for the educator's programme."""
    from webapp.models import Membership, ReportJob

    app = world["app"]
    with app.app_context():
        programme_id = db.session.scalar(select(Membership.programme_id).join(
            Account, Account.id == Membership.account_id).where(
            Account.email_key == world["educator"], Membership.programme_id.is_not(None)))
        jobs = [ReportJob(kind="programme_report", subject_id=programme_id, k=5,
                          data_version=f"phone-{state}", state=state, **extra)
                for state, extra in (
                    ("running", {"parts_done": 12, "parts_total": 28}),
                    ("done", {"file_name": "r.pdf", "file_size": 4_200_000,
                              "file_data": b"%PDF-1.7", "finished_at": now()}),
                    ("failed", {"error": "The report stopped several times before it was "
                                         "finished. Try again."}))]
        db.session.add_all(jobs)
        db.session.commit()
        paths = [f"/programmes/{programme_id}/reports/jobs/{job.id}" for job in jobs]
        db.session.remove()
    sign_in_page(page, live_server, world["educator"])
    problems = []
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.goto(f"{live_server}{path}").status == 200
        _check(page, problems, path)
    assert problems == [], problems
