"""The daily digest: one mail in each person's morning with the news waiting from before it.

Run by the hourly job (``webapp.notices.schedule``). Everyone's waiting news is read in one
query, their accounts and time zones in a few, and marked mailed in batches; only the claim of
each person's day (so two runs never both send it) and their mail are one per person.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import or_, select, update

from webapp import localtime, mail
from webapp.models import Account, Cohort, Membership, Notification, Programme
from webapp.notices import kinds
from webapp.notices.operations import choices_url

#: The hour of the person's day their digest is sent (or the first run after it).
DIGEST_HOUR = 7
_CHUNK = 500


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def zones_of(session, account_ids: list[int]) -> dict[int, str | None]:
    """Each person's time zone: their programme's (of their first role)."""
    zones: dict[int, str | None] = {}
    for chunk in _chunks(account_ids):
        for account_id, zone in session.execute(
                select(Membership.account_id, Programme.time_zone)
                .join(Cohort, Cohort.id == Membership.cohort_id, isouter=True)
                .join(Programme, or_(Programme.id == Membership.programme_id,
                                     Programme.id == Cohort.programme_id))
                .where(Membership.account_id.in_(chunk)).order_by(Membership.id)):
            zones.setdefault(account_id, zone)
    return zones


def morning(moment: datetime, zone: str | None) -> tuple[date, datetime] | None:
    """The person's day and its digest hour (naive UTC), once that hour has come."""
    here = localtime.local(moment, zone)
    if here.hour < DIGEST_HOUR:
        return None
    return here.date(), localtime.to_utc(datetime(here.year, here.month, here.day,
                                                  DIGEST_HOUR), zone)


def send(session, moment: datetime) -> int:
    rows = session.execute(
        select(Notification.id, Notification.account_id, Notification.kind, Notification.what,
               Notification.params, Notification.path, Notification.created_at,
               Notification.read_at)
        .where(Notification.mail == "digest", Notification.mailed_at.is_(None),
               Notification.created_at <= moment)
        .order_by(Notification.account_id, Notification.created_at, Notification.id)).all()
    by_person: dict[int, list] = defaultdict(list)
    for row in rows:
        by_person[row.account_id].append(row)
    people = list(by_person)
    zones = zones_of(session, people)
    accounts = {a.id: a for chunk in _chunks(people)
                for a in session.scalars(select(Account).where(Account.id.in_(chunk)))}
    sent, done = 0, []
    base = current_app.config["BASE_URL"].rstrip("/")
    for account_id, waiting in by_person.items():
        day = morning(moment, zones.get(account_id))
        waiting = [row for row in waiting if day and row.created_at < day[1]]
        account = accounts.get(account_id)
        if not waiting or account is None:
            continue
        claimed = session.execute(update(Account).where(
            Account.id == account_id,
            or_(Account.digest_on.is_(None), Account.digest_on != day[0]))
            .values(digest_on=day[0])
            # no loaded object to bring up to date: evaluating thousands is what costs
            .execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue  # today's digest went out already; these wait for tomorrow's
        done += [row.id for row in waiting]
        news = [row for row in waiting if row.read_at is None and account.active
                and kinds.choice_of(account, row.kind) == "digest"]
        if not news:
            continue
        lines = [(LazyString(kinds.sentence, row.kind, row.what, row.params), base + row.path)
                 for row in news]
        mail.queue(session, to=account, kind="digest",
                   subject=_l("Your daily news from Coproduce"), template="digest.txt",
                   name=account.display_name, lines=lines, whats_new=base + "/whats-new",
                   why=LazyString(kinds.digest_reason), choices=choices_url())
        sent += 1
    for chunk in _chunks(done):
        session.execute(update(Notification).where(Notification.id.in_(chunk))
                        .values(mailed_at=moment).execution_options(synchronize_session=False))
    session.flush()
    return sent
