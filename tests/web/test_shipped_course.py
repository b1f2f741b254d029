"""The course as shipped loads into the app and every page of it opens for a learner."""

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from webapp.extensions import db
from webapp.models import GuideVersionRow, ModuleVersionRow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course(app, world):
    result = app.test_cli_runner().invoke(args=["content", "load", str(ROOT)])
    assert result.exit_code == 0, result.output
    return world


def test_every_lesson_case_and_check_page_of_the_course_opens(app, course):
    client = app.test_client()
    assert sign_in(client, "student@example.org").status_code == 302
    with app.app_context():
        modules = [(row.slug, row.version, row.content())
                   for row in db.session.scalars(select(ModuleVersionRow))]
    assert len(modules) >= 8
    for slug, version, module in modules:
        base = f"/modules/{slug}/{version}"
        page = client.get(base)
        assert page.status_code == 200, base
        assert module.title in page.get_data(as_text=True)
        for lesson in module.lessons:
            html = client.get(f"{base}/lessons/{lesson.id}").get_data(as_text=True)
            assert 'href="#ref-' in html, f"{base} {lesson.id} shows its citations as links"
        case = client.get(f"{base}/case")
        says = "påhittat" if module.language == "sv" else "fictional"
        assert case.status_code == 200 and says in case.get_data(as_text=True).lower()
        assert client.get(f"{base}/checks").status_code == 200


def test_guides_open_for_the_people_they_are_written_for(app, course):
    with app.app_context():
        guides = {row.slug: row.content() for row in db.session.scalars(select(GuideVersionRow))}
    assert "patient-partner-welcome" in guides
    client = app.test_client()
    assert sign_in(client, "partner@example.org").status_code == 302
    listing = client.get("/guides").get_data(as_text=True)
    assert guides["patient-partner-welcome"].title in listing
