"""Signing in and out, sign-in sessions and throttling of wrong passwords."""

from datetime import timedelta

from sqlalchemy import select, update

from tests.conftest import PASSWORD, csrf_from, make_account, sign_in
from webapp.extensions import db
from webapp.models import LoginSession


def _account(app, email="ann@example.org", **kw):
    with app.app_context():
        make_account(email, "Ann Example", **kw)
        db.session.commit()


def test_sign_in_reaches_home_and_sign_out_ends_it(app, client):
    _account(app)
    response = sign_in(client, "ANN@example.org")  # email is case-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Signed in as Ann Example" in home.get_data(as_text=True)
    token = csrf_from(home.get_data(as_text=True))
    out = client.post("/sign-out", data={"csrf_token": token})
    assert out.status_code == 302
    assert client.get("/").headers["Location"].startswith("/sign-in")


def test_cookie_replayed_after_sign_out_is_sent_to_sign_in(app, client):
    _account(app)
    sign_in(client, "ann@example.org")
    stolen = client.get_cookie("coproduce_session").value
    token = csrf_from(client.get("/").get_data(as_text=True))
    client.post("/sign-out", data={"csrf_token": token})

    thief = app.test_client()
    thief.set_cookie("coproduce_session", stolen)
    response = thief.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_cookie_carries_only_the_login_session_id(app, client):
    _account(app)
    sign_in(client, "ann@example.org")
    with app.app_context():
        login = db.session.scalars(select(LoginSession)).one()
    with client.session_transaction() as session:
        assert session["_user_id"] == login.id
        assert "ann@example.org" not in str(dict(session))


def test_wrong_password_shows_the_form_again_with_a_clear_error(app, client):
    _account(app)
    response = sign_in(client, "ann@example.org", "not the password at all")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "do not match" in page
    assert 'value="ann@example.org"' in page  # the email is kept
    assert "not the password at all" not in page  # the password is not echoed


def test_link_only_account_cannot_sign_in_with_any_password(app, client):
    _account(app, password=None)
    assert sign_in(client, "ann@example.org", "").status_code == 400
    assert sign_in(client, "ann@example.org", PASSWORD).status_code == 400


def test_thirty_wrong_passwords_do_not_lock_out_others_at_the_same_address(app, client):
    _account(app, "target@example.org")
    _account(app, "classmate@example.org")
    school = {"REMOTE_ADDR": "203.0.113.7"}
    statuses = {sign_in(client, "target@example.org", f"wrong-{i}", environ=school).status_code
                for i in range(30)}
    assert statuses == {400, 429}
    # The attacked account is throttled from that address, even with the right password...
    assert sign_in(client, "target@example.org", environ=school).status_code == 429
    # ...but a classmate behind the same address signs in at once.
    other = app.test_client()
    assert sign_in(other, "classmate@example.org", environ=school).status_code == 302


def test_throttled_sign_in_says_what_to_do(app, client):
    _account(app)
    for _ in range(5):
        sign_in(client, "ann@example.org", "wrong password here")
    page = sign_in(client, "ann@example.org").get_data(as_text=True)
    assert "Too many wrong passwords" in page and "Forgot your password?" in page


def test_throttle_is_kept_in_the_database_not_in_one_process(app):
    _account(app)
    for _ in range(5):
        sign_in(app.test_client(), "ann@example.org", "wrong password here")
    # a second app (another worker) over the same database sees the same count
    from tests.conftest import app_config
    from webapp import create_app

    other_worker = create_app(app_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    assert sign_in(other_worker.test_client(), "ann@example.org").status_code == 429


def test_next_only_goes_to_paths_on_this_site(app, client):
    _account(app)
    for target, expected in [("/groups/1", "/groups/1"), ("https://evil.example/", "/"),
                             ("//evil.example/x", "/"), ("/\\evil.example", "/")]:
        page = client.get(f"/sign-in?next={target}")
        token = csrf_from(page.get_data(as_text=True))
        response = client.post("/sign-in", data={"email": "ann@example.org",
                                                 "password": PASSWORD, "csrf_token": token,
                                                 "next": target})
        assert response.headers["Location"] == expected
        client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/").get_data(
            as_text=True))})


def _age_session(app, created=True, **delta):
    with app.app_context():
        for login in db.session.scalars(select(LoginSession)):
            login.last_seen_at -= timedelta(**delta)
            if created:
                login.created_at -= timedelta(**delta)
        db.session.commit()


def test_idle_sign_in_expires_after_thirty_minutes(app, client):
    _account(app)
    sign_in(client, "ann@example.org")
    _age_session(app, minutes=29)
    assert client.get("/").status_code == 200  # and this visit counts as activity
    _age_session(app, minutes=31)
    assert client.get("/").status_code == 302


def test_sign_in_ends_after_twelve_hours_however_active(app, client):
    _account(app)
    sign_in(client, "ann@example.org")
    for _ in range(25):  # active every half hour for twelve and a half hours
        _age_session(app, created=True, minutes=30)
        with app.app_context():
            for login in db.session.scalars(select(LoginSession)):
                login.last_seen_at += timedelta(minutes=30)
            db.session.commit()
    assert client.get("/").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(app, client):
    _account(app)
    sign_in(client, "ann@example.org")
    with app.app_context():
        first = db.session.scalars(select(LoginSession.last_seen_at)).one()
    client.get("/")
    with app.app_context():
        assert db.session.scalars(select(LoginSession.last_seen_at)).one() == first
    _age_session(app, minutes=2)
    client.get("/")
    with app.app_context():
        moved = db.session.scalars(select(LoginSession.last_seen_at)).one()
    assert moved > first - timedelta(minutes=1)


def test_deactivated_account_is_signed_out(app, client):
    _account(app)
    sign_in(client, "ann@example.org")
    with app.app_context():
        from webapp.models import Account

        db.session.execute(update(Account).values(active=False))
        db.session.commit()
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sign_ins_and_keeps_this_one(app):
    from tests.conftest import post_form

    _account(app)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "ann@example.org")
    sign_in(phone, "ann@example.org")
    old_cookie = laptop.get_cookie("coproduce_session").value
    wrong = post_form(laptop, "/account/password", {
        "current": "not my password", "password": "meadow-copper-violin-88",
        "confirm": "meadow-copper-violin-88"})
    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(
        as_text=True)
    changed = post_form(laptop, "/account/password", {
        "current": PASSWORD, "password": "meadow-copper-violin-88",
        "confirm": "meadow-copper-violin-88"})
    assert changed.status_code == 302
    assert laptop.get("/").status_code == 200  # a fresh sign-in for the person who changed it
    assert phone.get("/").status_code == 302  # every other sign-in has ended
    replay = app.test_client()
    replay.set_cookie("coproduce_session", old_cookie)
    assert replay.get("/").status_code == 302
