"""The LTI endpoints a platform calls (its key-set, login and launch addresses; cross-site by
design, so the only endpoints without the form token and same-site checks), and the pages a
launch may lead to: joining an existing account, linking a course to a cohort, waiting for a
course to be linked."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from webapp import audit, resubmit
from webapp.auth import operations as auth_ops
from webapp.extensions import csrf, db
from webapp.lti import accounts, bp, deep_linking, keys
from webapp.lti import launch as checks
from webapp.lti.launch import Refusal
from webapp.models import Cohort, LtiContext, LtiPlatform
from webapp.web import attempt, small_int

#: Which launches' courses this browser's person is an instructor of (kept in the session:
#: only they may link that course to a cohort).
_INSTRUCTS = "lti_instructs"
#: A cookie with the start of the join token of this browser's launch.
_JOINING = "coproduce_lti_join"


def reasons() -> dict[str, str]:
    checked = _("The message from your learning platform could not be checked as really "
                "coming from it.")
    used = _("This sign-in from your learning platform was already used, or is too old.")
    unreadable = _("The message from your learning platform could not be read.")
    return {
        "unknown_issuer": _("Coproduce does not know the learning platform this came from."),
        "unknown_deployment": _("This installation of Coproduce in your learning platform "
                                "is not registered with Coproduce."),
        "login_incomplete": _("Your learning platform did not send everything a sign-in "
                              "needs."),
        "state_missing": used, "state_unknown": used, "state_reused": used,
        "state_expired": used, "nonce_mismatch": used,
        "token_missing": unreadable, "token_malformed": unreadable,
        "message_invalid": _("The message from your learning platform lacks something "
                             "Coproduce needs."),
        "token_expired": _("The message from your learning platform is too old."),
        "token_not_yet_valid": _("The message from your learning platform is dated in the "
                                 "future: one of the two clocks is wrong."),
        "wrong_audience": _("The message from your learning platform was meant for another "
                            "tool."),
        "wrong_issuer": _("The message from your learning platform was meant for another "
                          "tool."),
        "bad_signature": checked, "unknown_key": checked,
        "keyset_unreachable": _("Coproduce could not fetch your learning platform's keys to "
                                "check its message."),
        "no_email": _("Your learning platform did not share your email address, which "
                      "Coproduce needs to make your account. Ask whoever runs the platform "
                      "to share it with Coproduce."),
        "account_closed": _("The Coproduce account joined to your learning platform account "
                            "is closed."),
        "deep_link_not_instructor": _("Only an instructor of the course can add Coproduce "
                                      "to it."),
        "link_admin": _("A site administrator's account cannot be opened from a learning "
                        "platform. Sign in to Coproduce directly."),
        "link_other_account": _("You are signed in to a different Coproduce account from the "
                                "one with your email address. Sign out, then sign in to that "
                                "one."),
    }


def refused(refusal: Refusal, status: int = 400):
    """The refusal page, with the reason in plain words and its code; logged to the audit
    trail (in its own transaction, since what the launch wrote is rolled back)."""
    db.session.rollback()
    audit.record(db.session, "lti_refused", reason=refusal.reason, issuer=refusal.issuer,
                 address=(request.remote_addr or "")[:64])
    db.session.commit()
    words = reasons().get(refusal.reason, reasons()["token_malformed"])
    return render_template("lti/refused.html", words=words, code=refusal.reason), status


@bp.route("/lti/jwks.json")
def jwks():
    """Coproduce's public keys, for platforms to check what Coproduce signs."""
    body = keys.tool_jwks(db.session)
    if not body["keys"]:
        keys.tool_key(db.session)
        db.session.commit()
        body = keys.tool_jwks(db.session)
    response = jsonify(body)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/lti/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    """Step 1 (OIDC third-party login): remember a fresh state and nonce, and send the
    browser to the platform to sign the launch."""
    form = request.values.to_dict()
    try:
        platform, state, nonce = checks.begin_login(db.session, form)
    except Refusal as refusal:
        return refused(refusal)
    db.session.commit()
    query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
             "prompt": "none", "client_id": platform.client_id,
             "redirect_uri": url_for("lti.launch", _external=True), "state": state,
             "nonce": nonce, "login_hint": form.get("login_hint", "")}
    if form.get("lti_message_hint"):
        query["lti_message_hint"] = form["lti_message_hint"]
    joiner = "&" if "?" in platform.auth_url else "?"
    return redirect(platform.auth_url + joiner + urlencode(query), 302)


@bp.route("/lti/launch", methods=["POST"])
@csrf.exempt
def launch():
    """Step 2: the platform posts the signed launch; checked, it signs the person in (a new
    sign-in like any other) and goes on to the course's cohort or assignment."""
    try:
        checked = checks.check(db.session, request.form.to_dict())
        account, waiting = accounts.arrive(db.session, checked)
        if account is None:
            db.session.commit()
            # only this browser, the one that launched, may join the accounts (a cookie of
            # its own: signing in starts a new session)
            answer = redirect(url_for("lti.join_account", token=waiting), 303)
            answer.set_cookie(_JOINING, waiting[:16], max_age=24 * 3600, httponly=True,
                              samesite="Lax", path="/lti/join",
                              secure=current_app.config["SESSION_COOKIE_SECURE"])
            return answer
        target = accounts.settle(db.session, account, checked.platform, checked.as_dict())
        if checked.message_type == "LtiDeepLinkingRequest":
            course = accounts.course_of(db.session, checked.platform, checked.as_dict())
            token = deep_linking.begin(db.session, account, checked, course)
            db.session.commit()  # the choosing pages are framed: no sign-in there
            return redirect(url_for("lti.deep_link", token=token), 303)
    except Refusal as refusal:
        return refused(refusal)
    _sign_in(account)
    _remember_instructor(checked.platform.id, checked.as_dict())
    db.session.commit()
    return redirect(target, 303)


def _remember_instructor(platform_id: int, data: dict) -> None:
    """An instructor's launch: this browser may link the course to a cohort."""
    if checks.role_in_course(data.get("roles") or []) != "educator" \
            or not data.get("context_id"):
        return
    course = db.session.scalar(select(LtiContext.id).where(
        LtiContext.platform_id == platform_id, LtiContext.context_id == data["context_id"]))
    if course is not None:
        session[_INSTRUCTS] = sorted({*session.get(_INSTRUCTS, []), course})[-20:]


def _sign_in(account) -> None:
    resubmit.clear_session()
    auth_ops.start_login_session(db.session, account, "lti")
    login_user(account)


@bp.route("/lti/join/<token>", methods=["GET", "POST"])
def join_account(token: str):
    """Someone whose email has an account already: they sign in to it, then say yes."""
    row = accounts.pending(db.session, token)
    if row is None or request.cookies.get(_JOINING) != token[:16]:
        return render_template("lti/join.html", row=None), 404
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.path), 303)
    if current_user.id != row.account_id:
        return refused(Refusal("link_other_account"), 403)
    if current_user.admin:  # a platform's sign-in never opens an admin account
        return refused(Refusal("link_admin"), 403)
    platform = db.session.get(LtiPlatform, row.platform_id)
    if request.method == "POST":
        data = dict(row.launch)

        def _join(session_):
            accounts.join(session_, row, current_user._get_current_object())
            return accounts.settle(session_, current_user._get_current_object(), platform,
                                   data)

        outcome = attempt(_join)
        if outcome.refusal:
            abort(409)
        _remember_instructor(platform.id, data)
        answer = redirect(outcome.result, 303)
        answer.delete_cookie(_JOINING, path="/lti/join")
        return answer
    return render_template("lti/join.html", row=row, platform=platform,
                           who=row.launch.get("name") or "", email=row.launch.get("email"))


@bp.route("/lti/courses/<int:course_id>/link", methods=["GET", "POST"])
def link_course(course_id: int):
    """An instructor who launched from the course links it to a cohort they teach."""
    course = db.session.get(LtiContext, course_id)
    if course is None or course_id not in session.get(_INSTRUCTS, []):
        abort(404)
    if course.cohort_id is not None:
        return redirect(url_for("teach.cohort", cohort_id=course.cohort_id), 303)
    problem = ""
    if request.method == "POST":
        ident = small_int(request.form.get("cohort_id"))
        cohort = db.session.get(Cohort, ident) if ident else None
        outcome = attempt(lambda s: accounts.link_course(
            s, current_user._get_current_object(), course, cohort))
        if not outcome.refusal:
            return redirect(url_for("teach.cohort", cohort_id=cohort.id), 303)
        problem = outcome.message
    taught = accounts.cohorts_taught(db.session, current_user)
    return render_template("lti/link_course.html", course=course, cohorts=taught,
                           problem=problem), 400 if problem else 200


@bp.route("/lti/waiting")
def waiting():
    return render_template("lti/waiting.html")
