"""The one source of the current time, in naive UTC as stored in the database."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
