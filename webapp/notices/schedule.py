"""The hourly run: notifications no request causes (feedback released by its date, a case due
within two days with parts still empty) and the daily digests.

It is a job on the job queue (kind ``notices``, one per hour): the sweeper of every
``coproduce worker`` asks for the current hour's job, and the job table's uniqueness makes
it one run however many workers ask. ``coproduce notices`` does one run by hand (or from a
timer, where no worker runs).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, select

from webapp.jobs import JobKind, register
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Extension,
    Group,
    SectionDraft,
    SectionRevision,
)
from webapp.notices import events
from webapp.notices.operations import notify

#: Due within this long with parts still empty: the group hears about it.
DUE_SOON = timedelta(hours=48)
#: Feedback released by its date is told about for this long afterwards (a run missed for a
#: while still tells; a much older release does not).
RELEASE_WINDOW = timedelta(days=3)
#: How far back each run looks for changed cases.
CHANGES_LOOKBACK = timedelta(hours=3)


def tick(session, moment: datetime) -> dict[str, int]:
    """One run; returns how many were told of each."""
    return {"feedback": _released_by_date(session, moment),
            "due_soon": _due_soon(session, moment),
            "case_changed": _changed_cases(session, moment),
            "digests": send_digests(session, moment)}


def _changed_cases(session, moment: datetime) -> int:
    """Cases written in since the last runs: their groups hear of it (looking back further
    than an hour, so a run that was missed is made up; the keys stop a second telling)."""
    rows = session.execute(
        select(SectionDraft.case_work_id, SectionRevision.account_id,
               func.max(SectionRevision.created_at))
        .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
        .where(SectionRevision.created_at > moment - CHANGES_LOOKBACK,
               SectionRevision.created_at <= moment, SectionRevision.account_id.is_not(None))
        .group_by(SectionDraft.case_work_id, SectionRevision.account_id)).all()
    changes: dict[int, dict[int, datetime]] = defaultdict(dict)
    for case_id, writer, when in rows:
        changes[case_id][writer] = when
    return sum(events.case_changed(session, case_id, writers)
               for case_id, writers in changes.items())


def _released_by_date(session, moment: datetime) -> int:
    due = session.scalars(select(Assignment).where(
        Assignment.feedback_released_at.is_(None), Assignment.review_due_at <= moment,
        Assignment.review_due_at > moment - RELEASE_WINDOW)).all()
    return sum(events.feedback_released(session, a) for a in due)


def _due_soon(session, moment: datetime) -> int:
    soon = session.scalars(select(Assignment).join(Cohort).where(
        Cohort.archived.is_(False), Assignment.due_at > moment,
        Assignment.due_at <= moment + DUE_SOON)).all()
    told = 0
    for assignment in soon:
        groups = session.scalars(select(Group.id).where(
            Group.cohort_id == assignment.cohort_id)).all()
        cases = dict(session.execute(select(CaseWork.group_id, CaseWork.id).where(
            CaseWork.assignment_id == assignment.id)).all())
        finished = set(session.scalars(select(CaseWork.group_id).where(
            CaseWork.assignment_id == assignment.id, CaseWork.submitted_at.is_not(None))))
        empty = set(session.scalars(select(SectionDraft.case_work_id).where(
            SectionDraft.case_work_id.in_(list(cases.values()) or [0]),
            SectionDraft.text == "")))
        waiting = [g for g in groups if g not in finished
                   and (g not in cases or cases[g] in empty)]
        later = set(session.scalars(select(Extension.account_id).where(
            Extension.assignment_id == assignment.id,
            Extension.due_at > moment + DUE_SOON)))
        for group_id, account in events._members(session, waiting):
            if account.id in later:
                continue
            path = (f"/cases/{cases[group_id]}" if group_id in cases
                    else f"/assignments/{assignment.id}/case")
            told += notify(session, account, "due_soon", path=path,
                           params={"title": assignment.module_version.title},
                           key=f"due_soon:{assignment.id}") is not None
    return told


def send_digests(session, moment: datetime) -> int:
    """One mail to each person whose morning has come (``webapp.notices.digests``)."""
    from webapp.notices import digests

    return digests.send(session, moment)


# --- the job -------------------------------------------------------------------------------

#: The job's subject: the whole site.
SITE = SimpleNamespace(id=0)


def _run(session, _subject, _k, progress, _folder):
    tick(session, _now())
    progress(1, 1)
    return None


def _now():
    from webapp.clock import now

    return now()


NOTICES = register(JobKind(
    name="notices",
    subject=lambda _session, _subject_id: SITE,
    data_version=lambda _session, _subject, _k: _now().strftime("%Y-%m-%dT%H"),
    run=_run,
    mimetype="",
))


def ask_for_this_hour(app) -> int | None:
    """Ask for this hour's run (from the sweeper); returns the job's id when it is new."""
    from webapp.extensions import db
    from webapp.jobs import operations as ops
    from webapp.jobs.queue import enqueue

    with app.app_context():
        job, new = ops.ask(db.session, "notices", SITE, 0, None)
        db.session.commit()
        ident = job.id
        db.session.remove()
    if new:
        enqueue(ident, app)
        return ident
    return None
