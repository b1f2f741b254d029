"""Every page asks the database a fixed number of questions, whatever the size of the
programme: no page runs one query per group, case, review or entry (an "N+1").

The pages are the page benchmark's (``bench.pages``: every GET page of every journey, as the
role that reaches it, on a realistic object), on its synthetic programme built small and then
three times larger: two groups a cohort and then six, two assignments a cohort and then four,
more saved versions, entries of time and audit events. Each page is asked once to warm up,
then its statements are counted; the counts must be the same at both sizes.

A GET endpoint of the app must be counted here or have a reason it needs no count
(``NO_COUNT``), so a new page gets its count.
"""

from __future__ import annotations

from sqlalchemy import event

from bench.pages import DOWNLOADS, NOT_MEASURED, PAGES, build_world, sign_in_all
from tests.conftest import ROOT
from webapp.extensions import db

#: Downloads whose statements are not counted here, and why.
NO_COUNT = {
    **NOT_MEASURED,
    "reports.module_report_pdf": "reads what its page reads (counted), then renders a PDF",
    "reports.cohort_report_pdf": "reads what its page reads (counted), then renders a PDF",
    "review.certificate": "one PDF of a person's own entries of time, read as their "
                          "contributions page reads them (counted)",
    "learn.module_pdf": "course content only: no programme data is read",
    "learn.case_large_print": "course content only: no programme data is read",
    "learn.guide_large_print": "course content only: no programme data is read",
}

COUNTED = [page for page in PAGES + DOWNLOADS if page.endpoint not in NO_COUNT]

SMALL = {"programme": {"learners": 200, "groups": 40, "module_versions": 6, "answers": 500,
                       "reviews": 200},
         "objects": {"saves": 3, "contributions": 2, "audit_events": 50, "learning_log": 2}}
LARGE = {"programme": {"learners": 600, "groups": 120, "module_versions": 10, "answers": 1500,
                       "reviews": 1200},
         "objects": {"saves": 9, "contributions": 6, "audit_events": 150,
                     "learning_log": 6}}


def _empty(app) -> None:
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


def _counts(app, sizes: dict) -> dict:
    """Statements of one request of each counted page, after a warm-up request."""
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    world = build_world(app, **sizes)
    clients = sign_in_all(app, world)
    with app.app_context():
        engine = db.engine
    seen: list[int] = []
    listener = lambda *_a: seen.append(1)  # noqa: E731
    counts = {}
    for page in COUNTED:
        client, path = clients[page.role], page.path.format(**world)
        assert client.get(path).status_code == 200, (page, path)
        seen.clear()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200, (page, path)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts[(page.endpoint, page.role, page.path)] = len(seen)
    return counts


def test_no_page_asks_more_questions_of_a_larger_programme(app):
    small = _counts(app, SMALL)
    _empty(app)
    large = _counts(app, LARGE)
    grew = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert grew == {}, f"statements (small, three times larger) that changed: {grew}"


def test_every_get_endpoint_is_counted_or_says_why_not(app):
    counted = {page.endpoint for page in COUNTED}
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    missing = sorted(endpoints - counted - set(NO_COUNT))
    assert missing == [], f"GET endpoints with no statement count and no reason: {missing}"
    assert sorted(set(NO_COUNT) - endpoints) == [], "reasons for endpoints that are gone"
    assert counted & set(NO_COUNT) == set()
