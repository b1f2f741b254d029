"""Registering a learning platform (admins, on the web or with ``coproduce lti
add-platform``), and the values its administrator pastes into the platform."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import audit
from webapp.models import LtiDeployment, LtiPlatform
from webapp.refusals import Refused

FIELDS = ("name", "issuer", "client_id", "deployment_ids", "auth_url", "keyset_url",
          "token_url")


def tool_urls() -> dict[str, str]:
    """What a platform administrator pastes (docs/lti.md)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return {"login": f"{base}/lti/login", "launch": f"{base}/lti/launch",
            "redirect": f"{base}/lti/launch", "jwks": f"{base}/lti/jwks.json",
            "deep_linking": f"{base}/lti/launch", "domain": urlsplit(base).netloc}


def _url(value: str, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    parts = urlsplit(value)
    local = current_app.config.get("TESTING") or current_app.config.get("DEVELOPMENT")
    if parts.scheme not in (("https", "http") if local else ("https",)) or not parts.netloc \
            or len(value) > 500:
        raise Refused(_("%(what)s must be a full https:// address (at most 500 characters).",
                        what=what))
    return value


def add(session, actor, form: dict) -> LtiPlatform:
    name = (form.get("name") or "").strip()
    issuer = (form.get("issuer") or "").strip()
    client_id = (form.get("client_id") or "").strip()
    if not name or len(name) > 120:
        raise Refused(_("Give the platform a name of at most 120 characters, such as "
                        "“Canvas at our university”."))
    if not issuer or len(issuer) > 255 or not client_id or len(client_id) > 255:
        raise Refused(_("The issuer and the client id are needed, each at most 255 "
                        "characters: the platform shows both when Coproduce is added."))
    deployments = sorted({d for d in re.split(r"[\s,]+", form.get("deployment_ids") or "")
                          if d})
    if not deployments or any(len(d) > 255 for d in deployments):
        raise Refused(_("Give at least one deployment id (separate several with commas)."))
    urls = {"auth_url": _url(form.get("auth_url"), _("The platform's login address")),
            "keyset_url": _url(form.get("keyset_url"), _("The platform's key set address")),
            "token_url": _url(form.get("token_url"), _("The platform's token address"),
                              required=False)}
    if session.scalar(select(LtiPlatform.id).where(LtiPlatform.issuer == issuer,
                                                   LtiPlatform.client_id == client_id)):
        raise Refused(_("A platform with this issuer and client id is registered already."),
                      status=409)
    platform = LtiPlatform(name=name, issuer=issuer, client_id=client_id, **urls)
    platform.deployments = [LtiDeployment(deployment_id=d) for d in deployments]
    session.add(platform)
    session.flush()
    audit.record(session, "lti_platform_added", actor_id=getattr(actor, "id", None),
                 platform=name, issuer=issuer)
    return platform


def remove(session, actor, platform: LtiPlatform) -> str:
    name = platform.name
    audit.record(session, "lti_platform_removed", actor_id=getattr(actor, "id", None),
                 platform=name)
    session.delete(platform)
    session.flush()
    return name
