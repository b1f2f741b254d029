"""The accessibility statement comes from a file a programme edits, and "report a barrier"
reaches the programme's named contact (or the site's administrators) through the outbox."""

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, signed_in
from webapp.extensions import db
from webapp.models import Account, Outbox, Programme


def _report(client, **fields):
    page = client.get("/accessibility").get_data(as_text=True)
    data = {"doing": "Rate a statement", "barrier": "The buttons are too small to tap.",
            "page": "/reviews/1", "reply_to": "", **fields}
    return client.post("/accessibility", data=dict(data, csrf_token=csrf_from(page)))


def _sent():
    return db.session.scalars(select(Outbox).where(Outbox.kind == "barrier")).all()


def test_the_statement_is_read_from_the_file_a_programme_edits(app, world, tmp_path):
    page = app.test_client().get("/accessibility?from=/reviews")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "WCAG 2.2" in text and "EN 301 549" in text
    assert "Last reviewed" in text and 'value="/reviews"' in text
    own = tmp_path / "statement.md"
    own.write_text("# Our statement\n\nReviewed by <script>x</script> us on 1 May 2027.\n")
    app.config["ACCESSIBILITY_STATEMENT"] = str(own)
    try:
        text = app.test_client().get("/accessibility").get_data(as_text=True)
    finally:
        app.config["ACCESSIBILITY_STATEMENT"] = ""
    assert "<h1>Our statement</h1>" in text and "<title>Our statement" in text
    assert "1 May 2027" in text and "<script>x" not in text


def test_a_barrier_reaches_the_named_contact(app, world):
    with app.app_context():
        programme = db.session.get(Programme, world.ids["P"])
        programme.contact_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "educator@example.org"))
        db.session.commit()
    client = signed_in(app, "partner@example.org")  # in the programme through a cohort
    answer = _report(client, reply_to="partner@example.org")
    assert answer.status_code == 303
    thanks = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "went to your programme’s named contact" in thanks
    assert "educator@example.org" not in thanks
    with app.app_context():
        sent = _sent()
        assert [m.to_address for m in sent] == ["educator@example.org"]
        assert "The buttons are too small to tap." in sent[0].body
        assert "partner@example.org" in sent[0].body


def _admins():
    return set(db.session.scalars(select(Account.email).where(Account.admin.is_(True))))


@pytest.mark.parametrize("who", [None, "outsider@example.org", "partner@example.org"])
def test_without_a_contact_or_signed_out_it_goes_to_the_administrators(app, world, who):
    client = signed_in(app, who) if who else app.test_client()
    answer = _report(client)
    assert answer.status_code == 303
    thanks = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "went to the people who run this site" in thanks
    with app.app_context():
        admins = _admins()
        assert {m.to_address for m in _sent()} == admins and admins
        assert not any(address in thanks for address in admins)


def test_the_page_it_happened_on_comes_from_this_site_only(app, world):
    client = app.test_client()
    own = client.get("/accessibility", headers={"Referer": "http://localhost/reviews/7?x=1"})
    assert 'value="/reviews/7?x=1"' in own.get_data(as_text=True)
    other = client.get("/accessibility", headers={"Referer": "https://elsewhere.example/a"})
    assert 'value="/a"' not in other.get_data(as_text=True)
    assert 'value="//elsewhere.example"' not in client.get(
        "/accessibility?from=//elsewhere.example").get_data(as_text=True)


def test_a_missing_statement_file_still_gives_the_form(app, world, tmp_path):
    app.config["ACCESSIBILITY_STATEMENT"] = str(tmp_path / "gone.md")
    try:
        page = app.test_client().get("/accessibility")
    finally:
        app.config["ACCESSIBILITY_STATEMENT"] = ""
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "not available just now" in text
    assert "Report a barrier" in text


@pytest.mark.parametrize("fields, message", [
    ({"doing": ""}, "Say what you were trying to do."),
    ({"barrier": "x" * 2001}, "Write at most 2,000 characters here."),
    ({"reply_to": "not an address"}, "Enter an email address like"),
])
def test_bad_reports_are_explained_and_nothing_is_sent(app, world, fields, message):
    answer = _report(app.test_client(), **fields)
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    with app.app_context():
        assert _sent() == []


def test_a_browser_sends_at_most_five_an_hour(app, world):
    client = app.test_client()
    for _ in range(5):
        assert _report(client).status_code == 303
    sixth = _report(client)
    assert sixth.status_code == 429 and "wait a little" in sixth.get_data(as_text=True)
    with app.app_context():
        assert len(_sent()) == 5 * len(_admins())


def test_a_report_without_the_form_token_is_refused(app, world):
    answer = app.test_client().post("/accessibility", data={"doing": "x", "barrier": "y"})
    assert answer.status_code in (400, 401, 403)
    with app.app_context():
        assert _sent() == []
