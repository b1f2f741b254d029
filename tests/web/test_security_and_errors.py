"""CSRF and expired sign-ins keep what was typed; error pages; headers; hostile input."""

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from, make_account, post_form, sign_in
from webapp.extensions import db
from webapp.models import Invitation, LoginSession

HOSTILE = "<script>alert(1)</script>"


def _signed_in_educator(app, world):
    client = app.test_client()
    sign_in(client, "educator@example.org")
    return client


def test_post_with_a_stale_token_saves_nothing_and_shows_the_fields_again(app, world):
    client = _signed_in_educator(app, world)
    path = f"/cohorts/{world.ids['C']}/invite"
    response = client.post(path, data={"email": "keep.me@example.org", "role": "student",
                                       "group_id": "0", "csrf_token": "stale"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page
    assert "keep.me@example.org" in page
    assert f'action="{path}"' in page
    fresh = csrf_from(page)
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
    # one more click sends it
    again = client.post(path, data={"email": "keep.me@example.org", "role": "student",
                                    "group_id": "0", "csrf_token": fresh})
    assert again.status_code == 302


def test_csrf_failure_never_echoes_passwords(app):
    client = app.test_client()
    client.get("/sign-in")  # the browser holds a session with us
    response = client.post("/sign-in", data={"email": "ann@example.org",
                                             "password": "my secret words here"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ann@example.org" in page and "my secret words here" not in page


def test_a_post_from_a_browser_without_our_session_is_not_offered_back(app):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "ann@example.org", "password": "x"})
    assert response.status_code == 400
    assert "ann@example.org" not in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_expired_sign_in_during_a_post_keeps_the_text_for_after_signing_in(app, world):
    client = _signed_in_educator(app, world)
    path = f"/cohorts/{world.ids['C']}/invite"
    token = csrf_from(client.get(path).get_data(as_text=True))
    with app.app_context():
        for login in db.session.scalars(select(LoginSession)):
            login.revoked_at = login.created_at
        db.session.commit()
    response = client.post(path, data={"email": "typed.before@example.org", "role": "student",
                                       "group_id": "0", "csrf_token": token})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Nothing was lost" in page
    resume = csrf_from(page)
    import html
    import re

    carried = html.unescape(re.search(r'name="resume" type="hidden" value="([^"]*)"',
                                      page).group(1))
    signed = client.post("/sign-in", data={"email": "educator@example.org",
                                           "password": "plum-harbour-lantern-42",
                                           "csrf_token": resume, "resume": carried})
    assert signed.status_code == 200
    again = signed.get_data(as_text=True)
    assert "typed.before@example.org" in again and f'action="{path}"' in again
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_resume_cannot_send_the_form_to_another_site(app, world):
    client = app.test_client()
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", data={
        "email": "educator@example.org", "password": "plum-harbour-lantern-42",
        "csrf_token": token,
        "resume": '{"url": "https://evil.example/steal", "fields": [["a", "b"]]}'})
    assert response.status_code == 302  # ignored: a plain sign-in


@pytest.mark.parametrize("accept,json_expected", [("text/html", False),
                                                  ("application/json", True)])
def test_not_found_answers_in_the_clients_format(client, accept, json_expected):
    response = client.get("/no/such/page", headers={"Accept": accept})
    assert response.status_code == 404
    if json_expected:
        assert response.get_json()["error"] == 404
    else:
        page = response.get_data(as_text=True)
        assert "Page not found" in page and 'href="#main"' in page  # in the site layout


def test_wrong_method_gets_405_in_the_layout(client):
    response = client.put("/sign-in")
    assert response.status_code == 405
    assert "not available here" in response.get_data(as_text=True)
    assert "GET" in response.headers["Allow"]


def test_too_large_a_body_gets_413(client):
    response = client.post("/sign-in", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unexpected_error_gets_a_500_page_that_blames_no_one(app, world, monkeypatch):
    from webapp.home import queries

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "home_cards", broken)
    client = app.test_client()
    sign_in(client, "student@example.org")
    app.testing = False  # let the handler answer, as in production
    try:
        response = client.get("/")
    finally:
        app.testing = True
    assert response.status_code == 500
    assert "Nothing you did caused this" in response.get_data(as_text=True)


def test_throttled_sign_in_answers_429_in_json_too(app, client):
    with app.app_context():
        make_account("ann@example.org")
        db.session.commit()
    for _ in range(5):
        sign_in(client, "ann@example.org", "wrong password here")
    from webapp.errors import render_error

    with app.test_request_context(headers={"Accept": "application/json"}):
        body, status = render_error(429)
        assert status == 429 and body.get_json()["error"] == 429


def test_security_headers_and_no_store_on_signed_in_pages(app, world):
    client = _signed_in_educator(app, world)
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_are_addressed_by_content_and_cached_for_a_year(app, world):
    import hashlib
    import re
    from pathlib import Path

    client = _signed_in_educator(app, world)
    page = client.get("/").get_data(as_text=True)
    href = re.search(r'href="(/static/site\.css\?v=([0-9a-f]+))"', page)
    assert href, "the stylesheet's address names its content"
    css = Path(app.static_folder, "site.css").read_bytes()
    assert href.group(2) == hashlib.sha256(css).hexdigest()[:12]
    cached = client.get(href.group(1))
    assert cached.status_code == 200
    assert cached.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = client.get("/static/site.css?v=0123456789ab")
    assert stale.headers["Cache-Control"] == "no-cache"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_https_answers_carry_strict_transport_security(app, world):
    secure = app.test_client().get("/sign-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = app.test_client().get("/sign-in")
    assert "Strict-Transport-Security" not in plain.headers


def test_behind_a_proxy_strict_transport_security_follows_the_forwarded_scheme(app):
    from tests.conftest import app_config
    from webapp import create_app

    behind = create_app(dict(app_config(app.config["SQLALCHEMY_DATABASE_URI"]),
                             PROXY_FIX_HOPS=1))
    proxied = behind.test_client()
    secure = proxied.get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    plain = proxied.get("/sign-in", headers={"X-Forwarded-Proto": "http"})
    with behind.app_context():
        db.engine.dispose()
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in plain.headers


def test_session_cookie_is_httponly_and_lax(app):
    with app.app_context():
        make_account("ann@example.org")
        db.session.commit()
    response = sign_in(app.test_client(), "ann@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script(app, world):
    client = _signed_in_educator(app, world)
    for path in ["/", "/sign-in", f"/cohorts/{world.ids['C']}",
                 f"/cohorts/{world.ids['C']}/invite"]:
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "onclick" not in page


def test_hostile_text_is_shown_escaped(app, world):
    client = _signed_in_educator(app, world)
    response = post_form(client, f"/cohorts/{world.ids['C']}/invite",
                         {"email": HOSTILE, "role": "student", "group_id": "0"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert HOSTILE not in page and "&lt;script&gt;" in page
    signin = app.test_client()
    page = sign_in(signin, HOSTILE, HOSTILE).get_data(as_text=True)
    assert HOSTILE not in page


@pytest.mark.parametrize("data", [
    {},
    {"email": "", "password": ""},
    {"email": "a" * 5000, "password": "b" * 5000},
    {"email": ["a@example.org", "b@example.org"], "password": "x"},
    {"email": "\x00\x01\u202e", "password": "\u202e\U0001f600"},
])
def test_bad_sign_in_input_gets_the_form_again_never_a_500(client, data):
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", data=dict(data, csrf_token=token))
    assert response.status_code == 400
    assert "Sign in" in response.get_data(as_text=True)


def test_group_ids_that_are_not_numbers_are_not_found(app, world):
    client = _signed_in_educator(app, world)
    assert client.get("/groups/abc").status_code == 404
    assert client.get("/groups/-1").status_code == 404
    assert client.get("/groups/99999999999999999999999").status_code == 404


def test_bad_group_choice_on_the_invitation_form_is_refused(app, world):
    client = _signed_in_educator(app, world)
    for group_id in ["abc", str(world.ids["G3"]), "999999"]:
        response = post_form(client, f"/cohorts/{world.ids['C']}/invite",
                             {"email": "a@example.org", "role": "student",
                              "group_id": group_id})
        assert response.status_code == 400, group_id


def test_a_refusal_no_page_shows_is_answered_in_one_place(app, world, monkeypatch):
    """An operation's refusal that its view does not catch: JSON for scripts, the typed
    fields again for a person who posted, an error page with the reason otherwise."""
    from tests.conftest import app_config, csrf_from, sign_in
    from webapp import authz, create_app
    from webapp.refusals import Refused

    fresh = create_app(app_config(app.config["SQLALCHEMY_DATABASE_URI"]))

    def refuse():
        raise Refused("That cohort is archived: bring it back first.", status=409)

    fresh.add_url_rule("/refuse-for-test", "refuse_for_test", refuse, methods=["GET", "POST"])
    monkeypatch.setitem(authz.ENDPOINTS, "refuse_for_test", authz.SIGNED_IN)
    client = fresh.test_client()
    assert sign_in(client, "student@example.org").status_code == 302
    page = client.get("/refuse-for-test")
    assert page.status_code == 409
    assert "That cohort is archived: bring it back first." in page.get_data(as_text=True)
    as_json = client.get("/refuse-for-test", headers={"Accept": "application/json"})
    assert as_json.status_code == 409
    assert as_json.get_json() == {"error": "That cohort is archived: bring it back first."}
    token = csrf_from(client.get("/account").get_data(as_text=True))
    posted = client.post("/refuse-for-test", data={"csrf_token": token,
                                                   "note": "Words I typed."})
    html = posted.get_data(as_text=True)
    assert posted.status_code == 409
    assert "bring it back first" in html and "Words I typed." in html
    assert 'action="/refuse-for-test"' in html
    with fresh.app_context():
        db.engine.dispose()
