"""Security defaults: the sign-in loader, headers on every response, proxy handling."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request, url_for
from flask import redirect as http_redirect
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import resubmit
from webapp.auth import operations
from webapp.auth.forms import SignInForm
from webapp.extensions import db, login_manager

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def init_app(app) -> None:
    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    login_manager.session_protection = None  # the LoginSession row is the protection
    login_manager.user_loader(_load_account)
    login_manager.unauthorized_handler(_unauthorized)
    app.after_request(_headers)


def _load_account(login_session_id: str):
    account, touched = operations.current_account(
        db.session, login_session_id, current_app.config
    )
    if touched:
        db.session.commit()
    return account


def wants_json() -> bool:
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    accepted = request.accept_mimetypes
    return best == "application/json" and accepted[best] > accepted["text/html"]


def _unauthorized():
    """Not signed in (or the sign-in ended). A post keeps what was typed for after sign-in."""
    message = _("Please sign in to continue.")
    if wants_json():
        return jsonify(error="unauthorized", message=message), 401
    if request.method == "POST":
        form = SignInForm(formdata=None)
        form.resume.data = resubmit.encode(request.path, resubmit.posted_fields())
        return (
            render_template("auth/sign_in.html", form=form, resuming=True),
            401,
        )
    return http_redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))


def _headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if current_user.is_authenticated or request.endpoint != "static":
        # Pages may show personal data; never keep them in a shared or back-button cache.
        headers["Cache-Control"] = "no-store"
    return response
