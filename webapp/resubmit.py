"""Keep what a person typed when a post cannot be accepted as it stands.

When the CSRF token is missing or wrong, or the sign-in ended while the person was typing,
nothing is saved; the page shows the posted fields again (never passwords) in a form with a
fresh token, so one more click sends them.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import current_app, g, render_template, request, session

_NEVER_ECHOED = ("password", "confirm", "current", "csrf_token", "resume")
_MAX_FIELDS = 50


def safe_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site (no scheme, host or backslash tricks)."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


def had_session() -> bool:
    """Whether the browser already held a session with us (the cookie came and was valid).

    The page that offers typed text back exists to rescue a person's own typing; a post
    from a browser with no session of ours is not someone's lost work and gets no such page.
    """
    return bool(request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])) and bool(session)


def clear_session() -> None:
    """Empty the session and forget the form token cached for this request.

    Flask-WTF keeps the token it made for this request in ``g``; a page rendered after the
    session is emptied would otherwise carry a token the new session no longer holds, and
    its first post would be refused.
    """
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def posted_fields() -> list[tuple[str, str]]:
    """The posted form fields a person typed, minus secrets, in the order sent."""
    fields = []
    for name, value in request.form.items(multi=True):
        if any(secret in name.lower() for secret in _NEVER_ECHOED):
            continue
        fields.append((name[:100], value))
        if len(fields) >= _MAX_FIELDS:
            break
    return fields


def encode(url: str, fields: list[tuple[str, str]]) -> str:
    return json.dumps({"url": url, "fields": fields})


def decode(raw: str | None) -> tuple[str, list[tuple[str, str]]] | None:
    """The (url, fields) a sign-in form carried, or None if absent or not ours."""
    if not raw:
        return None
    try:
        data = json.loads(raw)
        url = safe_path(data["url"])
        fields = [(str(n), str(v)) for n, v in data["fields"]][:_MAX_FIELDS]
    except (ValueError, KeyError, TypeError):
        return None
    return (url, fields) if url else None


def render(url: str, fields: list[tuple[str, str]], reason: str, status: int = 400,
           message: str = ""):
    return render_template("resubmit.html", url=url, fields=fields, reason=reason,
                           message=message), status
