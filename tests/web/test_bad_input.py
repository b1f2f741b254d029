"""Bad input on every form: the form comes back with a clear error, never a 500, and hostile
text is shown escaped. Nothing is saved."""

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from, make_account, outbox_links, path_of, post_form, sign_in
from webapp.extensions import db
from webapp.models import Account, Invitation

HOSTILE = "<script>alert(1)</script>"
LONG = "x" * 5000

# form → the fields it posts
FORMS = {
    "sign_in": ["email", "password"],
    "forgot_password": ["email"],
    "request_link": ["email"],
    "reset_password": ["password", "confirm"],
    "change_password": ["current", "password", "confirm"],
    "accept_invitation": ["display_name", "how", "password", "confirm"],
    "invite": ["email", "role", "group_id"],
}
SIGNED_IN_FORMS = {"change_password", "invite"}
VALUES = {"empty": "", "too long": LONG, "hostile": HOSTILE, "wrong type": "12abc\x00"}


@pytest.fixture
def paths(app, world):
    """Signed-in educator client, and the path of every form (with live tokens)."""
    client = app.test_client()
    with app.app_context():
        make_account("reset.me@example.org")
        db.session.commit()
    post_form(client, "/forgot-password", {"email": "reset.me@example.org"})
    sign_in(client, "educator@example.org")
    post_form(client, f"/cohorts/{world.ids['C']}/invite",
              {"email": "invitee@example.org", "role": "student", "group_id": "0"})
    return client, {
        "sign_in": "/sign-in",
        "forgot_password": "/forgot-password",
        "request_link": "/sign-in-link",
        "reset_password": path_of(outbox_links(app, "reset")[0]),
        "change_password": "/account/password",
        "accept_invitation": path_of(outbox_links(app, "invitation")[0]),
        "invite": f"/cohorts/{world.ids['C']}/invite",
    }


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("kind", VALUES)
def test_bad_input_shows_the_form_again_with_an_error(app, paths, form, kind):
    educator, path_for = paths
    client = educator if form in SIGNED_IN_FORMS else app.test_client()
    path = path_for[form]
    before = _counts(app)
    page = client.get(path)
    assert page.status_code == 200
    data = {field: VALUES[kind] for field in FORMS[form]}
    if form == "accept_invitation" and kind == "hostile":
        data["how"] = "password"  # a hostile name is allowed; the empty password is not
    if "confirm" in data and kind == "hostile":
        data["confirm"] += "!"  # as a password, hostile text is merely unusual; a mismatch is not
    response = client.post(path, data=dict(data, csrf_token=csrf_from(page.get_data(
        as_text=True))))
    assert response.status_code == 400, (form, kind, response.status_code)
    text = response.get_data(as_text=True)
    assert 'class="error' in text  # a message beside the field or in the summary
    assert HOSTILE not in text
    assert _counts(app) == before


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(Account.id))),
                db.session.scalar(select(func.count(Invitation.id))))


def test_a_hostile_display_name_is_stored_as_text_and_shown_escaped(app, paths, world):
    client, path_for = paths
    newcomer = app.test_client()
    path = path_for["accept_invitation"]
    token = csrf_from(newcomer.get(path).get_data(as_text=True))
    joined = newcomer.post(path, data={"display_name": HOSTILE, "how": "link",
                                       "csrf_token": token})
    assert joined.status_code == 302
    home = newcomer.get("/").get_data(as_text=True)
    assert HOSTILE not in home and "&lt;script&gt;alert(1)&lt;/script&gt;" in home


def test_behind_a_proxy_throttling_sees_the_client_address(app, world):
    from tests.conftest import app_config
    from webapp import create_app

    proxied = create_app(dict(app_config(app.config["SQLALCHEMY_DATABASE_URI"]),
                              PROXY_FIX_HOPS=1))
    client = proxied.test_client()
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    for _ in range(5):
        token = csrf_from(client.get("/sign-in").get_data(as_text=True))
        client.post("/sign-in", data={"email": "student@example.org", "password": "wrong one!",
                                      "csrf_token": token}, environ_base=attacker)
    # the same account from another client behind the same proxy is not paused
    other = proxied.test_client()
    token = csrf_from(other.get("/sign-in").get_data(as_text=True))
    ok = other.post("/sign-in", data={"email": "student@example.org",
                                      "password": "plum-harbour-lantern-42",
                                      "csrf_token": token},
                    environ_base={"HTTP_X_FORWARDED_FOR": "198.51.100.10"})
    assert ok.status_code == 302
