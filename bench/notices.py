"""Notifications and calendar feeds at programme size (2,000 learners in 20 cohorts), on SQLite
and on a throwaway PostgreSQL 15 cluster.

Every student and patient partner has ``UNREAD`` unread notifications (a third waiting for a
daily digest); a case of every group was written in within the last hour. Then:

- the home page and What's new of a student with ``UNREAD`` unread, and a student's and a
  cohort's calendar feed: median of ``REPEAT`` requests and their SQL statements;
- the same pages' statements after everyone's notifications have doubled (the same count);
- one hourly run at 07:30 in the programme's time zone: who is told their group's case
  changed, and the daily digests (one per person with digest news): its time and counts.

Figures go to ``bench/results/notices.json``.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

from bench.autosave import PGBIN, _postgres
from bench.foundation import _sign_in
from bench.log import _page, _reader
from bench.reports import _app
from bench.synthetic import build_programme
from webapp import localtime, tokens
from webapp.clock import now
from webapp.extensions import db
from webapp.models import (
    Account,
    Assignment,
    CalendarFeed,
    CaseWork,
    GroupMember,
    Membership,
    Notification,
    SectionDraft,
    SectionRevision,
)
from webapp.notices.schedule import tick

UNREAD = 50
REPEAT = 7
QUICK_REPEAT = 3


def _add_notices(session, programme: dict, per_person: int) -> int:
    people = session.scalars(select(Membership.account_id).where(
        Membership.cohort_id.in_(programme["cohort_ids"]),
        Membership.role.in_(("student", "patient_partner")))).all()
    moment = now() - timedelta(hours=12)
    batch = [{"account_id": person, "kind": "reminder", "what": "", "path": "/",
              "params": {"title": f"Module {k}"}, "created_at": moment,
              "mail": "digest" if k % 3 == 0 else "now",
              "mailed_at": None if k % 3 == 0 else moment}
             for person in people for k in range(per_person)]
    for start in range(0, len(batch), 20_000):
        session.execute(insert(Notification), batch[start:start + 20_000])
    return len(batch)


def _changed_cases(session, programme: dict, moment: datetime) -> int:
    """A part of each group's latest case written in ten minutes before ``moment`` by one of
    the group."""
    latest = {}
    for cohort, assignment in session.execute(
            select(Assignment.cohort_id, Assignment.id)
            .where(Assignment.cohort_id.in_(programme["cohort_ids"]))
            .order_by(Assignment.due_at)):
        latest[cohort] = assignment
    cases = session.execute(select(CaseWork.id, CaseWork.group_id).where(
        CaseWork.assignment_id.in_(list(latest.values())))).all()
    writer = dict(session.execute(select(GroupMember.group_id, GroupMember.account_id)
                                  .order_by(GroupMember.id.desc())).all())
    moment = moment - timedelta(minutes=10)
    drafts = session.execute(insert(SectionDraft).returning(SectionDraft.id), [
        {"case_work_id": case, "section": "situation", "text": "Written.", "version": 1,
         "updated_at": moment} for case, _group in cases]).scalars().all()
    session.execute(insert(SectionRevision), [
        {"draft_id": draft, "version": 1, "text": "Written.", "account_id": writer[group],
         "role": "student", "created_at": moment}
        for draft, (_case, group) in zip(drafts, cases, strict=True)])
    return len(cases)


def _feeds(session, me: int, educator: int, cohort: int) -> dict:
    session.add_all([
        CalendarFeed(account_id=me, scope="own", token_hash=tokens.token_hash("bench-own")),
        CalendarFeed(account_id=educator, scope=f"cohort:{cohort}", cohort_id=cohort,
                     token_hash=tokens.token_hash("bench-cohort"))])
    return {"own": "/calendar/bench-own.ics", "cohort": "/calendar/bench-cohort.ics"}


def _morning(session, cohort_id: int) -> datetime:
    """07:30 tomorrow on the programme's clock."""
    from webapp.models import Cohort

    cohort = session.get(Cohort, cohort_id)
    day = (localtime.local(now(), cohort) + timedelta(days=1)).date()
    return localtime.to_utc(datetime(day.year, day.month, day.day, 7, 30), cohort)


def _morning_run(app, moment: datetime) -> dict:
    """One hourly run at ``moment``."""
    with app.app_context():
        started = time.perf_counter()
        told = tick(db.session, moment)
        db.session.commit()
        seconds = round(time.perf_counter() - started, 2)
    return {"seconds": seconds, **told}


def _database(url: str, tmp: Path, repeat: int) -> dict:
    app = _app(url, tmp)
    with app.app_context():
        programme = build_programme(db.session, learners=2000, groups=200, answers=2000,
                                    reviews=200)
        rows = _add_notices(db.session, programme, UNREAD)
        me, cohort, email = _reader(db.session, programme)
        moment = _morning(db.session, cohort)
        changed = _changed_cases(db.session, programme, moment)
        db.session.execute(update(Account).where(Account.id.in_(select(
            Membership.account_id).where(Membership.role.in_(("student", "patient_partner")))))
            .values(notices={"reminder": "digest"}))  # everyone reads reminders once a day
        paths = _feeds(db.session, me, programme["educator_id"], cohort)
        db.session.commit()
    client = app.test_client()
    _sign_in(client, email)
    anonymous = app.test_client()
    pages = {"home": _page(app, client, "/", repeat),
             "whats_new": _page(app, client, "/whats-new", repeat),
             "feed_own": _page(app, anonymous, paths["own"], repeat),
             "feed_cohort": _page(app, anonymous, paths["cohort"], repeat)}
    with app.app_context():
        _add_notices(db.session, programme, UNREAD)
        db.session.commit()
    doubled = {"home": _page(app, client, "/", 1)["statements"],
               "whats_new": _page(app, client, "/whats-new", 1)["statements"]}
    figures = {"notifications": rows, "cases_changed": changed, "pages": pages,
               "statements_when_doubled": doubled,
               "fixed_statements": all(doubled[k] == pages[k]["statements"] for k in doubled),
               "hourly_run": _morning_run(app, moment)}
    with app.app_context():
        db.engine.dispose()
    return figures


def run() -> dict:
    repeat = QUICK_REPEAT if os.environ.get("BENCH_QUICK") else REPEAT
    figures: dict = {"learners": 2000, "unread_each": UNREAD}
    with tempfile.TemporaryDirectory() as tmp:
        figures["sqlite"] = _database(f"sqlite:///{Path(tmp) / 'notices.sqlite'}", Path(tmp),
                                      repeat)
    if not (PGBIN / "initdb").exists():
        figures["postgresql"] = f"skipped: no PostgreSQL binaries in {PGBIN}"
        return figures
    with tempfile.TemporaryDirectory() as tmp, _postgres() as url:
        figures["postgresql"] = _database(url, Path(tmp), repeat)
    return figures
