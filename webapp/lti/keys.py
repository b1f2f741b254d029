"""Keys: Coproduce's own (made once, published as a JSON Web Key Set) and each platform's
(fetched from its key-set address, kept for an hour, fetched again when a launch is signed
with a key the kept set does not hold)."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from webapp.clock import now
from webapp.models import LtiPlatform, LtiToolKey

#: How long a platform's fetched keys are used before they are fetched again.
KEEP_KEYS = timedelta(hours=1)
#: An unknown key id fetches the set again, but not more often than this.
REFETCH_AFTER = timedelta(seconds=60)
FETCH_SECONDS = 5


class KeyProblem(Exception):
    """The platform's keys cannot be had, or hold no key with the id the token names."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def tool_key(session) -> LtiToolKey:
    """Coproduce's signing key (made on first use)."""
    key = session.scalar(select(LtiToolKey).order_by(LtiToolKey.id.desc()).limit(1))
    if key is None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        key = LtiToolKey(kid=secrets.token_hex(8), private_pem=pem)
        session.add(key)
        session.flush()
    return key


def tool_jwks(session) -> dict:
    """The public half of every tool key, as a JSON Web Key Set."""
    keys = []
    for key in session.scalars(select(LtiToolKey).order_by(LtiToolKey.id)):
        private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        keys.append({**public, "kid": key.kid, "alg": "RS256", "use": "sig"})
    return {"keys": keys}


def _get_json(url: str) -> dict:
    """Fetch a key set (tests replace this)."""
    answer = requests.get(url, timeout=FETCH_SECONDS)
    answer.raise_for_status()
    return answer.json()


def _fetch(platform: LtiPlatform) -> dict:
    try:
        keys = _get_json(platform.keyset_url)
    except (requests.RequestException, ValueError) as exc:
        raise KeyProblem("keyset_unreachable") from exc
    if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
        raise KeyProblem("keyset_unreachable")
    platform.keys, platform.keys_fetched_at = keys, now()
    return keys


def _find(keys: dict, kid: str):
    for key in keys.get("keys", []):
        if isinstance(key, dict) and key.get("kid") == kid and key.get("kty") == "RSA":
            try:
                return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key))
            except (ValueError, TypeError, KeyError, jwt.InvalidKeyError):
                return None
    return None


def platform_key(platform: LtiPlatform, kid: str):
    """The platform's public key with id ``kid``: from the kept set while it is fresh, else
    (or when the kept set lacks it) from the platform, at most once a minute."""
    moment = now()
    fetched = platform.keys_fetched_at
    if platform.keys and fetched and moment - fetched < KEEP_KEYS:
        found = _find(platform.keys, kid)
        if found is not None:
            return found
        if moment - fetched < REFETCH_AFTER:
            raise KeyProblem("unknown_key")
    found = _find(_fetch(platform), kid)
    if found is None:
        raise KeyProblem("unknown_key")
    return found
