"""Checking a launch: the OIDC login that starts it and the signed token the platform posts.

Every check named in the 1EdTech Security Framework for a tool is made here, once:
state and nonce issued by us, kept on the server, used once and for ten minutes at most; the
token's issuer, audience (and ``azp`` when it names one), deployment, expiry and issue time;
its signature by a key of the platform's key set (fetched again when the key id is unknown);
and the LTI message itself (``pylti1p3``'s message validators). Any failure raises
``Refusal`` with a reason the refusal page and the audit trail name.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import jwt
from pylti1p3.exception import LtiException
from pylti1p3.message_validators import get_validators
from sqlalchemy import delete, select, update

from webapp.clock import now
from webapp.lti import keys
from webapp.models import LtiDeployment, LtiLaunchState, LtiPlatform

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
#: How long a login may take before its launch arrives.
STATE_LIFETIME = timedelta(minutes=10)
#: Unused or used states are deleted after this long.
FORGET_STATES_AFTER = timedelta(hours=1)
#: Clocks differ a little between servers.
LEEWAY = timedelta(seconds=60)
MAX_TOKEN_CHARS = 20_000


class Refusal(Exception):
    def __init__(self, reason: str, issuer: str = "") -> None:
        super().__init__(reason)
        self.reason, self.issuer = reason, issuer


@dataclass
class Launch:
    """What a checked launch says."""

    platform: LtiPlatform
    sub: str
    email: str
    name: str
    message_type: str
    roles: list[str]
    context_id: str
    context_title: str
    custom: dict = field(default_factory=dict)
    memberships_url: str = ""
    deep_linking: dict | None = None
    deployment_id: str = ""
    resource_link_id: str = ""

    def as_dict(self) -> dict:
        return {"sub": self.sub, "email": self.email, "name": self.name,
                "message_type": self.message_type, "roles": self.roles,
                "context_id": self.context_id, "context_title": self.context_title,
                "custom": self.custom, "memberships_url": self.memberships_url,
                "deep_linking": self.deep_linking, "deployment_id": self.deployment_id,
                "resource_link_id": self.resource_link_id}


def _text(value, limit: int = 255) -> str:
    """A claim as text of at most ``limit`` characters (NUL characters, which no database
    stores the same way, taken out)."""
    return value.replace("\x00", "")[:limit] if isinstance(value, str) else ""


def _clean(settings: dict) -> dict:
    """The platform's deep-linking settings without NUL characters (kept as they came)."""
    return json.loads(json.dumps(settings).replace("\\u0000", ""))


def find_platform(session, issuer: str, client_id: str | None) -> LtiPlatform | None:
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    found = session.scalars(query.order_by(LtiPlatform.id)).all()
    return found[0] if len(found) == 1 else None


def begin_login(session, form: dict) -> tuple[LtiPlatform, str, str]:
    """The platform's third-party login request: returns (platform, state, nonce), the pair
    kept on the server for the launch that follows."""
    issuer = _text(form.get("iss"))
    if not issuer or not _text(form.get("login_hint"), 2000) \
            or not _text(form.get("target_link_uri"), 2000):
        raise Refusal("login_incomplete", issuer)
    platform = find_platform(session, issuer, _text(form.get("client_id")) or None)
    if platform is None:
        raise Refusal("unknown_issuer", issuer)
    deployment = _text(form.get("lti_deployment_id"))
    if deployment and not _deployed(session, platform, deployment):
        raise Refusal("unknown_deployment", issuer)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.execute(delete(LtiLaunchState).where(  # logins never finished, long gone
        LtiLaunchState.created_at < now() - FORGET_STATES_AFTER))
    session.add(LtiLaunchState(state=state, nonce=nonce, platform_id=platform.id))
    session.flush()
    return platform, state, nonce


def _deployed(session, platform: LtiPlatform, deployment_id: str) -> bool:
    return session.scalar(select(LtiDeployment.id).where(
        LtiDeployment.platform_id == platform.id,
        LtiDeployment.deployment_id == deployment_id)) is not None


def _use_state(session, state: str) -> LtiLaunchState:
    """The login's state, used now (a second use, or one after ten minutes, is refused)."""
    if not state or len(state) > 64:
        raise Refusal("state_missing")
    row = session.scalar(select(LtiLaunchState).where(LtiLaunchState.state == state))
    if row is None:
        raise Refusal("state_unknown")
    moment = now()
    used = session.execute(update(LtiLaunchState).where(
        LtiLaunchState.id == row.id, LtiLaunchState.used_at.is_(None))
        .values(used_at=moment)).rowcount
    if not used:
        raise Refusal("state_reused")
    if moment - row.created_at > STATE_LIFETIME:
        raise Refusal("state_expired")
    return row


def check(session, form: dict) -> Launch:
    """The platform's post to the launch address, checked whole."""
    token = form.get("id_token") or ""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise Refusal("token_missing")
    row = _use_state(session, _text(form.get("state"), 100))
    nonce, platform_id = row.nonce, row.platform_id
    session.commit()  # used, whatever follows: a refused launch cannot try the state again
    platform = session.get(LtiPlatform, platform_id)
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise Refusal("token_malformed", platform.issuer) from exc
    if unverified.get("iss") != platform.issuer:
        raise Refusal("wrong_issuer", platform.issuer)
    if header.get("alg") != "RS256":
        raise Refusal("bad_signature", platform.issuer)
    try:
        key = keys.platform_key(platform, _text(header.get("kid")))
    except keys.KeyProblem as problem:
        issuer = platform.issuer
        session.commit()  # keep when the keys were fetched: the once-a-minute limit holds
        raise Refusal(problem.reason, issuer) from problem
    session.commit()
    body = _verified(token, key, platform)
    if not secrets.compare_digest(str(body.get("nonce", "")), nonce):
        raise Refusal("nonce_mismatch", platform.issuer)
    deployment = _text(body.get(CLAIM + "deployment_id"))
    if not deployment or not _deployed(session, platform, deployment):
        raise Refusal("unknown_deployment", platform.issuer)
    try:
        validated = [v.validate(body) for v in get_validators() if v.can_validate(body)]
    except (LtiException, AttributeError, TypeError, KeyError, ValueError) as exc:
        # the library's validators read claims of any shape: whatever they stumble on is
        # a message that lacks what LTI asks for
        raise Refusal("message_invalid", platform.issuer) from exc
    if validated != [True] or _text(body.get(CLAIM + "message_type")) not in (
            "LtiResourceLinkRequest", "LtiDeepLinkingRequest"):
        raise Refusal("message_invalid", platform.issuer)
    return _launch(platform, body, deployment)


def _verified(token: str, key, platform: LtiPlatform) -> dict:
    try:
        body = jwt.decode(token, key, algorithms=["RS256"], audience=platform.client_id,
                          issuer=platform.issuer, leeway=LEEWAY,
                          options={"require": ["exp", "iat", "aud", "iss", "sub", "nonce"]})
    except jwt.ExpiredSignatureError as exc:
        raise Refusal("token_expired", platform.issuer) from exc
    except jwt.ImmatureSignatureError as exc:
        raise Refusal("token_not_yet_valid", platform.issuer) from exc
    except jwt.InvalidAudienceError as exc:
        raise Refusal("wrong_audience", platform.issuer) from exc
    except jwt.InvalidIssuedAtError as exc:
        raise Refusal("token_not_yet_valid", platform.issuer) from exc
    except jwt.InvalidSignatureError as exc:
        raise Refusal("bad_signature", platform.issuer) from exc
    except jwt.PyJWTError as exc:
        raise Refusal("token_malformed", platform.issuer) from exc
    audience = body.get("aud")
    several = isinstance(audience, list) and len(audience) > 1
    azp = body.get("azp")
    if (several and azp is None) or (azp is not None and azp != platform.client_id):
        raise Refusal("wrong_audience", platform.issuer)
    return body


def _launch(platform: LtiPlatform, body: dict, deployment: str) -> Launch:
    context = body.get(CLAIM + "context") or {}
    custom = body.get(CLAIM + "custom") or {}
    names = body.get(NRPS) or {}
    name = _text(body.get("name"), 120) or " ".join(
        part for part in (_text(body.get("given_name"), 60), _text(body.get("family_name"), 60))
        if part)
    return Launch(
        platform=platform, sub=_text(body.get("sub")), email=_text(body.get("email"), 254),
        name=name.strip(), message_type=_text(body.get(CLAIM + "message_type"), 60),
        roles=[r for r in (body.get(CLAIM + "roles") if isinstance(body.get(CLAIM + "roles"),
                                                                    list) else [])
               if isinstance(r, str)][:50],
        context_id=_text(context.get("id") if isinstance(context, dict) else ""),
        context_title=_text(context.get("title") if isinstance(context, dict) else "", 200),
        custom={_text(str(k), 60): _text(v, 200) for k, v in custom.items()}
        if isinstance(custom, dict) else {},
        memberships_url=_text(names.get("context_memberships_url") if isinstance(names, dict)
                              else "", 500),
        deep_linking=_clean(body.get(DEEP_LINKING)) if isinstance(body.get(DEEP_LINKING), dict)
        else None,
        deployment_id=deployment,
        resource_link_id=_text((body.get(CLAIM + "resource_link") or {}).get("id")
                               if isinstance(body.get(CLAIM + "resource_link"), dict) else ""))


#: Context roles (LTI 1.3 core, appendix A.2) and what they make a person in the cohort.
INSTRUCTOR_ROLES = {
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#TeachingAssistant",
    "Instructor", "TeachingAssistant",
}
LEARNER_ROLES = {"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                 "http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#Learner",
                 "Learner"}


def role_in_course(roles: list[str]) -> str | None:
    """``educator`` for an instructor or teaching assistant of the course, ``student`` for a
    learner, else None. A platform administrator is neither (and never a Coproduce admin)."""
    if INSTRUCTOR_ROLES & set(roles):
        return "educator"
    if LEARNER_ROLES & set(roles):
        return "student"
    return None
