"""Requests turned away at the door, before any view runs.

Two rules hold for every endpoint, so no form or JSON body can forget them:

* A state-changing request must come from this site. Browsers say where a request came from
  (``Sec-Fetch-Site``, else ``Origin``); a post from another site — even a sibling on the same
  registrable domain — is refused with 403, shows nothing of what it carried and sets no
  cookie, so it can neither act for a signed-in person nor sign them out. Endpoints that are
  cross-site by design are listed in ``CROSS_SITE_ENDPOINTS`` and nowhere else.
* Input the databases cannot hold the same way is refused with a clear answer instead of a
  500: a NUL character (PostgreSQL cannot store one; SQLite can, so development and
  production would differ) anywhere in the address, query, form or JSON body, and whole
  numbers beyond a database integer in a JSON body or an ``<int:…>`` part of the address.
  A form keeps what the person typed: the fields come back without the NUL characters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import g, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

#: Endpoints that other sites may post to on purpose: a learning platform's LTI login and
#: launch (``webapp.lti.CROSS_SITE``), and nothing else.
CROSS_SITE_ENDPOINTS: frozenset[str] = frozenset({"lti.login", "lti.launch"})

#: The largest whole number a database integer column holds (PostgreSQL ``integer``).
DB_INT_MAX = 2**31 - 1

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})


class DatabaseInt(IntegerConverter):
    """``<int:…>`` in a route, limited to what a database id can be (a larger one is a 404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class _DoorSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, except that a refused request never sets a cookie."""

    def save_session(self, app, session, response):
        if g.get("refused_at_door"):
            return
        super().save_session(app, session, response)


def init_app(app) -> None:
    """Install the checks; call before blueprints (routes bind converters when added) and
    before CSRF protection (a cross-site post is refused before its token is even read)."""
    app.url_map.converters["int"] = DatabaseInt
    app.session_interface = _DoorSessionInterface()
    app.before_request(_check_request)


def trusted_origins() -> set[str]:
    """Origins allowed to post: the site's own address (``BASE_URL``) and, in development,
    the address the browser actually used (``localhost`` and ``127.0.0.1`` both work)."""
    from flask import current_app

    trusted = {_origin(current_app.config["BASE_URL"])}
    if current_app.config.get("DEVELOPMENT") or current_app.config.get("TESTING"):
        trusted.add(_origin(request.host_url))
    return trusted


def _origin(url: str) -> str:
    parts = urlsplit(url.strip().lower())
    return f"{parts.scheme}://{parts.netloc}"


def is_cross_site() -> bool:
    """True when the browser says this request was started by another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in _TRUSTED_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return False  # not a browser that says (a command-line client): the CSRF token decides
    origin = origin.strip().lower()
    return origin == "null" or origin not in trusted_origins()


def refuse_at_door(code: int, detail: str, **json_fields):
    """An answer that carries nothing the request sent and sets no cookie."""
    from webapp.errors import render_error
    from webapp.web import wants_json

    g.refused_at_door = True
    if json_fields and wants_json():
        return jsonify(error=json_fields.pop("error"), message=detail, **json_fields), code
    return render_error(code, detail)


def _check_request():
    if (request.method not in _SAFE_METHODS and request.endpoint not in CROSS_SITE_ENDPOINTS
            and is_cross_site()):
        return refuse_at_door(403, _(
                "This request came from another website, so it was refused and nothing was "
                "changed. If you meant to do this, open the page on this site and use its "
                "buttons."))
    return _check_input()


def _check_input():
    if "\x00" in request.path or any("\x00" in k or "\x00" in v
                                     for k, v in request.args.items(multi=True)):
        return refuse_at_door(400, _("The address contains a character that cannot be used "
                                     "(an invisible NUL character). Check the link."))
    if request.method in _SAFE_METHODS:
        return None
    if request.is_json:
        return _check_json()
    return _check_form()


def _nul_message() -> str:
    return _("What you sent contains an invisible character (NUL) that cannot be stored, "
             "often picked up when copying from another program. Nothing was saved. It has "
             "been taken out of the text below: check it and send it again.")


def _check_form():
    fields = request.form.items(multi=True)
    names = [f.filename or "" for f in request.files.values()]
    if not any("\x00" in name or "\x00" in value for name, value in fields) and \
            not any("\x00" in name for name in names):
        return None
    from webapp import resubmit

    if not resubmit.had_session():
        return refuse_at_door(400, _nul_message())
    cleaned = [(n.replace("\x00", ""), v.replace("\x00", ""))
               for n, v in resubmit.posted_fields()]
    return resubmit.render(request.path, cleaned, reason="nul", status=400)


def _check_json():
    data = request.get_json(silent=True)
    if data is None:
        return None  # the view answers malformed JSON itself
    problem = _json_problem(data)
    if problem is None:
        return None
    return refuse_at_door(400, problem, error="invalid")


def _json_problem(value, depth: int = 0) -> str | None:
    if depth > 20:
        return _("The data is nested too deeply.")
    if isinstance(value, str):
        return _nul_message() if "\x00" in value else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        if abs(value) > DB_INT_MAX:
            return _("A number in what you sent is too large (at most %(n)d).", n=DB_INT_MAX)
        return None
    if isinstance(value, float):
        if value != value or abs(value) > DB_INT_MAX:
            return _("A number in what you sent is too large (at most %(n)d).", n=DB_INT_MAX)
        return None
    items = value.items() if isinstance(value, dict) else value if isinstance(value, list) \
        else ()
    for item in items:
        pair = item if isinstance(value, dict) else (None, item)
        for part in pair:
            problem = _json_problem(part, depth + 1)
            if problem:
                return problem
    return None
