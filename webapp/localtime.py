"""Time where people live: each programme's time zone, for entering, showing and counting dates.

The database keeps naive UTC (``webapp.clock``). Everything a person types or reads is in
the time zone of the programme the date belongs to, passed with each value (a page may show
several programmes, so there is no one zone per request).

Clock changes, stated once:

* a local time that does not exist, because the clocks go forward (02:30 on the last Sunday of
  March in Stockholm), is read as the same moment one hour later on the new clock (03:30);
* a local time that happens twice, because the clocks go back (02:30 on the last Sunday of
  October), is read as the first of the two (still summer time).

Adding days counts on the local calendar: a date due at 23:59 stays due at 23:59 across a clock
change, even though that day is 23 or 25 hours long.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date, format_datetime
from flask import current_app, has_app_context
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from webapp.clock import now

#: Used when neither the programme nor the configuration names a zone.
FALLBACK_ZONE = "Europe/Stockholm"
DATE_TIME = "EEE d MMM y, HH:mm"
DAY = "EEE d MMM y"


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every zone a programme may choose: the IANA names of places, and UTC."""
    places = {name for name in available_timezones()
              if "/" in name and name.split("/")[0] in {
                  "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia",
                  "Europe", "Indian", "Pacific"}}
    return tuple(sorted(places)) + ("UTC",)


def is_zone(name: str | None) -> bool:
    return bool(name) and name in zone_names()


def default_zone_name() -> str:
    if has_app_context():
        configured = current_app.config.get("DEFAULT_TIME_ZONE")
        if is_zone(configured):
            return configured
    return FALLBACK_ZONE


def zone_name(where) -> str:
    """The zone of ``where``: a zone name, a programme, or anything that belongs to one
    (a cohort, an assignment, a group, a case); None means the configured default."""
    if isinstance(where, str):
        return where if is_zone(where) else default_zone_name()
    seen = 0
    while where is not None and seen < 4:
        if hasattr(where, "time_zone"):
            return where.time_zone if is_zone(where.time_zone) else default_zone_name()
        where = (getattr(where, "programme", None) or getattr(where, "cohort", None)
                 or getattr(where, "assignment", None))
        seen += 1
    return default_zone_name()


def zone(where) -> ZoneInfo:
    try:
        return ZoneInfo(zone_name(where))
    except ZoneInfoNotFoundError:  # pragma: no cover - the list comes from the same data
        return ZoneInfo("UTC")


def place(where) -> str:
    """A zone as people say it: "Stockholm time", "New York time", "UTC"."""
    name = zone_name(where)
    if name == "UTC":
        return _("UTC")
    return _("%(place)s time", place=name.rsplit("/", 1)[-1].replace("_", " "))


def local(value: datetime, where) -> datetime:
    """A stored (naive UTC) moment as an aware local time."""
    return value.replace(tzinfo=UTC).astimezone(zone(where))


def to_utc(typed: datetime, where) -> datetime:
    """A naive local time someone typed, as naive UTC, by the clock-change rule above."""
    aware = typed.replace(tzinfo=zone(where), fold=0)
    return aware.astimezone(UTC).replace(tzinfo=None)


def read_as(typed: datetime, where) -> datetime | None:
    """The local time ``typed`` is read as, when that differs from what was typed (it fell in
    the hour the clocks skip); None when it exists as typed."""
    shown = local(to_utc(typed, where), where).replace(tzinfo=None)
    return shown if shown != typed.replace(tzinfo=None) else None


def for_form(value: datetime | None, where) -> datetime | None:
    """A stored moment as the naive local time a date box shows."""
    return local(value, where).replace(tzinfo=None) if value else None


def add_days(value: datetime, days: int, where) -> datetime:
    """``value`` (naive UTC) plus whole days on the local calendar, as naive UTC."""
    wall = local(value, where).replace(tzinfo=None) + timedelta(days=days)
    return to_utc(wall, where)


def _locale():
    return (get_locale() if has_app_context() else None) or "en"


def when(value: datetime | None, where, pattern: str = DATE_TIME) -> str:
    """A stored moment as local date and time, like "Fri 5 Dec 2026, 23:59"."""
    if value is None:
        return ""
    return format_datetime(local(value, where), pattern, locale=_locale())


def day(value: datetime | date | None, where=None) -> str:
    """A date (or a stored moment's local date), like "Fri 5 Dec 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, where).date()
    return format_date(value, DAY, locale=_locale())


def clock(value: datetime | None, where) -> str:
    """A stored moment's local time of day, like "14:05"."""
    if value is None:
        return ""
    # Hours and minutes with two digits each read the same in every language offered (and
    # every autosave answers with one): no locale's patterns to look up.
    return local(value, where).strftime("%H:%M")


def iso(value: datetime | None, where="UTC") -> str:
    """ISO 8601 with the offset, for files other programs read."""
    if value is None:
        return ""
    return local(value, where).isoformat(timespec="seconds")


def days_until(value: datetime, where, moment: datetime | None = None) -> int:
    """Calendar days from today to ``value``'s day, both local (negative: in the past)."""
    today = local(moment or now(), where).date()
    return (local(value, where).date() - today).days


def due(value: datetime | None, where, moment: datetime | None = None) -> str:
    """Where people scan: "due in 3 days (Fri 5 Dec 2026, 23:59)", the exact date in words."""
    if value is None:
        return ""
    moment = moment or now()
    exact = when(value, where)
    if value > moment:
        days = days_until(value, where, moment)
        if days <= 0:
            return _("due today at %(time)s", time=clock(value, where))
        if days == 1:
            return _("due tomorrow at %(time)s", time=clock(value, where))
        return ngettext("due in %(num)d day (%(when)s)", "due in %(num)d days (%(when)s)",
                        days, when=exact)
    days = -days_until(value, where, moment)
    if days <= 0:
        return _("was due today at %(time)s", time=clock(value, where))
    if days == 1:
        return _("was due yesterday (%(when)s)", when=exact)
    return ngettext("was due %(num)d day ago (%(when)s)", "was due %(num)d days ago (%(when)s)",
                    days, when=exact)


def init_app(app) -> None:
    app.add_template_filter(when, "when")
    app.add_template_filter(day, "day")
    app.add_template_filter(clock, "clock")
    app.add_template_filter(due, "due")
    app.add_template_global(place, "time_place")
    app.add_template_global(lambda where=None: day(now(), where), "today")
