"""A learning platform for the LTI tests.

Happy paths go through ``lti1p3platform``, a platform-side LTI 1.3 library that is not ours:
it signs the launch the way a platform does. It checks loosely, so the refusal tests forge
their own tokens from the LTI 1.3 core specification's claims (``forge``).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration

ISSUER = "https://lms.example.edu"
CLIENT_ID = "coproduce-client-1"
DEPLOYMENT = "deployment-1"
AUTH_URL = "https://lms.example.edu/api/lti/authorize_redirect"
KEYSET_URL = "https://lms.example.edu/api/lti/security/jwks"
TOKEN_URL = "https://lms.example.edu/login/oauth2/token"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
LMS_ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def _key_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (private.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode(),
            private.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo
                                              ).decode())


_KEYS = [_key_pair(), _key_pair()]  # made once per run: RSA keys are slow to make


@dataclass
class Platform:
    """One platform: its current signing key and the key set it publishes."""

    kid: str = "platform-key-1"
    issuer: str = ISSUER
    private_pem: str = _KEYS[0][0]
    public_pem: str = _KEYS[0][1]
    published: list = field(default_factory=list)

    def __post_init__(self):
        self.published = [self.jwk(self.public_pem, self.kid)]

    @staticmethod
    def jwk(public_pem: str, kid: str) -> dict:
        key = serialization.load_pem_public_key(public_pem.encode())
        found = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
        return {**found, "kid": kid, "alg": "RS256", "use": "sig"}

    def jwks(self) -> dict:
        return {"keys": list(self.published)}

    def rotate(self, kid: str = "platform-key-2") -> None:
        """A new signing key, published beside the old one."""
        self.kid, (self.private_pem, self.public_pem) = kid, _KEYS[1]
        self.published.append(self.jwk(self.public_pem, kid))

    def registration(self, launch_url: str) -> Registration:
        kid = self.kid

        class _Registration(Registration):
            def get_kid(self):
                return kid

        return (_Registration().set_iss(self.issuer).set_client_id(CLIENT_ID)
                .set_deployment_id(DEPLOYMENT).set_launch_url(launch_url)
                .set_oidc_login_url(launch_url).set_deeplink_launch_url(launch_url)
                .set_platform_public_key(self.public_pem)
                .set_platform_private_key(self.private_pem))

    def library_launch(self, preflight: dict, *, sub: str, email: str, name: str,
                       roles: list[str], context: str = "course-101",
                       custom: dict | None = None, deep_link_return: str = "") -> dict:
        """The launch ``lti1p3platform`` signs for the tool's login redirect
        (``preflight``: the query of the redirect to the platform's login address)."""
        registration = self.registration(preflight["redirect_uri"])

        class Conf(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **_kw):
                self._registration = registration

            def get_registration_by_params(self, **_kw):
                return registration

        class Launch(LTIAdvantageMessageLaunchAbstract):
            def render_launch_form(self, launch_data, **_kw):
                return launch_data

            def get_preflight_response(self):
                return preflight

        message = Launch({"get_data": preflight}, Conf())
        message.set_user_data(sub, roles, full_name=name, email_address=email)
        message.set_launch_context_claim(context, context_title="Coproduction 101")
        message.set_resource_link_claim(f"link-{context}")
        if custom:
            message.set_custom_parameters_claim(custom)
        if deep_link_return:
            message.set_dl(deep_link_return, title="Coproduce",
                           accept_types={"ltiResourceLink"}, extra_data={"opaque": "x1"})
        return message.lti_launch()

    def read_deep_link_answer(self, answer_jwt: str, tool_jwks: dict) -> list[dict]:
        """The platform library checks the tool's signed answer and returns its items."""
        registration = self.registration("http://127.0.0.1:5000/lti/launch")
        registration.set_tool_key_set(tool_jwks)

        class Conf(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **_kw):
                self._registration = registration

            def get_registration_by_params(self, **_kw):
                return registration

        return Conf().validate_deeplinking_resp({"JWT": answer_jwt})

    def forge(self, login_nonce: str, *, kid: str | None = None, private_pem: str | None = None,
              headers: dict | None = None, **overrides) -> str:
        """A launch token built by hand from the specification's claims; any claim may be
        overridden (``None`` removes it)."""
        moment = int(time.time())
        claims = {
            "iss": ISSUER, "aud": CLIENT_ID, "azp": CLIENT_ID, "sub": "user-forged",
            "exp": moment + 300, "iat": moment, "nonce": login_nonce, "email": "forged@example.edu",
            "name": "Forged Person",
            CLAIM + "message_type": "LtiResourceLinkRequest", CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": DEPLOYMENT,
            CLAIM + "target_link_uri": "http://127.0.0.1:5000/lti/launch",
            CLAIM + "resource_link": {"id": "link-1"}, CLAIM + "roles": [LEARNER],
            CLAIM + "context": {"id": "course-101", "title": "Coproduction 101"},
        }
        for key, value in overrides.items():
            name = key.replace("__", "/")
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        header = {"kid": kid or self.kid, **(headers or {})}
        return jwt.encode(claims, private_pem or self.private_pem, algorithm="RS256",
                          headers={k: v for k, v in header.items() if v is not None})


def login(client, *, login_hint="user-1", deployment=DEPLOYMENT, issuer=ISSUER,
          client_id=CLIENT_ID):
    """The platform starts the login; returns the answer and the query the tool sent the
    browser to the platform with (state, nonce, redirect_uri ...)."""
    answer = client.post("/lti/login", data={
        "iss": issuer, "login_hint": login_hint, "client_id": client_id,
        "target_link_uri": "http://127.0.0.1:5000/lti/launch",
        "lti_deployment_id": deployment, "lti_message_hint": "hint-" + uuid.uuid4().hex[:6]},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://lms.example.edu"})
    if answer.status_code != 302:
        return answer, {}
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}
    return answer, query


def post_launch(client, id_token: str, state: str):
    return client.post("/lti/launch", data={"id_token": id_token, "state": state},
                       headers={"Sec-Fetch-Site": "cross-site",
                                "Origin": "https://lms.example.edu"})
