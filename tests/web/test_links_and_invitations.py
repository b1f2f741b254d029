"""Password reset, sign-in by emailed link, invitations, and the mail outbox."""

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import (
    PASSWORD,
    csrf_from,
    make_account,
    outbox_links,
    path_of,
    post_form,
    sign_in,
)
from webapp.extensions import db
from webapp.models import Account, GroupMember, Invitation, Membership, OneTimeLink, Outbox

NEW_PASSWORD = "meadow-copper-violin-88"


def _account(app, email="ann@example.org", **kw):
    with app.app_context():
        make_account(email, "Ann Example", **kw)
        db.session.commit()


def test_password_reset_sets_a_new_password_once(app, client):
    _account(app)
    page = post_form(client, "/forgot-password", {"email": "ann@example.org"})
    assert "Check your email" in page.get_data(as_text=True)
    [link] = outbox_links(app, "reset")
    form = client.get(path_of(link))
    assert form.status_code == 200
    done = client.post(path_of(link), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                            "csrf_token": csrf_from(form.get_data(as_text=True))})
    assert done.status_code == 302
    assert sign_in(app.test_client(), "ann@example.org", NEW_PASSWORD).status_code == 302
    assert sign_in(app.test_client(), "ann@example.org", PASSWORD).status_code == 400
    again = client.get(path_of(link))
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)


def test_a_reset_stops_every_other_reset_link_for_the_account(app, client):
    _account(app)
    for _ in range(3):
        post_form(client, "/forgot-password", {"email": "ann@example.org"})
    older, middle, used = outbox_links(app, "reset")
    form = client.get(path_of(used))
    done = client.post(path_of(used), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                            "csrf_token": csrf_from(form.get_data(as_text=True))})
    assert done.status_code == 302
    for stale in (older, middle):
        other = app.test_client()
        page = other.get(path_of(stale))
        assert page.status_code == 410 and "Ask for a new link" in page.get_data(as_text=True)
        token = csrf_from(other.get("/forgot-password").get_data(as_text=True))
        refused = other.post(path_of(stale), data={"password": "another-fresh-phrase-55",
                                                   "confirm": "another-fresh-phrase-55",
                                                   "csrf_token": token})
        assert refused.status_code == 410
    assert sign_in(app.test_client(), "ann@example.org", NEW_PASSWORD).status_code == 302


def test_changing_the_password_also_stops_outstanding_reset_links(app, client):
    _account(app)
    post_form(app.test_client(), "/forgot-password", {"email": "ann@example.org"})
    [link] = outbox_links(app, "reset")
    sign_in(client, "ann@example.org")
    changed = post_form(client, "/account/password", {
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert app.test_client().get(path_of(link)).status_code == 410


def test_reset_ends_every_earlier_sign_in(app):
    _account(app)
    laptop = app.test_client()
    sign_in(laptop, "ann@example.org")
    post_form(app.test_client(), "/forgot-password", {"email": "ann@example.org"})
    [link] = outbox_links(app, "reset")
    phone = app.test_client()
    form = phone.get(path_of(link))
    phone.post(path_of(link), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                    "csrf_token": csrf_from(form.get_data(as_text=True))})
    assert laptop.get("/").status_code == 302


def test_reset_refuses_a_weak_password_and_keeps_the_link_usable(app, client):
    _account(app)
    post_form(client, "/forgot-password", {"email": "ann@example.org"})
    [link] = outbox_links(app, "reset")
    for weak in ["short", "password1234", "aaaaaaaaaaaaaaaa", "ann@example.org1"]:
        form = client.get(path_of(link))
        bad = client.post(path_of(link), data={"password": weak, "confirm": weak,
                                               "csrf_token": csrf_from(form.get_data(
                                                   as_text=True))})
        assert bad.status_code == 400, weak
    assert client.get(path_of(link)).status_code == 200


def test_unknown_email_gets_the_same_answer_and_no_mail(app, client):
    page = post_form(client, "/forgot-password", {"email": "nobody@example.org"})
    assert "Check your email" in page.get_data(as_text=True)
    assert outbox_links(app) == []


def test_expired_and_tampered_links_get_a_page_that_says_what_to_do(app, client):
    _account(app)
    post_form(client, "/sign-in-link", {"email": "ann@example.org"})
    [link] = outbox_links(app, "signin")
    tampered = client.get(path_of(link)[:-3] + "xyz")
    assert tampered.status_code == 410
    assert "not valid" in tampered.get_data(as_text=True)
    with app.app_context():
        for row in db.session.scalars(select(OneTimeLink)):
            row.expires_at -= timedelta(hours=3)
        db.session.commit()
    expired = client.get(path_of(link))
    assert expired.status_code == 410
    text = expired.get_data(as_text=True)
    assert "expired" in text and "Get a new sign-in link" in text


def test_sign_in_link_signs_in_on_button_press_only(app, client):
    _account(app, password=None)
    post_form(client, "/sign-in-link", {"email": "ann@example.org"})
    [link] = outbox_links(app, "signin")
    opened = client.get(path_of(link))  # a mail scanner opening the link uses nothing up
    assert client.get(path_of(link)).status_code == 200
    assert client.get("/").status_code == 302
    pressed = client.post(path_of(link),
                          data={"csrf_token": csrf_from(opened.get_data(as_text=True))})
    assert pressed.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get(path_of(link)).status_code == 410


def test_links_are_stored_only_as_hashes(app, client):
    _account(app)
    post_form(client, "/sign-in-link", {"email": "ann@example.org"})
    [link] = outbox_links(app, "signin")
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(OneTimeLink.token_hash)).one()
    assert token not in stored and len(stored) == 64


def _invite(app, world, email="newcomer@example.org", role="patient_partner", group="G1"):
    educator = app.test_client()
    sign_in(educator, "educator@example.org")
    response = post_form(educator, f"/cohorts/{world.ids['C']}/invite",
                         {"email": email, "role": role,
                          "group_id": str(world.ids[group]) if group else "0"})
    return response


def test_invited_patient_partner_joins_with_an_emailed_link_and_no_password(app, world):
    assert _invite(app, world).status_code == 302
    [link] = outbox_links(app, "invitation")
    with app.app_context():
        body = db.session.scalars(select(Outbox.body)).one()
    assert "do not need a work or university account" in body
    patient = app.test_client()
    form = patient.get(path_of(link))
    assert form.status_code == 200 and "Cohort Own" in form.get_data(as_text=True)
    joined = patient.post(path_of(link), data={
        "display_name": "Nia Newcomer", "how": "link",
        "csrf_token": csrf_from(form.get_data(as_text=True))})
    assert joined.status_code == 302
    home = patient.get("/").get_data(as_text=True)
    assert "Meet your group: Group One" in home
    with app.app_context():
        account = db.session.scalars(select(Account).where(
            Account.email_key == "newcomer@example.org")).one()
        assert account.password_hash is None
        assert db.session.scalar(select(func.count(GroupMember.id)).where(
            GroupMember.account_id == account.id)) == 1
        assert db.session.scalars(select(Membership.role).where(
            Membership.account_id == account.id)).one() == "patient_partner"
    reused = app.test_client().get(path_of(link))
    assert reused.status_code == 410 and "already been accepted" in reused.get_data(as_text=True)


def test_the_invitation_names_the_programme_contact_when_there_is_one(app, world):
    from webapp.models import Programme

    with app.app_context():
        programme = db.session.get(Programme, world.ids["P"])
        programme.contact_id = db.session.scalar(select(Account.id).where(
            Account.email_key == "educator@example.org"))
        programme.contact_details = "Phone 555 0100"
        db.session.commit()
    assert _invite(app, world).status_code == 302
    with app.app_context():
        body = db.session.scalars(select(Outbox.body)).one()
    assert "Your named contact at Programme One is Educator." in body
    assert "How to reach them: Phone 555 0100" in body


def test_invitation_with_a_password_checks_it(app, world):
    _invite(app, world, role="student")
    [link] = outbox_links(app, "invitation")
    person = app.test_client()
    form = person.get(path_of(link))
    token = csrf_from(form.get_data(as_text=True))
    weak = person.post(path_of(link), data={"display_name": "Sol", "how": "password",
                                            "password": "password1234",
                                            "confirm": "password1234", "csrf_token": token})
    assert weak.status_code == 400
    assert "commonly used" in weak.get_data(as_text=True) or "easy to guess" in weak.get_data(
        as_text=True)
    ok = person.post(path_of(link), data={"display_name": "Sol", "how": "password",
                                          "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                          "csrf_token": token})
    assert ok.status_code == 302
    assert sign_in(app.test_client(), "newcomer@example.org", NEW_PASSWORD).status_code == 302


def test_existing_account_joins_another_cohort_without_a_new_account(app, world):
    _invite(app, world, email="far@example.org", role="student", group="G2")
    [link] = outbox_links(app, "invitation")
    person = app.test_client()
    form = person.get(path_of(link))
    assert "already have an account" in form.get_data(as_text=True)
    person.post(path_of(link), data={"csrf_token": csrf_from(form.get_data(as_text=True))})
    with app.app_context():
        assert db.session.scalar(select(func.count(Account.id)).where(
            Account.email_key == "far@example.org")) == 1
    assert person.get(f"/groups/{world.ids['G2']}").status_code == 200


def test_expired_invitation_says_to_ask_for_a_new_one(app, world):
    _invite(app, world)
    [link] = outbox_links(app, "invitation")
    with app.app_context():
        for row in db.session.scalars(select(Invitation)):
            row.expires_at -= timedelta(days=15)
        db.session.commit()
    page = app.test_client().get(path_of(link))
    assert page.status_code == 410
    assert "Ask the person who invited you" in page.get_data(as_text=True)


def test_invitation_form_rejects_bad_input_without_saving(app, world):
    for email, role, group in [("", "student", "G1"), ("not-an-email", "student", "G1"),
                               ("a@example.org", "wizard", "G1"),
                               ("a@example.org", "lead", "G1"),
                               ("x" * 300 + "@example.org", "student", None)]:
        response = _invite(app, world, email=email, role=role, group=group)
        assert response.status_code == 400, (email, role)
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
        assert db.session.scalar(select(func.count(Outbox.id))) == 0


def test_send_mail_prints_queued_mail_and_marks_it_sent(app, world):
    _invite(app, world)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0
    assert "newcomer@example.org" in result.output and "/invite/" in result.output
    assert "1 sent, 0 failed" in result.output
    again = runner.invoke(args=["send-mail"])
    assert "0 sent" in again.output


def test_failed_smtp_keeps_mail_queued(app, world, monkeypatch):
    _invite(app, world)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # nothing listens here
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1 and "0 sent, 1 failed" in result.output
    with app.app_context():
        row = db.session.scalars(select(Outbox)).one()
        assert row.sent_at is None and row.attempts == 1 and row.last_error
