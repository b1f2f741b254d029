"""Feed links (made, replaced, turned off, looked up by token) and the iCalendar text."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
from flask_babel import gettext as _
from sqlalchemy import delete, select

from webapp import audit, localtime, tokens
from webapp.calendar.events import Event
from webapp.clock import now
from webapp.models import Account, CalendarFeed, Cohort
from webapp.models.calendar import OWN

#: How often a calendar app is asked to read the feed again.
REFRESH = timedelta(hours=1)


def scope_of(cohort: Cohort | None) -> str:
    return f"cohort:{cohort.id}" if cohort is not None else OWN


def make(session, account: Account, cohort: Cohort | None = None) -> str:
    """A new link for ``account``'s own dates (or ``cohort``'s); a link made before for the
    same dates stops working. Returns the token (shown once; only its hash is kept)."""
    scope = scope_of(cohort)
    session.execute(delete(CalendarFeed).where(CalendarFeed.account_id == account.id,
                                               CalendarFeed.scope == scope))
    token, digest = tokens.new_token()
    session.add(CalendarFeed(account_id=account.id, scope=scope, token_hash=digest,
                             cohort_id=cohort.id if cohort is not None else None))
    audit.record(session, "calendar_link_made", actor_id=account.id, subject_id=account.id,
                 scope=scope)
    return token


def turn_off(session, account: Account, cohort: Cohort | None = None) -> bool:
    """Stop a link working; False when there was none."""
    gone = session.execute(delete(CalendarFeed).where(
        CalendarFeed.account_id == account.id, CalendarFeed.scope == scope_of(cohort)))
    if gone.rowcount:
        audit.record(session, "calendar_link_off", actor_id=account.id, subject_id=account.id,
                     scope=scope_of(cohort))
    return bool(gone.rowcount)


def find(session, token: str) -> CalendarFeed | None:
    """The live feed whose link carries ``token``, of an account that still works."""
    if not token or len(token) > 100:
        return None
    feed = session.scalar(select(CalendarFeed).where(
        CalendarFeed.token_hash == tokens.token_hash(token)))
    if feed is None or not feed.account.active:
        return None
    return feed


def feeds_of(session, account: Account) -> list[CalendarFeed]:
    return session.scalars(select(CalendarFeed).where(CalendarFeed.account_id == account.id)
                           .order_by(CalendarFeed.cohort_id.is_not(None),
                                     CalendarFeed.id)).all()


def ics(events: list[Event], *, name: str, base_url: str, host: str) -> bytes:
    """The iCalendar text of ``events``: times in each event's programme time zone (with its
    VTIMEZONE), a link to the page in each, and nothing more than the title."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Coproduce//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    stamp = now().replace(tzinfo=UTC)
    for item in events:
        event = icalendar.Event()
        link = base_url.rstrip("/") + item.path
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", localtime.local(item.starts, item.zone))
        event.add("dtend", localtime.local(item.ends, item.zone))
        event.add("url", link)
        event.add("description", _("Open it in Coproduce: %(link)s", link=link))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
