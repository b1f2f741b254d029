"""Time given by patient partners and co-teachers, as operations: recording it, deleting an
unconfirmed entry, and an educator confirming entries. Inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.clock import now
from webapp.models import ACTIVITIES, Contribution
from webapp.refusals import Refused

MAX_NOTE_CHARS = 500


def record(session, actor, own_cohorts: set[int], *, cohort_id: int | None, activity: str,
           on_date: str, minutes: str, note: str, recorded_by=None) -> Contribution:
    """Record time the actor gave in one of ``own_cohorts``, from the values as typed
    (``recorded_by``: the named contact who recorded it for them)."""
    if cohort_id not in own_cohorts:
        raise Refused(_("Choose one of your cohorts."))
    if activity not in ACTIVITIES:
        raise Refused(_("Choose what kind of activity it was."))
    try:
        day = datetime.strptime(on_date or "", "%Y-%m-%d")
    except ValueError:
        raise Refused(_("Enter the date like 2026-11-30.")) from None
    if day > now():
        raise Refused(_("The date cannot be in the future."))
    raw = (minutes or "").strip()
    count = int(raw) if raw.isdigit() and len(raw) <= 4 else 0
    if not 1 <= count <= 1440:
        raise Refused(_("Enter the time in minutes, from 1 to 1440."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise Refused(_("A note has at most %(n)d characters.", n=MAX_NOTE_CHARS))
    entry = Contribution(account_id=actor.id, cohort_id=cohort_id, activity=activity,
                         on_date=day, minutes=count, note=note,
                         recorded_by_id=recorded_by.id if recorded_by else None)
    session.add(entry)
    session.flush()
    return entry


def delete(session, entry: Contribution) -> None:
    if entry.confirmed_at is not None:
        raise Refused(_("Confirmed time cannot be deleted; ask your educator to correct it."),
                      status=409)
    session.delete(entry)
    session.flush()


def confirm(session, actor, cohort, entry_ids: set[int]) -> int:
    """An educator confirms unconfirmed entries of the cohort; returns how many."""
    rows = session.scalars(select(Contribution).where(
        Contribution.cohort_id == cohort.id, Contribution.id.in_(entry_ids or {0}),
        Contribution.confirmed_at.is_(None))).all()
    for row in rows:
        row.confirmed_at, row.confirmed_by_id = now(), actor.id
    session.flush()
    return len(rows)
