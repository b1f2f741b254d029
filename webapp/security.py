"""Security defaults: the sign-in loader, headers on every response, proxy handling."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app, g, jsonify, render_template, request, url_for
from flask import redirect as http_redirect
from flask_babel import gettext as _
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
    app.url_defaults(_static_version)


def _load_account(login_session_id: str):
    account, touched = operations.current_account(
        db.session, login_session_id, current_app.config
    )
    if touched:
        db.session.commit()
    return account


def _unauthorized():
    """Not signed in (or the sign-in ended). A post keeps what was typed for after sign-in."""
    from webapp.web import wants_json

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


#: How long browsers and proxies keep a static file whose address names its content.
_STATIC_MAX_AGE = 365 * 24 * 3600
_HSTS = "max-age=63072000"


def _static_version(endpoint: str, values: dict) -> None:
    """Every static file's address carries a hash of its content (``?v=…``), so it can be
    cached for a year and a changed file is fetched again at once."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        values["v"] = static_hash(values["filename"])


def static_hash(filename: str) -> str:
    folder = Path(current_app.static_folder)
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return "0"
    return _hash_of(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _hash_of(path: str, _mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def framed_by(origins: list[str], posts_to: list[str] = ()) -> None:
    """Let this answer be framed by ``origins`` only (a learning platform's deep-linking
    pages; every other page refuses every frame) and post a form to ``posts_to``."""
    g.framed_by, g.posts_to = list(origins), list(posts_to)


def _csp() -> str:
    origins = g.get("framed_by")
    if not origins:
        return _CSP
    extra = " ".join(g.get("posts_to") or [])
    return (_CSP.replace("frame-ancestors 'none'", "frame-ancestors " + " ".join(origins))
            .replace("form-action 'self'", f"form-action 'self' {extra}".rstrip()))


def _headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _csp())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not g.get("framed_by"):  # frame-ancestors alone decides for the framed pages
        headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure and not current_app.config.get("DEVELOPMENT"):
        headers["Strict-Transport-Security"] = _HSTS
    if request.endpoint == "static" and response.status_code in (200, 304):
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") == static_hash(filename):
            headers["Cache-Control"] = f"public, max-age={_STATIC_MAX_AGE}, immutable"
        else:
            headers["Cache-Control"] = "no-cache"  # an old or missing hash: ask each time
    else:
        # Pages may show personal data; never keep them in a shared or back-button cache.
        headers["Cache-Control"] = "no-store"
    return response
