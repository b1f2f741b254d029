"""The one source of the current time, in naive UTC as stored in the database.

Tests, and a person trying the product in development, can move the clock: ``moved(days=7)``
or ``COPRODUCE_CLOCK_OFFSET=7d`` with ``make run``. The offset lives here, not in the
callers, so every module that imported ``now`` by name follows it. Outside tests and
development, moving it is refused (``create_app`` locks it).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_movable = True


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None) + _offset


def offset() -> timedelta:
    """How far the clock is moved from the real time (zero unless a test or demo moved it)."""
    return _offset


def move_to(by: timedelta) -> None:
    """Set the clock ``by`` away from the real time (tests and development only)."""
    global _offset
    if not _movable:
        raise RuntimeError("the clock can be moved only in tests and development")
    _offset = by


@contextmanager
def moved(**by):
    """``with moved(days=7):`` the product lives a week ahead; the clock is put back after."""
    before = _offset
    move_to(before + timedelta(**by))
    try:
        yield
    finally:
        move_to(before)


def allow_moving(allowed: bool) -> None:
    """Called by ``create_app``: only a testing or development app may move the clock."""
    global _movable, _offset
    _movable = allowed
    if not allowed:
        _offset = timedelta(0)


_OFFSET = re.compile(r"^\s*([+-]?\d{1,4})\s*([dh])\s*$")


def parse_offset(text: str) -> timedelta:
    """``"7d"``, ``"-2d"`` or ``"36h"`` as a timedelta; ValueError says what to write."""
    match = _OFFSET.match(text or "")
    if not match:
        raise ValueError(f"COPRODUCE_CLOCK_OFFSET={text!r}: write a whole number of days or "
                         "hours, for example 7d, -2d or 36h")
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
