"""LTI 1.3: a platform launches Coproduce; each refusal the 1EdTech Security Framework asks of a
tool is made with a clear page, logged, and never a 500.

Happy paths are signed by ``lti1p3platform`` (a platform library that is not ours); refusals
use tokens forged from the specification (``tests.web.lti_platform.Platform.forge``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, sign_in, signed_in
from tests.web import lti_platform as lms
from webapp import clock
from webapp.extensions import db
from webapp.models import (
    Account,
    AuditEvent,
    LtiContext,
    LtiIdentity,
    LtiPlatform,
    Membership,
)


@pytest.fixture
def platform(app, world, monkeypatch):
    """A registered platform whose key set the tool fetches (counted)."""
    from webapp.lti import keys, platforms

    test_platform = lms.Platform()
    fetched = []

    def fake_get(url):
        assert url == lms.KEYSET_URL
        fetched.append(url)
        return test_platform.jwks()

    monkeypatch.setattr(keys, "_get_json", fake_get)
    with app.app_context():
        platforms.add(db.session, None, {
            "name": "Canvas at the test university", "issuer": lms.ISSUER,
            "client_id": lms.CLIENT_ID, "deployment_ids": lms.DEPLOYMENT,
            "auth_url": lms.AUTH_URL, "keyset_url": lms.KEYSET_URL,
            "token_url": lms.TOKEN_URL})
        db.session.commit()
    test_platform.fetched = fetched
    return test_platform


def _launch(app, platform, client=None, **who):
    """A whole launch signed by the platform library; returns (client, answer)."""
    client = client or app.test_client()
    answer, preflight = lms.login(client, login_hint=who.get("sub", "u"))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert answer.headers["Location"].startswith(lms.AUTH_URL)
    data = platform.library_launch(preflight, **who)
    return client, lms.post_launch(client, data["id_token"], data["state"])


def _refusals(app) -> list[str]:
    with app.app_context():
        return [e.detail["reason"] for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "lti_refused").order_by(AuditEvent.id))]


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


LEARNER = dict(sub="learner-1", email="learner1@example.edu", name="Lena Learner",
               roles=[lms.LEARNER])


def test_an_admin_registers_a_platform_and_reads_the_values_to_paste(app, world):
    admin = signed_in(app, "admin@example.org")
    page = admin.get("/lti/setup").get_data(as_text=True)
    for value in ("/lti/login", "/lti/launch", "/lti/jwks.json", "No learning platform"):
        assert value in page
    form = {"name": "Moodle", "issuer": "https://moodle.example.edu", "client_id": "abc",
            "deployment_ids": "1, 2", "auth_url": "https://moodle.example.edu/mod/lti/auth.php",
            "keyset_url": "https://moodle.example.edu/mod/lti/certs.php", "token_url": ""}
    bad = admin.post("/lti/platforms", data=dict(form, deployment_ids="", csrf_token=csrf_from(
        page)))
    assert bad.status_code == 400 and "at least one deployment id" in bad.get_data(as_text=True)
    assert 'value="https://moodle.example.edu"' in bad.get_data(as_text=True)
    bad_url = admin.post("/lti/platforms", data=dict(form, keyset_url="ftp://x",
                                                     csrf_token=csrf_from(page)))
    assert bad_url.status_code == 400 and "full https://" in bad_url.get_data(as_text=True)
    done = admin.post("/lti/platforms", data=dict(form, csrf_token=csrf_from(page)))
    assert done.status_code == 303
    listed = admin.get("/lti/setup").get_data(as_text=True)
    assert "Registered Moodle" in listed and "<code>1</code>, <code>2</code>" in listed
    again = admin.post("/lti/platforms", data=dict(form, csrf_token=csrf_from(page)))
    assert again.status_code == 400 and "registered already" in again.get_data(as_text=True)
    # nobody else reaches the page
    assert signed_in(app, "educator@example.org").get("/lti/setup").status_code == 403


def test_the_command_line_registers_a_platform(app, world):
    result = app.test_cli_runner().invoke(args=[
        "lti", "add-platform", "--name", "Canvas", "--issuer", "https://canvas.instructure.com",
        "--client-id", "1000", "--deployment-id", "d1", "--deployment-id", "d2",
        "--auth-url", "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "--keyset-url", "https://sso.canvaslms.com/api/lti/security/jwks"])
    assert result.exit_code == 0, result.output
    assert "Registered Canvas" in result.output and "/lti/jwks.json" in result.output
    bad = app.test_cli_runner().invoke(args=[
        "lti", "add-platform", "--name", "X", "--issuer", "i", "--client-id", "c",
        "--deployment-id", "d", "--auth-url", "not a url", "--keyset-url", "https://k"])
    assert bad.exit_code == 2 and "full https:// address" in bad.output
    listed = app.test_cli_runner().invoke(args=["lti", "list"])
    assert "Canvas" in listed.output and "d1,d2" in listed.output


def test_the_tool_publishes_one_stable_key_set(app, world):
    client = app.test_client()
    first = client.get("/lti/jwks.json").get_json()
    second = client.get("/lti/jwks.json").get_json()
    assert first == second and len(first["keys"]) == 1
    key = first["keys"][0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["kid"] and key["n"]
    assert "d" not in key, "never the private part"


def test_a_learner_launches_and_waits_until_an_instructor_links_the_course(app, platform):
    client, answer = _launch(app, platform, **LEARNER)
    assert answer.status_code == 303 and answer.headers["Location"] == "/lti/waiting"
    cookie = answer.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert _signed_in(client)
    assert "not linked" in client.get("/lti/waiting").get_data(as_text=True)
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "learner1@example.edu"))
        assert person.display_name == "Lena Learner" and person.password_hash is None
        assert not person.admin
        assert db.session.scalar(select(LtiIdentity.sub)) == "learner-1"
        assert db.session.scalars(select(Membership).where(
            Membership.account_id == person.id)).all() == []


def test_an_educator_links_the_course_then_learners_join_the_cohort_and_assignment(
        app, platform, world):
    from tests.conftest import make_assignment, make_module_version

    with app.app_context():
        assignment = make_assignment(world.ids["C"], make_module_version()).id
        db.session.commit()
    # the educator's platform email is that of their Coproduce account: they must sign in
    # to it once and say yes (never joined silently)
    teacher = dict(sub="teacher-1", email="educator@example.org", name="Ed",
                   roles=[lms.INSTRUCTOR])
    client, answer = _launch(app, platform, **teacher)
    join = answer.headers["Location"]
    assert answer.status_code == 303 and join.startswith("/lti/join/")
    assert not _signed_in(client)
    assert client.get(join).status_code == 303  # to sign in first
    assert sign_in(client, "educator@example.org").status_code == 302
    page = client.get(join)
    assert "Join your course account" in page.get_data(as_text=True)
    joined = client.post(join, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert joined.status_code == 303
    link = joined.headers["Location"]
    assert link.startswith("/lti/courses/") and link.endswith("/link")
    page = client.get(link).get_data(as_text=True)
    assert "Cohort Own" in page and "Cohort Elsewhere" not in page
    # a cohort the educator does not teach (or no cohort at all) is refused
    for nonsense in ("99999999999999", "x", ""):
        answer = client.post(link, data={"csrf_token": csrf_from(page), "cohort_id": nonsense})
        assert answer.status_code == 400 and "Choose a cohort you teach" in answer.get_data(
            as_text=True)
    refused = client.post(link, data={"csrf_token": csrf_from(page),
                                      "cohort_id": str(world.ids["C2"])})
    assert refused.status_code == 400 and "Choose a cohort you teach" in refused.get_data(
        as_text=True)
    linked = client.post(link, data={"csrf_token": csrf_from(page),
                                     "cohort_id": str(world.ids["C"])})
    assert linked.status_code == 303 and linked.headers["Location"] == f"/cohorts/{world.ids['C']}"
    # the next launch of the educator signs in directly (the accounts are joined)
    again, answer = _launch(app, platform, **teacher)
    assert answer.headers["Location"] == f"/cohorts/{world.ids['C']}"
    # a learner lands in the cohort as a student, or on the assignment a link names
    learner, answer = _launch(app, platform, **LEARNER, custom={"assignment_id": str(
        assignment)})
    assert answer.headers["Location"] == f"/assignments/{assignment}"
    assert learner.get(f"/assignments/{assignment}").status_code == 200
    with app.app_context():
        roles = db.session.execute(select(Account.email, Membership.role).join(
            Membership).where(Membership.cohort_id == world.ids["C"])).all()
        assert ("learner1@example.edu", "student") in roles
        course = db.session.scalar(select(LtiContext))
        assert course.cohort_id == world.ids["C"] and course.title == "Coproduction 101"
        kinds = set(db.session.scalars(select(AuditEvent.kind)))
    assert {"lti_account_linked", "lti_course_linked", "lti_account_made"} <= kinds


def test_someone_else_cannot_link_a_course_they_did_not_launch_as_instructor(app, platform):
    _client, answer = _launch(app, platform, **LEARNER)
    with app.app_context():
        course = db.session.scalar(select(LtiContext.id))
    educator = signed_in(app, "educator@example.org")
    assert educator.get(f"/lti/courses/{course}/link").status_code == 404


def test_joining_is_refused_to_a_different_signed_in_account(app, platform):
    client, answer = _launch(app, platform, sub="t2", email="educator@example.org",
                             name="Ed", roles=[lms.INSTRUCTOR])
    join = answer.headers["Location"]
    assert sign_in(client, "student@example.org").status_code == 302
    refused = client.get(join)
    assert refused.status_code == 403 and "different Coproduce account" in refused.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(LtiIdentity)) is None


def test_the_same_platform_account_is_the_same_person_whatever_its_email(app, platform):
    _launch(app, platform, **LEARNER)
    client, answer = _launch(app, platform, **dict(LEARNER, email="renamed@example.edu"))
    assert answer.status_code == 303 and _signed_in(client)
    with app.app_context():
        assert db.session.query(LtiIdentity).count() == 1
        assert db.session.scalar(select(Account).where(
            Account.email_key == "renamed@example.edu")) is None


def test_a_platform_administrator_is_not_made_an_admin_or_educator(app, platform):
    client, answer = _launch(app, platform, sub="boss", email="boss@example.edu", name="Boss",
                             roles=[lms.LMS_ADMIN])
    assert answer.headers["Location"] == "/lti/waiting"
    assert client.get("/admin/people").status_code == 403


def test_the_platform_keys_are_kept_and_fetched_again_for_a_new_key_id(app, platform):
    _launch(app, platform, **LEARNER)
    _launch(app, platform, **dict(LEARNER, sub="learner-2", email="l2@example.edu"))
    assert len(platform.fetched) == 1, "the key set is kept between launches"
    platform.rotate()
    with clock.moved(seconds=61):
        _client, answer = _launch(app, platform,
                                  **dict(LEARNER, sub="learner-3", email="l3@example.edu"))
    assert answer.status_code == 303 and len(platform.fetched) == 2
    with clock.moved(hours=2):
        _launch(app, platform, **dict(LEARNER, sub="learner-4", email="l4@example.edu"))
    assert len(platform.fetched) == 3, "kept keys are fetched again after an hour"


# --- refusals -----------------------------------------------------------------------------


def _refused(answer, app, reason: str, client=None):
    assert answer.status_code in (400, 403), answer.status_code
    page = answer.get_data(as_text=True)
    assert "Coproduce could not open from your course" in page and reason in page
    assert _refusals(app)[-1] == reason
    if client is not None:
        assert not _signed_in(client)


def test_a_login_from_an_unknown_issuer_or_deployment_is_refused(app, platform):
    client = app.test_client()
    answer, _ = lms.login(client, issuer="https://evil.example.com")
    _refused(answer, app, "unknown_issuer")
    answer, _ = lms.login(client, deployment="deployment-9")
    _refused(answer, app, "unknown_deployment")
    answer, _ = lms.login(client, client_id="another-client")
    _refused(answer, app, "unknown_issuer")


FORGED = [
    # (what, claims or headers changed, reason)
    ("unknown deployment in the token", {"https://purl.imsglobal.org/spec/lti/claim/"
                                         "deployment_id": "deployment-9"}, "unknown_deployment"),
    ("expired", {"exp": -600, "iat": -900}, "token_expired"),
    ("issued in the future", {"iat": 3600, "exp": 7200}, "token_not_yet_valid"),
    ("another audience", {"aud": "someone-else", "azp": None}, "wrong_audience"),
    ("several audiences without azp", {"aud": [lms.CLIENT_ID, "other"], "azp": None},
     "wrong_audience"),
    ("azp of another client", {"azp": "someone-else"}, "wrong_audience"),
    ("another issuer", {"iss": "https://evil.example.com"}, "wrong_issuer"),
    ("no roles claim", {"https://purl.imsglobal.org/spec/lti/claim/roles": None},
     "message_invalid"),
    ("wrong LTI version", {"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"},
     "message_invalid"),
    ("no LTI version", {"https://purl.imsglobal.org/spec/lti/claim/version": None},
     "message_invalid"),
    ("no message type", {"https://purl.imsglobal.org/spec/lti/claim/message_type": None},
     "message_invalid"),
    ("unknown message type", {"https://purl.imsglobal.org/spec/lti/claim/message_type":
                              "LtiSomethingElse"}, "message_invalid"),
    ("no deployment id", {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": None},
     "unknown_deployment"),
    ("no resource link", {"https://purl.imsglobal.org/spec/lti/claim/resource_link": None},
     "message_invalid"),
    ("no exp", {"exp": None}, "token_malformed"),
    ("no iat", {"iat": None}, "token_malformed"),
    ("no nonce", {"nonce": None}, "token_malformed"),
    ("no sub", {"sub": None}, "token_malformed"),
]


@pytest.mark.parametrize("what,changes,reason", FORGED, ids=[f[0] for f in FORGED])
def test_a_forged_launch_is_refused(app, platform, what, changes, reason):
    import time

    client = app.test_client()
    _answer, preflight = lms.login(client)
    moment = int(time.time())
    claims = {k: (moment + v if k in ("exp", "iat") and v is not None else v)
              for k, v in changes.items()}
    token = platform.forge(preflight["nonce"], **{k.replace("/", "__"): v
                                                  for k, v in claims.items()})
    _refused(lms.post_launch(client, token, preflight["state"]), app, reason, client)


def test_a_reused_state_or_nonce_is_refused(app, platform):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    token = platform.forge(preflight["nonce"])
    assert lms.post_launch(client, token, preflight["state"]).status_code == 303
    _refused(lms.post_launch(app.test_client(), token, preflight["state"]), app,
             "state_reused")
    # the same token with a fresh login's state: its nonce is not that login's
    _answer, fresh = lms.login(client)
    _refused(lms.post_launch(app.test_client(), token, fresh["state"]), app, "nonce_mismatch")
    _refused(lms.post_launch(app.test_client(), token, "made-up"), app, "state_unknown")
    _refused(lms.post_launch(app.test_client(), token, ""), app, "state_missing")


def test_a_state_older_than_ten_minutes_is_refused(app, platform):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    with clock.moved(minutes=11):
        token = platform.forge(preflight["nonce"])
        _refused(lms.post_launch(client, token, preflight["state"]), app, "state_expired")


def test_a_bad_signature_or_an_unknown_key_is_refused(app, platform):
    from tests.web.lti_platform import _KEYS

    client = app.test_client()
    _answer, preflight = lms.login(client)
    other = platform.forge(preflight["nonce"], private_pem=_KEYS[1][0])
    _refused(lms.post_launch(client, other, preflight["state"]), app, "bad_signature")
    _answer, preflight = lms.login(client)
    unknown = platform.forge(preflight["nonce"], kid="not-in-the-set")
    _refused(lms.post_launch(client, unknown, preflight["state"]), app, "unknown_key")
    _answer, preflight = lms.login(client)
    no_kid = platform.forge(preflight["nonce"], headers={"kid": None})
    _refused(lms.post_launch(client, no_kid, preflight["state"]), app, "unknown_key")
    # an unsigned token, or one signed with a shared secret, never passes
    import jwt as pyjwt

    for algorithm, key in (("none", None), ("HS256", lms.CLIENT_ID * 3)):
        _answer, preflight = lms.login(client)
        body = pyjwt.decode(platform.forge(preflight["nonce"]),
                            options={"verify_signature": False})
        token = pyjwt.encode(body, key, algorithm=algorithm,
                             headers={"kid": platform.kid})
        _refused(lms.post_launch(client, token, preflight["state"]), app, "bad_signature")


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c", "x" * 30_000])
def test_a_missing_or_unreadable_token_is_refused(app, platform, token):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    answer = lms.post_launch(client, token, preflight["state"])
    assert answer.status_code == 400
    assert _refusals(app)[-1] in ("token_missing", "token_malformed")


def test_a_new_person_whose_platform_keeps_their_email_is_told_why(app, platform):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    token = platform.forge(preflight["nonce"], email=None)
    _refused(lms.post_launch(client, token, preflight["state"]), app, "no_email", client)


def test_only_the_launch_endpoints_take_posts_from_another_site(app, world):
    from webapp.lti import CROSS_SITE
    from webapp.request_guard import CROSS_SITE_ENDPOINTS

    assert CROSS_SITE_ENDPOINTS == CROSS_SITE == {"lti.login", "lti.launch"}
    client = signed_in(app, "admin@example.org")
    page = client.get("/lti/setup").get_data(as_text=True)
    answer = client.post("/lti/platforms", data={"csrf_token": csrf_from(page), "name": "x"},
                         headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403


def test_a_removed_platform_s_launches_are_refused(app, platform):
    admin = signed_in(app, "admin@example.org")
    with app.app_context():
        ident = db.session.scalar(select(LtiPlatform.id))
    page = admin.get("/lti/setup").get_data(as_text=True)
    assert admin.post(f"/lti/platforms/{ident}/delete", data={
        "csrf_token": csrf_from(page)}).status_code == 303
    answer, _ = lms.login(app.test_client())
    _refused(answer, app, "unknown_issuer")


def test_a_closed_account_s_launch_is_refused(app, platform):
    _launch(app, platform, **LEARNER)
    with app.app_context():
        person = db.session.scalar(select(Account).where(
            Account.email_key == "learner1@example.edu"))
        person.active = False
        db.session.commit()
    client, answer = _launch(app, platform, **LEARNER)
    _refused(answer, app, "account_closed", client)


def test_old_login_states_do_not_pile_up(app, platform):
    from webapp.models import LtiLaunchState

    for _n in range(3):
        lms.login(app.test_client())
    with clock.moved(hours=2):
        lms.login(app.test_client())
    with app.app_context():
        assert db.session.query(LtiLaunchState).count() == 1


# --- deep linking -------------------------------------------------------------------------

RETURN = "https://lms.example.edu/courses/101/deep_linking_response"


def _deep_link(app, platform, world, **extra):
    """An instructor's "add Coproduce", through to the choosing page (joined and linked)."""
    with app.app_context():
        educator = db.session.scalar(select(Account).where(
            Account.email_key == "educator@example.org"))
        platform_id = db.session.scalar(select(LtiPlatform.id))
        db.session.add(LtiIdentity(platform_id=platform_id, sub="teacher-1",
                                   account_id=educator.id))
        db.session.add(LtiContext(platform_id=platform_id, context_id="course-101",
                                  cohort_id=world.ids["C"]))
        db.session.commit()
    client, answer = _launch(app, platform, sub="teacher-1", email="educator@example.org",
                             name="Ed", roles=[lms.INSTRUCTOR], deep_link_return=RETURN,
                             **extra)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    assert answer.headers["Location"].startswith("/lti/deep-link/")
    return client, answer.headers["Location"]


def test_an_instructor_deep_links_a_new_assignment_and_learners_land_on_it(
        app, platform, world):
    from tests.conftest import make_module_version

    with app.app_context():
        version = make_module_version().id
        db.session.commit()
    client, page_path = _deep_link(app, platform, world)
    assert not _signed_in(client), "the framed pages sign nobody in"
    framed = app.test_client().get(page_path)  # framed by the platform: no cookie
    html = framed.get_data(as_text=True)
    assert framed.status_code == 200 and "An example module" in html
    policy = framed.headers["Content-Security-Policy"]
    assert "frame-ancestors https://lms.example.edu" in policy
    assert "form-action 'self' https://lms.example.edu" in policy
    assert "X-Frame-Options" not in framed.headers
    # every other page still refuses frames
    assert app.test_client().get("/sign-in").headers["X-Frame-Options"] == "DENY"
    bad = app.test_client().post(page_path, data={"module_version_id": str(version),
                                                  "opens_at": "2027-02-01T09:00",
                                                  "due_at": "2027-01-01T09:00",
                                                  "review_due_at": "2027-03-01T09:00"})
    assert bad.status_code == 400
    done = app.test_client().post(page_path, data={
        "module_version_id": str(version), "opens_at": "2027-02-01T09:00",
        "due_at": "2027-02-15T23:59", "review_due_at": "2027-02-22T23:59"})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and f'action="{RETURN}"' in html
    assert "<script>" not in html and "lti-return.js" in html
    import re

    answer_jwt = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    tool_jwks = app.test_client().get("/lti/jwks.json").get_json()
    [item] = platform.read_deep_link_answer(answer_jwt, tool_jwks)
    assert item["type"] == "ltiResourceLink" and item["url"].endswith("/lti/launch")
    assignment_id = item["custom"]["assignment_id"]
    # the page is used up
    assert app.test_client().get(page_path).status_code == 404
    # launching the link takes a learner to the assignment
    _client, landed = _launch(app, platform, **LEARNER,
                              custom={"assignment_id": assignment_id})
    assert landed.headers["Location"] == f"/assignments/{assignment_id}"
    import jwt as pyjwt

    claims = pyjwt.decode(answer_jwt, options={"verify_signature": False})
    assert claims["iss"] == lms.CLIENT_ID and claims["aud"] == [lms.ISSUER]
    # the platform's own data comes back with the answer, as the specification asks
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == {"opaque": "x1"}


def test_a_learner_cannot_deep_link(app, platform, world):
    client, answer = _launch(app, platform, **LEARNER, deep_link_return=RETURN)
    _refused(answer, app, "deep_link_not_instructor", client)


def test_an_existing_assignment_can_be_chosen(app, platform, world):
    from tests.conftest import make_assignment, make_module_version

    with app.app_context():
        assignment = make_assignment(world.ids["C"], make_module_version()).id
        db.session.commit()
    _client, page_path = _deep_link(app, platform, world)
    refused = app.test_client().post(page_path, data={"assignment_id": "999"})
    assert refused.status_code == 400 and "this cohort" in refused.get_data(as_text=True)
    done = app.test_client().post(page_path, data={"assignment_id": str(assignment)})
    assert done.status_code == 200 and "lti-return.js" in done.get_data(as_text=True)


def test_a_made_up_deep_link_token_is_not_found(app, platform):
    assert app.test_client().get("/lti/deep-link/made-up").status_code == 404
    assert app.test_client().post("/lti/deep-link/made-up", data={}).status_code == 404


ODD_CLAIMS = [
    {"aud": 12345}, {"exp": "tomorrow"}, {"iat": [1]}, {"sub": 42}, {"nonce": {"a": 1}},
    {"https://purl.imsglobal.org/spec/lti/claim/roles": "Learner"},
    {"https://purl.imsglobal.org/spec/lti/claim/context": ["course"]},
    {"https://purl.imsglobal.org/spec/lti/claim/custom": ["x"]},
    {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": ["deployment-1"]},
    {"https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiDeepLinkingRequest"},
    {"https://purl.imsglobal.org/spec/lti/claim/resource_link": "link"},
    {"email": ["a@b.c"], "name": {"x": 1}},
]


@pytest.mark.parametrize("claims", ODD_CLAIMS, ids=[next(iter(c)).rsplit("/", 1)[-1]
                                                    for c in ODD_CLAIMS])
def test_claims_of_the_wrong_type_are_refused_or_read_never_a_500(app, platform, claims):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    token = platform.forge(preflight["nonce"], **{k.replace("/", "__"): v
                                                  for k, v in claims.items()})
    answer = lms.post_launch(client, token, preflight["state"])
    assert answer.status_code in (303, 400, 403), answer.status_code


def test_choosing_before_the_course_is_linked_is_refused_plainly(app, platform, world):
    _client, answer = _launch(app, platform, sub="t9", email="t9@example.edu", name="T",
                              roles=[lms.INSTRUCTOR], deep_link_return=RETURN,
                              context="course-unlinked")
    page_path = answer.headers["Location"]
    assert page_path.startswith("/lti/deep-link/")
    assert "You are not an educator" in app.test_client().get(page_path).get_data(as_text=True)
    for data in ({"assignment_id": "1"}, {"module_version_id": "1"},
                 {"action": "link", "cohort_id": "x"},
                 {"action": "link", "cohort_id": "99999999999999"}):
        answer = app.test_client().post(page_path, data=data)
        assert answer.status_code in (400, 403), (data, answer.status_code)


# --- what a review of the launch found ------------------------------------------------------


def test_a_refused_launch_still_uses_up_its_state_and_its_key_fetch(app, platform):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    unknown = platform.forge(preflight["nonce"], kid="made-up-1")
    _refused(lms.post_launch(client, unknown, preflight["state"]), app, "unknown_key")
    # the same state again, now with a good token: used already
    good = platform.forge(preflight["nonce"])
    _refused(lms.post_launch(client, good, preflight["state"]), app, "state_reused")
    # unknown key ids within a minute fetch the platform's keys once, not once a try
    for n in range(3):
        _answer, preflight = lms.login(client)
        token = platform.forge(preflight["nonce"], kid=f"made-up-{n + 2}")
        _refused(lms.post_launch(client, token, preflight["state"]), app, "unknown_key")
    assert len(platform.fetched) == 1


def test_nul_characters_in_claims_are_taken_out(app, platform):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    token = platform.forge(preflight["nonce"], name="Nul\x00Person", sub="nul-sub",
                           email="nul@example.edu",
                           **{"https://purl.imsglobal.org/spec/lti/claim/context".replace(
                               "/", "__"): {"id": "c\x00x", "title": "T\x00"}})
    answer = lms.post_launch(client, token, preflight["state"])
    assert answer.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Account.display_name).where(
            Account.email_key == "nul@example.edu")) == "NulPerson"


def test_only_resource_link_and_deep_linking_launches_are_taken(app, platform):
    client = app.test_client()
    _answer, preflight = lms.login(client)
    token = platform.forge(preflight["nonce"], **{
        "https://purl.imsglobal.org/spec/lti/claim/message_type".replace("/", "__"):
        "DataPrivacyLaunchRequest",
        "https://purl.imsglobal.org/spec/lti/claim/for_user".replace("/", "__"): {"id": "u"}})
    _refused(lms.post_launch(client, token, preflight["state"]), app, "message_invalid",
             client)


def test_a_join_link_works_only_in_the_browser_that_launched(app, platform):
    _client, answer = _launch(app, platform, sub="t3", email="educator@example.org",
                              name="Ed", roles=[lms.INSTRUCTOR])
    join = answer.headers["Location"]
    other = signed_in(app, "educator@example.org")  # the link sent to someone's inbox
    assert other.get(join).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(LtiIdentity)) is None


def test_an_admin_account_is_never_joined_to_a_platform_account(app, platform):
    client, answer = _launch(app, platform, sub="a1", email="admin@example.org",
                             name="Admin", roles=[lms.INSTRUCTOR])
    join = answer.headers["Location"]
    assert sign_in(client, "admin@example.org").status_code == 302
    _refused(client.get(join), app, "link_admin")
    with app.app_context():
        assert db.session.scalar(select(LtiIdentity)) is None


def test_the_join_page_names_the_platform_account(app, platform):
    client, answer = _launch(app, platform, sub="t4", email="educator@example.org",
                             name="Ed From Canvas", roles=[lms.INSTRUCTOR])
    join = answer.headers["Location"]
    assert sign_in(client, "educator@example.org").status_code == 302
    page = client.get(join).get_data(as_text=True)
    assert "Ed From Canvas" in page and "educator@example.org" in page


def test_a_deep_link_choice_is_made_once_and_bad_dates_are_refused(app, platform, world):
    from tests.conftest import make_module_version

    with app.app_context():
        version = make_module_version().id
        db.session.commit()
    _client, page_path = _deep_link(app, platform, world)
    for when in ("9999-12-31T23:59", "0001-01-01T00:00", "not a date"):
        answer = app.test_client().post(page_path, data={
            "module_version_id": str(version), "opens_at": when,
            "due_at": "2027-02-15T23:59", "review_due_at": "2027-02-22T23:59"})
        assert answer.status_code == 400, when
    first = app.test_client().post(page_path, data={
        "module_version_id": str(version), "opens_at": "2027-02-01T09:00",
        "due_at": "2027-02-15T23:59", "review_due_at": "2027-02-22T23:59"})
    assert first.status_code == 200
    assert app.test_client().post(page_path, data={"assignment_id": "1"}).status_code == 404


def test_a_return_address_that_is_not_an_origin_never_reaches_the_header(app, platform, world):
    from webapp.lti.deep_linking import origin_of

    assert origin_of("https://p.example; frame-ancestors *; x/") is None
    assert origin_of("https://lms.example.edu:8443/x") == "https://lms.example.edu:8443"


def test_secrets_in_join_and_deep_link_addresses_never_reach_the_request_log(app, caplog):
    import logging

    from webapp.calendar import HideFeedTokens

    with caplog.at_level(logging.INFO, logger="werkzeug"):
        for path in ("/lti/join/s3cr3tjoin", "/lti/deep-link/s3cr3tlink"):
            logging.getLogger("werkzeug").info('"%s" %s', f"GET {path} HTTP/1.1", "200")
    assert "s3cr3t" not in caplog.text and "/lti/join/…" in caplog.text
    assert any(isinstance(f, HideFeedTokens) for f in logging.getLogger("werkzeug").filters)
