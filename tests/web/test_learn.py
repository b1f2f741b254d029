"""Module catalogue, reader, progress, knowledge checks, guides, versions and PDF."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import csrf_from, signed_in
from webapp.extensions import db
from webapp.models import KnowledgeCheckAttempt

VALID = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid"
BASE = "/modules/example-module/1.0.0"


@pytest.fixture
def published(app, world, tmp_path):
    """The worked example, plus a 1.1.0 of its module with one changed objective."""
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    new = root / "content" / "example-module" / "1.1.0"
    shutil.copytree(root / "content" / "example-module" / "1.0.0", new)
    toml = new / "module.toml"
    toml.write_text(toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"')
                    .replace("Name the nine parts", "Name and explain the nine parts")
                    .replace("minutes = 45",
                             'minutes = 45\nchanges = "A clearer first objective."'))
    result = app.test_cli_runner().invoke(args=["content", "load", str(root)])
    assert result.exit_code == 0, result.output
    return world



def test_catalogue_shows_the_newest_version_with_its_objectives(app, published):
    page = signed_in(app, "student@example.org").get("/modules").get_data(as_text=True)
    assert "An example module" in page and "Version 1.1.0" in page
    assert "Earlier versions: 1.0.0" in page
    assert "Name and explain the nine parts" in page


def test_content_is_for_members_only(app, published):
    assert signed_in(app, "outsider@example.org").get("/modules").status_code == 403
    assert app.test_client().get(BASE).status_code == 302


def test_lesson_renders_markdown_with_linked_citations_and_references(app, published):
    page = signed_in(app, "student@example.org").get(f"{BASE}/lessons/why-together")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h2>A service is made by two people</h2>" in html
    assert '<a href="#ref-batalden2016" rel="noopener noreferrer">(Batalden M et al. 2016)</a>' \
        in html
    assert 'id="ref-batalden2016"' in html and "BMJ Qual Saf 2016" in html
    assert "Required reading</strong> · Free to read · In English" in html, \
        "a reading says whether it is required, free to read and its language"


def test_reading_progress_is_remembered(app, published):
    client = signed_in(app, "student@example.org")
    assert "0 of 1 lessons read" in client.get(BASE).get_data(as_text=True)
    lesson = client.get(f"{BASE}/lessons/why-together")
    done = client.post(f"{BASE}/lessons/why-together",
                       data={"csrf_token": csrf_from(lesson.get_data(as_text=True))})
    assert done.status_code == 302 and done.headers["Location"] == BASE
    assert "1 of 1 lessons read" in client.get(BASE).get_data(as_text=True)
    # another person's progress is their own
    assert "0 of 1 lessons read" in signed_in(app, "partner@example.org").get(BASE).get_data(
        as_text=True)


def test_unknown_module_version_or_lesson_is_not_found(app, published):
    client = signed_in(app, "student@example.org")
    assert client.get("/modules/example-module/9.9.9").status_code == 404
    assert client.get(f"{BASE}/lessons/nope").status_code == 404


def _answer(client, option, item="first-part"):
    page = client.get(f"{BASE}/checks")
    return client.post(f"{BASE}/checks/{item}", data={
        "option": option, "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_knowledge_check_explains_at_once_and_allows_retries(app, published):
    client = signed_in(app, "student@example.org")
    wrong = _answer(client, "1")
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "Not quite." in text
    assert "they come ninth" in text  # the chosen option's explanation
    right = _answer(client, "0")
    text = right.get_data(as_text=True)
    assert "Right." in text and "You have tried this 2 times." in text
    with app.app_context():
        attempts = db.session.scalars(db.select(KnowledgeCheckAttempt)
                                      .order_by(KnowledgeCheckAttempt.id)).all()
        assert [a.correct for a in attempts] == [False, True]


@pytest.mark.parametrize("option", ["", "7", "abc", "-1"])
def test_bad_answers_are_explained_not_saved(app, published, option):
    client = signed_in(app, "student@example.org")
    response = _answer(client, option)
    assert response.status_code == 400
    assert "Choose one of the answers." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(KnowledgeCheckAttempt)).all() == []


def test_answering_an_item_that_does_not_exist_is_not_found(app, published):
    assert _answer(signed_in(app, "student@example.org"), "0", "no-such-item").status_code == 404


def test_case_brief_shows_all_nine_parts_with_voice_and_links(app, published):
    page = signed_in(app, "partner@example.org").get(f"{BASE}/case").get_data(as_text=True)
    assert page.count('<li id="part-') == 9
    assert "Patient partners speak as the person in this brief" in page
    assert "This case mentions a hospital stay." in page
    assert "Who speaks first: the patient partner" in page


def test_guides_are_shown_to_the_roles_they_are_for(app, published):
    partner = signed_in(app, "partner@example.org")
    assert "Welcome, patient partner" in partner.get("/guides").get_data(as_text=True)
    assert partner.get("/guides/example-guide/1.0.0/welcome").status_code == 200
    educator = signed_in(app, "educator@example.org")
    assert educator.get("/guides/example-guide/1.0.0/welcome").status_code == 200
    student = signed_in(app, "student@example.org")
    assert "Welcome, patient partner" not in student.get("/guides").get_data(as_text=True)
    assert student.get("/guides/example-guide/1.0.0/welcome").status_code == 403


def test_educators_compare_versions_side_by_side(app, published):
    educator = signed_in(app, "educator@example.org")
    history = educator.get("/modules/example-module/versions").get_data(as_text=True)
    assert "A clearer first objective." in history
    page = educator.get("/modules/example-module/compare?old=1.0.0&new=1.1.0")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "changed" in html and "Name and explain the nine parts" in html
    assert 'class="del"' in html and 'class="ins"' in html
    assert educator.get("/modules/example-module/compare?old=1.0.0&new=7.0.0").status_code == 400
    assert signed_in(app, "student@example.org").get(
        "/modules/example-module/versions").status_code == 403


def test_module_downloads_as_a_pdf(app, published):
    response = signed_in(app, "student@example.org").get(f"{BASE}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_pdf_rendering_fetches_no_local_files(app, tmp_path):
    import weasyprint

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    html = (f'<html><head><link rel="attachment" href="file://{secret}">'
            f'<link rel="stylesheet" href="file://{secret}"></head>'
            f'<body><img src="file://{secret}"><p>Hello</p></body></html>')
    # WeasyPrint on its own would embed the file ...
    assert b"TOP-SECRET-CONTENT" in weasyprint.HTML(string=html).write_pdf(
        uncompressed_pdf=True)
    # ... the app's renderer does not.
    from webapp.pdf import render_pdf

    with app.app_context():
        pdf = render_pdf(html.replace("<body>", "<body>"))
    assert pdf.startswith(b"%PDF") and b"TOP-SECRET" not in pdf and b"EmbeddedFile" not in pdf


def test_module_pdf_is_rendered_once_and_then_served_from_cache(app, published, monkeypatch,
                                                               tmp_path):
    import webapp.pdf

    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path))
    client = signed_in(app, "student@example.org")
    first = client.get(f"{BASE}.pdf").data
    calls = []
    monkeypatch.setattr(webapp.pdf, "render_pdf", lambda html: calls.append(1) or b"%PDF-x")
    assert client.get(f"{BASE}.pdf").data == first
    assert calls == []
    client.get("/modules/example-module/1.1.0.pdf")  # another version is its own PDF
    assert calls == [1]


def test_the_assign_form_shows_each_module_summary_and_what_changed(app, published):
    page = signed_in(app, "educator@example.org").get(
        f"/cohorts/{published.ids['C']}/assignments/new").get_data(as_text=True)
    assert "The modules you can choose" in page
    assert "What changed in version 1.1.0: A clearer first objective." in page


def test_educators_read_the_session_plan_with_its_totals_learners_do_not(app, published):
    educator = signed_in(app, "educator@example.org")
    overview = educator.get(BASE).get_data(as_text=True)
    assert f"{BASE}/plan" in overview
    page = educator.get(f"{BASE}/plan").get_data(as_text=True)
    assert "Week 2: Plan together" in page and "In person · 30 minutes" in page
    assert "0.8 hours of work" in page and "1 session, 1.0 hours" in page
    assert "Read the case brief (10 minutes). Travel is paid as agreed." in page
    assert "If someone misses it" in page and "Why we learn together" in page
    student = signed_in(app, "student@example.org")
    assert f"{BASE}/plan" not in student.get(BASE).get_data(as_text=True)
    assert student.get(f"{BASE}/plan").status_code == 403
