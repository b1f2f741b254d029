"""The sizes a published version must fit: the database's own column limits, kept here once.

The web app's models size their columns from these constants, and ``content check`` checks
content against the same constants, so content that checks also loads — on SQLite, which
does not enforce a column's length, and on PostgreSQL, which does.
"""

from __future__ import annotations

from curriculum.words import _

#: Module, guide, rubric and survey ids (the folder name).
SLUG_CHARS = 100
#: A version string such as ``1.2.0``.
VERSION_CHARS = 20
#: A module's, guide's, rubric's or survey's title.
TITLE_CHARS = 300
#: A guide's audience, its roles joined by spaces.
AUDIENCE_CHARS = 200
#: A rubric's lens.
LENS_CHARS = 20
#: A rubric's or survey's translations, as "sv:<sha-256>,…" (room for four languages).
TRANSLATED_CHARS = 300
#: The largest whole number a database integer holds (each version part, minutes).
WHOLE_NUMBER_MAX = 2**31 - 1


def too_long(value: str, limit: int) -> str | None:
    """A sentence saying ``value`` is too long, or None if it fits."""
    if len(value) <= limit:
        return None
    return _("is %(length)d characters long; at most %(limit)d fit", length=len(value),
             limit=limit)
