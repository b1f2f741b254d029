"""Typed text survives a sign-in that ended: after signing in again, one press of
"Send again" saves exactly what was typed (form posts and autosave alike)."""

import html
import re

from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_from, draft_of, start_case
from webapp.extensions import db
from webapp.models import LoginSession

TYPED = "Ana's daughter said: \"nobody asked us\" — 40% & <rising>.\nSecond line\ttabbed."


def _end_every_sign_in(app):
    with app.app_context():
        for login in db.session.scalars(select(LoginSession)):
            login.revoked_at = login.created_at
        db.session.commit()


def _sign_in_again(client, page: str, email="student@example.org"):
    carried = html.unescape(re.search(r'name="resume" type="hidden" value="([^"]*)"',
                                      page).group(1))
    return client.post("/sign-in", data={"email": email, "password": PASSWORD,
                                         "csrf_token": csrf_from(page), "resume": carried})


def _send_again(client, page: str):
    form = page[:page.index('id="resubmit-1"')].rsplit("<form", 1)[1]
    action = html.unescape(re.search(r'action="([^"]+)"', form).group(1))
    fields = [(html.unescape(n), html.unescape(v)) for n, v in re.findall(
        r'<textarea id="resubmit-\d+" name="([^"]*)" rows="\d+">(.*?)</textarea>', page,
        re.S)]
    data = dict(fields, csrf_token=csrf_from(page))
    return client.post(action, data=data)


def test_send_again_after_signing_in_again_saves_the_text_at_the_first_press(app, assigned):  # noqa: F811
    client, case_id = start_case(app, assigned)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    token = csrf_from(page)
    _end_every_sign_in(app)
    saved = client.post(f"/cases/{case_id}/sections/emotions",
                        data={"text": TYPED, "version": "0", "csrf_token": token})
    assert saved.status_code == 401
    assert draft_of(app, case_id, "emotions") is None or not draft_of(app, case_id,
                                                                  "emotions").text
    signed = _sign_in_again(client, saved.get_data(as_text=True))
    assert signed.status_code == 200
    reshown = signed.get_data(as_text=True)
    assert "Your changes have not been saved yet" in reshown
    once = _send_again(client, reshown)
    assert once.status_code in (302, 303), once.get_data(as_text=True)[:400]
    assert draft_of(app, case_id, "emotions").text == TYPED


def test_an_autosave_after_the_sign_in_ended_is_rescued_the_same_way(app, assigned):  # noqa: F811
    client, case_id = start_case(app, assigned)
    token = csrf_from(client.get(f"/cases/{case_id}").get_data(as_text=True))
    _end_every_sign_in(app)
    autosave = client.post(f"/cases/{case_id}/sections/emotions",
                           json={"text": TYPED, "version": 0, "told_by": None},
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert autosave.status_code == 401  # the page then posts the form itself (autosave.js)
    posted = client.post(f"/cases/{case_id}/sections/emotions",
                         data={"text": TYPED, "version": "0", "csrf_token": token})
    reshown = _sign_in_again(client, posted.get_data(as_text=True)).get_data(as_text=True)
    assert _send_again(client, reshown).status_code in (302, 303)
    assert draft_of(app, case_id, "emotions").text == TYPED


def test_changing_the_password_leaves_a_working_form_token(app, assigned):  # noqa: F811
    client, _case_id = start_case(app, assigned)
    page = client.get("/account/password").get_data(as_text=True)
    changed = client.post("/account/password", data={
        "current": PASSWORD, "password": "a-new-long-passphrase-91", "confirm":
        "a-new-long-passphrase-91", "csrf_token": csrf_from(page)}, follow_redirects=True)
    assert changed.status_code == 200
    again = client.post("/account/password", data={
        "current": "a-new-long-passphrase-91", "password": PASSWORD, "confirm": PASSWORD,
        "csrf_token": csrf_from(changed.get_data(as_text=True))})
    assert again.status_code == 302
