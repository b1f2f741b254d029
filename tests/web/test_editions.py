"""A module's edition in another language: its versions page says which version it follows,
and comparing versions speaks the reader's language around the course text."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import ROOT, signed_in
from webapp.extensions import db
from webapp.models import Account


def _swedish_student(app, world):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.scalar(select(Account).where(
            Account.email == "educator@example.org")).language = "sv"
        db.session.commit()
    return signed_in(app, "educator@example.org")


def test_the_edition_says_which_version_it_follows(app, world):
    student = _swedish_student(app, world)
    page = student.get("/modules/services-are-coproduced-sv/versions").get_data(as_text=True)
    assert "Den här utgåvan följer" in page
    assert re.search(r'<span lang="en">Services are coproduced</span> 1\.2\.0 \(English\)', page)


def test_comparing_versions_in_swedish(app, world):
    student = _swedish_student(app, world)
    page = student.get("/modules/services-are-coproduced/compare?old=1.0.0&new=1.2.0")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Lektion “" in html
    for english in ("Lesson “", "Objective “", "About the module", "Week 1:", "Who does what"):
        assert english not in html, english
    assert '<table class="diff" lang="en">' in html  # the course text stays English, marked so
