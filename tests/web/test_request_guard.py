"""Every state-changing endpoint, taken from the app's own routes: cross-site posts are refused
without acting, reflecting or touching cookies; NUL characters and numbers too large for the
database get a clear answer on both databases, never a 5xx."""

import importlib
import inspect
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select

import webapp
from tests.conftest import csrf_from, sign_in
from webapp.extensions import db
from webapp.models import Invitation
from webapp.request_guard import CROSS_SITE_ENDPOINTS

MARKER = "reflected-marker-7f3a"
HUGE = ["2147483648", "99999999999999999999999999", "-2147483649"]

# What each named part of an address stands for in the ``work`` world.
URL_ARGS = {"cohort_id": "C", "group_id": "G1", "programme_id": "P", "assignment_id": "A",
            "case_id": "K1", "review_id": "R1"}
TEXT_ARGS = {"key": "emotions", "token": "not-a-real-token", "slug": "worked-example",
             "version": "1.0.0", "lesson_id": "intro", "item_id": "q1", "lens": "patient"}


def post_rules(app):
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(rules) > 40  # the walk really covers the app
    return sorted(rules, key=lambda r: r.rule)


def fill(rule, ids, *, number=None) -> str:
    path = rule.rule
    for name in rule.arguments:
        if name in TEXT_ARGS:
            value = TEXT_ARGS[name]
        elif number is not None:
            value = number
        else:
            value = ids.get(URL_ARGS.get(name, ""), 1)
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), path)
    return path


def every_form_field() -> set[str]:
    """The name of every field of every form the app defines, plus the raw ones routes read."""
    names = {"version", "account_id", "review_id", "reviewer_id", "cohort_id", "about",
             "back_id", "entry_id", "minutes", "hours", "option", "count", "seed"}
    for module in pkgutil.walk_packages(webapp.__path__, "webapp."):
        if module.name.endswith("forms"):
            for _, cls in inspect.getmembers(importlib.import_module(module.name),
                                             inspect.isclass):
                if issubclass(cls, FlaskForm) and cls is not FlaskForm:
                    names |= {n for n, v in vars(cls).items()
                              if hasattr(v, "field_class")}
    return names - {"csrf_token"}


def _signed_in(app, email="admin@example.org"):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def _token(client) -> str:
    return csrf_from(client.get("/account/password").get_data(as_text=True))


CROSS_SITE_HEADERS = [
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://other.coproduce.example"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
]


@pytest.mark.parametrize("headers", CROSS_SITE_HEADERS, ids=lambda h: "+".join(h.values()))
def test_cross_site_posts_are_refused_everywhere_and_reflect_nothing(app, work, headers):  # noqa: F811
    signed_in = _signed_in(app, "educator@example.org")
    token = _token(signed_in)
    checked = 0
    for rule in post_rules(app):
        if rule.endpoint in CROSS_SITE_ENDPOINTS:
            continue
        path = fill(rule, work.ids)
        data = {"email": f"{MARKER}@elsewhere.example", "role": "educator", "group_id": "0",
                "text": MARKER, "name": MARKER, "version": "0"}
        for client, with_token in ((signed_in, True), (app.test_client(), False)):
            body = dict(data, csrf_token=token) if with_token else data
            response = client.post(path, data=body, headers=headers)
            assert response.status_code == 403, (rule.rule, response.status_code)
            assert MARKER not in response.get_data(as_text=True), rule.rule
            assert "Set-Cookie" not in response.headers, rule.rule
            checked += 1
        json_answer = signed_in.post(path, json={"text": MARKER, "version": 0},
                                     headers=dict(headers, **{"X-CSRFToken": token}))
        assert json_answer.status_code == 403 and MARKER not in json_answer.get_data(
            as_text=True), rule.rule
    assert checked > 80
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
    # The educator is still signed in: the refusals did not replace the session cookie.
    assert signed_in.get("/account/password").status_code == 200


def test_the_forged_invitation_is_not_offered_back_after_signing_in(app, world):
    client = _signed_in(app, "educator@example.org")
    path = f"/cohorts/{world.ids['C']}/invite"
    forged = app.test_client().post(path, data={
        "email": f"{MARKER}@elsewhere.example", "role": "educator", "group_id": "0"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403
    assert MARKER not in forged.get_data(as_text=True)
    assert "Send again" not in forged.get_data(as_text=True)
    # without the browser's headers (an old browser or a script) there is still no form
    bare = app.test_client().post(path, data={"email": f"{MARKER}@elsewhere.example"})
    assert bare.status_code == 400 and MARKER not in bare.get_data(as_text=True)
    assert "Set-Cookie" not in bare.headers
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"},
                                     {"Sec-Fetch-Site": "none"},
                                     {"Origin": "http://127.0.0.1:5000"},
                                     {"Origin": "http://localhost"},
                                     {}], ids=str)
def test_posts_from_this_site_are_accepted(app, world, headers):
    client = _signed_in(app, "educator@example.org")
    path = f"/cohorts/{world.ids['C']}/invite"
    token = csrf_from(client.get(path).get_data(as_text=True))
    answer = client.post(path, data={"email": "welcome@example.org", "role": "student",
                                     "group_id": "0", "csrf_token": token}, headers=headers)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]


def test_production_trusts_only_its_own_address(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "TESTING", False)
    monkeypatch.setitem(app.config, "BASE_URL", "https://coproduce.example.org")
    client = app.test_client()
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    data = {"email": "educator@example.org", "password": "wrong", "csrf_token": token}
    refused = client.post("/sign-in", data=data, headers={"Origin": "http://localhost"})
    assert refused.status_code == 403
    ours = client.post("/sign-in", data=data,
                       headers={"Origin": "https://coproduce.example.org"})
    assert ours.status_code == 400  # reached the form: a wrong password, not a refusal


def test_a_real_site_refuses_to_start_without_its_own_address():
    from webapp.config import ConfigError, check_ready

    with pytest.raises(ConfigError, match="BASE_URL is not set"):
        check_ready({"BASE_URL": "http://127.0.0.1:5000"})
    check_ready({"BASE_URL": "https://coproduce.example.org"})
    check_ready({"BASE_URL": "http://127.0.0.1:5000", "DEVELOPMENT": True})


def test_nul_characters_never_reach_the_database_from_any_endpoint(app, work):  # noqa: F811
    client = _signed_in(app)
    token = _token(client)
    fields = every_form_field()
    for rule in post_rules(app):
        path = fill(rule, work.ids)
        data = {name: f"typed{chr(0)}text" for name in fields}
        form = client.post(path, data=dict(data, csrf_token=token))
        assert form.status_code == 400, (rule.rule, form.status_code)
        page = form.get_data(as_text=True)
        assert chr(0) not in page
        as_json = client.post(path, json={"text": f"a{chr(0)}b", "version": 0},
                              headers={"X-CSRFToken": token, "Accept": "application/json"})
        assert as_json.status_code == 400, (rule.rule, as_json.status_code)
        assert "NUL" in as_json.get_json()["message"]
        in_address = client.post(path + "?next=%00", data={"csrf_token": token})
        assert in_address.status_code == 400, rule.rule


def test_nul_in_a_form_keeps_the_typed_text_without_it(app, work):  # noqa: F811
    client = _signed_in(app, "educator@example.org")
    path = f"/cohorts/{work.ids['C']}/invite"
    token = csrf_from(client.get(path).get_data(as_text=True))
    answer = client.post(path, data={"email": f"kept{chr(0)}@example.org", "role": "student",
                                     "group_id": "0", "csrf_token": token})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "kept@example.org" in page and "invisible character" in page
    again = client.post(path, data={"email": "kept@example.org", "role": "student",
                                    "group_id": "0", "csrf_token": csrf_from(page)})
    assert again.status_code == 302


@pytest.mark.parametrize("number", HUGE)
def test_numbers_too_large_for_the_database_never_answer_5xx(app, work, number):  # noqa: F811
    client = _signed_in(app)
    token = _token(client)
    fields = every_form_field()
    for rule in post_rules(app):
        path = fill(rule, work.ids)
        form = client.post(path, data=dict({n: number for n in fields}, csrf_token=token))
        assert form.status_code < 500, (rule.rule, form.status_code)
        as_json = client.post(path, json={"text": "x", "version": int(number)},
                              headers={"X-CSRFToken": token})
        assert as_json.status_code == 400, (rule.rule, as_json.status_code)
        if rule.arguments & set(URL_ARGS) | {"account_id", "entry_id"} & rule.arguments:
            huge_id = client.post(fill(rule, work.ids, number=number.lstrip("-")),
                                  data={"csrf_token": token})
            assert huge_id.status_code == 404, (rule.rule, huge_id.status_code)
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_a_json_save_with_a_float_or_huge_version_is_a_clear_400(app, work):  # noqa: F811
    client = _signed_in(app, "student@example.org")
    path = f"/cases/{work.ids['K1']}/sections/emotions"
    token = _token(client)
    for raw in ('{"text": "x", "version": 1e30}', '{"text": "x", "version": 2147483648}',
                '{"text": "x", "version": NaN}'):
        answer = client.post(path, data=raw, content_type="application/json",
                             headers={"X-CSRFToken": token})
        assert answer.status_code == 400, raw
        assert answer.get_json()["message"]
