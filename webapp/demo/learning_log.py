"""A few learning log entries in the demo, so the log, its coming back and the cohort's
"What we are learning" page have something to show. Written through the log's own
operations, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from webapp.log import operations
from webapp.log.queries import person_today
from webapp.models import Account, Assignment, LogEntry

PLAN = ("On my next placement I will ask each patient what a good day looks like for them, "
        "before I ask about symptoms.")
LESSON = ("Asking “what matters to you?” before “what is the matter?” changed the whole "
          "conversation in our group.")
OTHER = ("Pat said the waiting room is the first part of the service people meet. We had "
         "never thought of it as part of care.")


def add_learning_log(session, cohort) -> None:
    """Sam writes a plan that comes back today and shares what a lesson taught, without a
    name; Chris shares a "So what?" with his name. Nothing is added twice."""
    sam = session.scalar(select(Account).where(Account.email_key == "student.a@example.org"))
    chris = session.scalar(select(Account).where(Account.email_key == "student.c@example.org"))
    assignment = session.scalar(select(Assignment).where(Assignment.cohort_id == cohort.id))
    if sam is None or chris is None or session.scalar(
            select(LogEntry.id).where(LogEntry.account_id == sam.id).limit(1)):
        return
    today = person_today(None)
    module = assignment.module_version if assignment else None
    lesson = module.content().lessons[0].id if module else None
    operations.record(session, sam, today, text=PLAN, stage="now_what", place="own",
                      written_on=today - timedelta(days=3), come_back_on=today)
    learnt = operations.record(
        session, sam, today, text=LESSON, stage="what",
        place="lesson" if module else "own", module_version_id=module.id if module else None,
        place_id=lesson)
    operations.share(session, sam, learnt, f"cohort:{cohort.id}", named=False)
    shared = operations.record(session, chris, today, text=OTHER, stage="so_what",
                               place="own", written_on=today - timedelta(days=1))
    operations.share(session, chris, shared, f"cohort:{cohort.id}", named=True)
