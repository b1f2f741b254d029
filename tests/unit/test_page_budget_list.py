"""The page benchmark budgets every GET page: each GET endpoint of the app is measured (a page
held to the budget, or a download measured on its own) or named with the reason it is not."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from bench.pages import DOWNLOADS, NOT_MEASURED, PAGES  # noqa: E402
from webapp import create_app  # noqa: E402


def _get_endpoints() -> set[str]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_every_get_endpoint_is_measured_or_says_why_not():
    measured = {page.endpoint for page in PAGES + DOWNLOADS}
    endpoints = _get_endpoints()
    assert sorted(endpoints - measured - set(NOT_MEASURED)) == [], "add them to bench/pages.py"
    assert sorted((measured | set(NOT_MEASURED)) - endpoints) == [], "no such endpoint"
    assert measured & set(NOT_MEASURED) == set()


def test_downloads_are_files_and_pages_are_not():
    files = (".pdf", ".csv", ".zip", ".ics", "/file")  # a finished job's file, its own type
    assert all(page.path.split("?")[0].endswith(files) for page in DOWNLOADS)
    assert not any(page.path.split("?")[0].endswith(files) for page in PAGES)
