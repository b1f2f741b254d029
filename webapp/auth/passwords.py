"""Password rules and hashing.

A password has at least 12 characters, is not on the list of commonly used passwords that
ships with zxcvbn (30,000 entries, checked with and without trailing digits and symbols), and
is not easy to guess from patterns or the person's own email and name (zxcvbn score of 2+).
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
_TRAILING = re.compile(r"[\d\W_]+$")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Everything wrong with ``password``, as sentences that say what to do."""
    if len(password) < MIN_LENGTH:
        return [_("Use at least %(n)d characters.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(n)d characters.", n=MAX_LENGTH)]
    lowered = password.lower()
    core = _TRAILING.sub("", lowered)
    if lowered in _common() or (len(core) >= 4 and core in _common()):
        return [_("This password is on a list of commonly used passwords. Choose another.")]
    if email and email.strip().lower() in lowered:
        return [_("Do not use your email address in your password.")]
    inputs = [part.lower() for part in re.split(r"[@.\s_-]+", f"{email} {name}")
              if len(part) >= 3]
    letters = re.sub(r"[^a-z]", "", lowered)
    for part in sorted(inputs, key=len, reverse=True):
        letters = letters.replace(part, "")
    if inputs and len(letters) < 4:
        return [_("This password is made from your name or email. Choose something else.")]
    inputs += [email.lower(), name.lower()]
    if zxcvbn(password[:64], user_inputs=inputs)["score"] < 2:
        return [
            _(
                "This password is easy to guess (a pattern, a repeated word or your own "
                "name or email). Try a few unrelated words together."
            )
        ]
    return []


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same effort as a real check so timing does not reveal the account.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


def _dummy_hash() -> str:
    key = "_dummy_password_hash"
    if key not in current_app.extensions:
        current_app.extensions[key] = hash_password("not-a-real-password-at-all")
    return current_app.extensions[key]
