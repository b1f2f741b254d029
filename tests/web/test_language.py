"""Pages and mail in English or Swedish: the person's choice, else their programme's default,
else what their browser asks for; mail in its recipient's language."""

from sqlalchemy import select

from tests.conftest import csrf_from, make_account, post_form, sign_in
from webapp.extensions import db
from webapp.models import Account, Outbox, Programme

SWEDISH = {"HTTP_ACCEPT_LANGUAGE": "sv-SE,sv;q=0.9,en;q=0.5"}


def _lang(page) -> str:
    html = page.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def _choose(client, code, back="/help"):
    page = client.get(back)
    return client.post("/language", data={"language": code, "next": back,
                                          "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_a_browser_asking_for_swedish_gets_swedish_pages(client):
    page = client.get("/sign-in", environ_base=SWEDISH)
    assert _lang(page) == "sv"
    assert "Logga in" in page.get_data(as_text=True)
    assert _lang(client.get("/sign-in")) == "en"


def test_the_header_switch_changes_the_language_and_comes_back_to_the_page(client):
    answer = _choose(client, "sv", "/accessibility")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/accessibility")
    page = client.get("/accessibility")
    assert _lang(page) == "sv"
    html = page.get_data(as_text=True)
    assert "Sidorna är nu på svenska." in html
    # the switch now offers English, named in English
    assert 'lang="en">English</button>' in html
    _choose(client, "en", "/accessibility")
    assert _lang(client.get("/accessibility", environ_base=SWEDISH)) == "en"


def test_a_signed_in_choice_is_kept_on_the_account_for_every_browser(app, world, client):
    sign_in(client, "student@example.org")
    _choose(client, "sv", "/")
    with app.app_context():
        assert db.session.scalar(select(Account.language).where(
            Account.email == "student@example.org")) == "sv"
    elsewhere = app.test_client()
    sign_in(elsewhere, "student@example.org")
    assert _lang(elsewhere.get("/")) == "sv"


def test_the_programme_default_comes_before_the_browser_and_after_the_person(app, world):
    with app.app_context():
        db.session.get(Programme, world.ids["P"]).language = "sv"
        db.session.commit()
    client = app.test_client()
    sign_in(client, "student@example.org")
    assert _lang(client.get("/")) == "sv"  # the browser asks for nothing
    assert _lang(client.get("/", environ_base={"HTTP_ACCEPT_LANGUAGE": "en"})) == "sv"
    _choose(client, "en", "/")
    assert _lang(client.get("/")) == "en"
    far = app.test_client()  # a student of the other programme keeps the browser's language
    sign_in(far, "far@example.org")
    assert _lang(far.get("/")) == "en"


def test_an_unknown_language_or_a_foreign_return_address_is_refused_plainly(client):
    page = client.get("/help")
    token = csrf_from(page.get_data(as_text=True))
    answer = client.post("/language", data={"language": "xx", "next": "/help",
                                            "csrf_token": token})
    assert answer.status_code == 303
    assert "Choose English or Svenska." in client.get("/help").get_data(as_text=True)
    assert _lang(client.get("/help")) == "en"
    away = client.post("/language", data={"language": "sv", "next": "https://evil.example/",
                                          "csrf_token": token})
    assert away.status_code == 303 and "evil" not in away.headers["Location"]


def test_the_switch_needs_the_page_token(client):
    assert client.post("/language", data={"language": "sv", "next": "/help"}).status_code == 400
    assert _lang(client.get("/help")) == "en"


def test_mail_goes_out_in_the_recipients_language(app, client):
    with app.app_context():
        make_account("sven@example.org", "Sven").language = "sv"
        make_account("ann@example.org", "Ann")
        db.session.commit()
    for email in ("sven@example.org", "ann@example.org"):
        post_form(client, "/forgot-password", {"email": email})
    with app.app_context():
        sven, ann = db.session.scalars(select(Outbox).order_by(Outbox.id)).all()
    assert sven.to_address == "sven@example.org" and ann.to_address == "ann@example.org"
    assert "Coproduce" in sven.subject and sven.subject != ann.subject
    assert ann.subject == "Set a new Coproduce password"
    assert "Hej" in sven.body and "Hello" in ann.body


def test_the_programme_language_is_a_setting_its_educators_change(app, world, client):
    sign_in(client, "educator@example.org")
    path = f"/programmes/{world.ids['P']}/settings"
    answer = post_form(client, path, {"time_zone": "Europe/Stockholm", "language": "sv",
                                      "contact_id": "0"})
    assert answer.status_code == 303
    with app.app_context():
        assert db.session.get(Programme, world.ids["P"]).language == "sv"
    bad = post_form(client, path, {"time_zone": "Europe/Stockholm", "language": "klingon",
                                   "contact_id": "0"})
    assert bad.status_code == 400
    assert "Välj ett språk i listan." in bad.get_data(as_text=True)


def test_the_case_template_speaks_the_pages_language(app):
    from curriculum import template

    assert set(template.SWEDISH) == set(template.KEYS)
    for part in template.SECTIONS:  # the same parts, with as many questions
        assert len(part.words("sv").questions) == len(part.words("en").questions), part.key
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert template.BY_KEY["situation"].heading == "Situationen"
        assert template.BY_KEY["reflection"].questions[0] == "Vad är viktigast här, och för vem?"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert template.BY_KEY["situation"].heading == "Situation"
    assert template.BY_KEY["situation"].heading == "Situation"  # the command line: English


def test_a_module_says_which_language_it_is_written_in(app, world, client, tmp_path):
    import shutil
    from pathlib import Path

    from curriculum.loader import load_tree
    from webapp.teach.publishing import publish

    root = tmp_path / "tree"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid", root)
    toml = root / "content" / "example-module" / "1.0.0" / "module.toml"
    toml.write_text(toml.read_text().replace("minutes = 45", 'minutes = 45\nlanguage = "sv"', 1))
    with app.app_context():
        publish(db.session, load_tree(root))
        db.session.commit()
    sign_in(client, "educator@example.org")
    html = client.get("/modules").get_data(as_text=True)
    assert "Language: Svenska" in html and 'lang="sv"><a href="/modules/example-module' in html
    page = client.get("/modules/example-module/1.0.0").get_data(as_text=True)
    assert '<h1 lang="sv">' in page


def test_a_swedish_reader_is_welcomed_with_the_swedish_guide(app, world, tmp_path):
    import shutil
    from pathlib import Path

    root = tmp_path / "tree"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid", root)
    guides = root / "content" / "guides"
    shutil.copytree(guides / "example-guide", guides / "example-guide-sv")
    toml = guides / "example-guide-sv" / "1.0.0" / "guide.toml"
    toml.write_text(toml.read_text().replace('id = "example-guide"', 'id = "example-guide-sv"')
                    .replace('version = "1.0.0"', 'version = "1.0.0"\nlanguage = "sv"')
                    .replace('title = "Welcome, patient partner"',
                             'title = "Välkommen, patientpartner"'))
    result = app.test_cli_runner().invoke(args=["content", "load", str(root)])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    sign_in(client, "partner@example.org")
    english = client.get("/").get_data(as_text=True).split('id="welcome-h"')[1]
    assert "/guides/example-guide/1.0.0/welcome" in english.split("<a ")[1]
    swedish = client.get("/", environ_base=SWEDISH).get_data(as_text=True)
    assert "/guides/example-guide-sv/1.0.0/welcome" in swedish.split('id="welcome-h"')[1] \
        .split("<a ")[1]
    listed = client.get("/guides", environ_base=SWEDISH).get_data(as_text=True)
    assert listed.index("Välkommen, patientpartner") < listed.index("Welcome, patient partner")
    assert "Språk: Svenska" in listed
