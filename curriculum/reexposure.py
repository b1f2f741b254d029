"""When a learning log entry comes back to its author: the re-exposure schedule. Pure.

An entry comes back on the date its author chose, or, when they chose none, two, seven and
thirty days after it was written (spaced practice). Entries written about a module also come
back on the module's occasions: the day before the group's case is due (the meeting where
they finish it) and the day its feedback is released (the debrief).

Each time it comes back the author answers: it is still true, they changed their mind, they
did it, "not today", or "stop bringing this back". One answer covers every date that has come
round so far; "did it" and "stop" end the schedule; "not today" leaves the date waiting until
tomorrow. Nothing comes back twice on the same day, and nothing comes back on the day it was
written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

#: Days after writing when an entry comes back if its author chose no date.
SPACED_DAYS = (2, 7, 30)

STILL_TRUE = "still_true"
CHANGED_MIND = "changed_mind"
DID_IT = "did_it"
NOT_TODAY = "not_today"
STOP = "stop"
#: Every answer an author can give when an entry comes back, in the order offered.
ANSWERS = (STILL_TRUE, CHANGED_MIND, DID_IT, NOT_TODAY, STOP)
#: Answers after which the entry never comes back again.
ENDING = frozenset({DID_IT, STOP})


class Schedule(NamedTuple):
    """What decides when one entry comes back (a tuple: a home page makes one per entry)."""

    written_on: date
    #: The date its author chose, or None for the spaced fallback.
    come_back_on: date | None = None
    #: The module's occasions (the day before the case is due, the feedback release).
    occasions: tuple[date, ...] = ()
    #: The day of the last answer of any kind (``not today`` included), or None.
    last_answer_on: date | None = None
    #: The day of the last answer that was not ``not today``, or None.
    last_settled_on: date | None = None
    #: The day an ending answer (``did it``, ``stop``) was given, or None.
    ended_on: date | None = None


def return_dates(schedule: Schedule) -> list[date]:
    """Every date the entry is due to come back, sorted, none on or before it was written."""
    if schedule.come_back_on is not None:
        chosen = [schedule.come_back_on]
    else:
        chosen = [schedule.written_on + timedelta(days=d) for d in SPACED_DAYS]
    dates = {d for d in (*chosen, *schedule.occasions) if d > schedule.written_on}
    return sorted(dates)


def is_due(schedule: Schedule, today: date) -> bool:
    """Whether the entry should be shown to its author ``today``."""
    return _due_since(schedule, today) is not None


def _due_since(schedule: Schedule, today: date) -> date | None:
    """The earliest unanswered return date if the entry is due ``today``, else None."""
    if schedule.ended_on is not None and schedule.ended_on <= today:
        return None
    if schedule.last_answer_on is not None and schedule.last_answer_on >= today:
        return None  # answered today (or, with a moved clock, later): not again today
    return _waiting_since(schedule, today)


def next_return(schedule: Schedule, today: date) -> date | None:
    """The next day the entry will come back (today if it is due), or None if never again."""
    if schedule.ended_on is not None:
        return None
    if is_due(schedule, today):
        return today
    if _waiting_since(schedule, today) is not None:  # answered today: back tomorrow
        return today + timedelta(days=1)
    later = [d for d in return_dates(schedule) if d > today]
    return later[0] if later else None


def answer(schedule: Schedule, kind: str, on: date) -> Schedule:
    """The schedule after its author answers ``kind`` on day ``on``."""
    if kind not in ANSWERS:
        raise ValueError(f"unknown answer {kind!r}: expected one of {', '.join(ANSWERS)}")
    settled = schedule.last_settled_on if kind == NOT_TODAY else on
    ended = on if kind in ENDING and schedule.ended_on is None else schedule.ended_on
    return Schedule(schedule.written_on, schedule.come_back_on, schedule.occasions,
                    last_answer_on=on, last_settled_on=settled, ended_on=ended)


def due_first(schedules: Iterable[tuple[object, Schedule]], today: date,
              limit: int = 2) -> list[object]:
    """The keys of at most ``limit`` entries due today, the longest waiting first."""
    due = []
    for index, (key, schedule) in enumerate(schedules):
        since = _due_since(schedule, today)
        if since is not None:
            due.append((since, index, key))
    due.sort(key=lambda triple: triple[:2])
    return [key for _since, _index, key in due[:limit]]


def _waiting_since(schedule: Schedule, today: date) -> date | None:
    """The earliest return date that has come round and not been answered, or None."""
    for d in return_dates(schedule):
        if d > today:
            return None
        if schedule.last_settled_on is None or schedule.last_settled_on < d:
            return d
    return None
