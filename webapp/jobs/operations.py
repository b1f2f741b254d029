"""The ``report_job`` table: asking for a job, a worker's run of it, retry and the sweeper.

Every change a run makes carries the run's number (``attempts`` when it claimed the job):
when the sweeper has given a stalled job to another worker, the older run's progress and
its file are refused, so a job finishes exactly once and keeps exactly one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from webapp.clock import now
from webapp.jobs import Superseded, kind_of
from webapp.models import ReportJob
from webapp.refusals import Refused


def find(session, kind: str, subject_id: int, version: str, k: int,
         language: str = "en") -> ReportJob | None:
    return session.scalar(select(ReportJob).where(
        ReportJob.kind == kind, ReportJob.subject_id == subject_id,
        ReportJob.data_version == version, ReportJob.k == k, ReportJob.language == language))


def ask(session, kind: str, subject, k: int, account,
        language: str = "en") -> tuple[ReportJob, bool]:
    """The job for ``subject``'s current data in ``language``: the one already asked for
    (joined), or a new one, queued. Returns (job, whether it is new); the caller commits,
    then enqueues."""
    version = kind_of(kind).data_version(session, subject, k)
    job = find(session, kind, subject.id, version, k, language)
    if job is not None:
        return job, False
    job = ReportJob(kind=kind, subject_id=subject.id, data_version=version, k=k,
                    language=language, requested_by_id=getattr(account, "id", None))
    try:
        with session.begin_nested():  # another request may have asked at the same moment
            session.add(job)
    except IntegrityError:
        return find(session, kind, subject.id, version, k, language), False
    return job, True


def retry(session, job: ReportJob) -> None:
    """Queue a failed job again, from the start (its failures no longer count)."""
    changed = session.execute(update(ReportJob).where(
        ReportJob.id == job.id, ReportJob.state == "failed").values(
        state="queued", attempts=0, error="", parts_done=0, heartbeat_at=None,
        queued_at=now(), finished_at=None))
    if changed.rowcount != 1:
        raise Refused(_("This report is not waiting to be tried again."), status=409)


# --- a worker's run ------------------------------------------------------------------------


def claim(session, job_id: int) -> int | None:
    """Take a queued job; returns this run's number, or None when it is not waiting (done,
    failed, or already taken by a worker that is still alive)."""
    moment = now()
    changed = session.execute(update(ReportJob).where(
        ReportJob.id == job_id, ReportJob.state == "queued").values(
        state="running", attempts=ReportJob.attempts + 1, heartbeat_at=moment,
        started_at=moment, parts_done=0))
    session.commit()
    if changed.rowcount != 1:
        return None
    return session.scalar(select(ReportJob.attempts).where(ReportJob.id == job_id))


def _mine(job_id: int, run: int):
    return (ReportJob.id == job_id, ReportJob.attempts == run, ReportJob.state == "running")


def beat(connection, job_id: int, run: int, done: int | None = None,
         total: int | None = None) -> None:
    """Record that run ``run`` is alive (and how far it got); Superseded if it lost the job."""
    values = {"heartbeat_at": now()}
    if done is not None:
        values.update(parts_done=done, parts_total=total)
    changed = connection.execute(update(ReportJob).where(*_mine(job_id, run)).values(**values))
    if changed.rowcount != 1:
        raise Superseded(job_id)


def finish(session, job_id: int, run: int, made: tuple[str, bytes] | None) -> bool:
    """Keep the finished file (in one statement: one file, whichever run gets here first)."""
    name, data = made if made else ("", None)
    changed = session.execute(update(ReportJob).where(*_mine(job_id, run)).values(
        state="done", file_name=name, file_data=data, file_size=len(data or b""),
        parts_done=ReportJob.parts_total, finished_at=now(), heartbeat_at=now()))
    session.commit()
    return changed.rowcount == 1


def fail(session, job_id: int, run: int | None, message: str) -> None:
    query = update(ReportJob).where(ReportJob.id == job_id)
    if run is not None:
        query = query.where(*_mine(job_id, run))
    session.execute(query.values(state="failed", error=message[:2000], finished_at=now()))
    session.commit()


# --- the sweeper ---------------------------------------------------------------------------


@dataclass
class Swept:
    requeued: list[int]
    failed: list[int]
    removed: int


def sweep(session, stale_after: timedelta, max_attempts: int, keep: timedelta) -> Swept:
    """Put back on the queue every running job whose heartbeat stopped (its worker died);
    fail it for good after ``max_attempts`` runs; remove finished jobs older than ``keep``.
    The caller enqueues ``requeued``."""
    moment = now()
    stalled = session.scalars(select(ReportJob.id).where(
        ReportJob.state == "running", ReportJob.heartbeat_at < moment - stale_after)
        .order_by(ReportJob.id)).all()
    swept = Swept([], [], 0)
    for job_id in stalled:
        stale = (ReportJob.id == job_id, ReportJob.state == "running",
                 ReportJob.heartbeat_at < moment - stale_after)
        gave_up = session.execute(update(ReportJob).where(
            *stale, ReportJob.attempts >= max_attempts).values(
            state="failed", finished_at=moment, error=_(
                "The report stopped several times before it was finished. Try again; if it "
                "stops again, tell the people who run this site."))).rowcount
        if gave_up:
            swept.failed.append(job_id)
        elif session.execute(update(ReportJob).where(*stale).values(
                state="queued", queued_at=moment, heartbeat_at=None)).rowcount:
            swept.requeued.append(job_id)
    swept.removed = session.execute(ReportJob.__table__.delete().where(
        ReportJob.state.in_(("done", "failed")),
        ReportJob.finished_at < moment - keep)).rowcount
    session.commit()
    return swept


def waiting_too_long(session, older_than: timedelta) -> list[int]:
    """Queued jobs asked for longer ago than ``older_than`` (their message may be lost)."""
    return list(session.scalars(select(ReportJob.id).where(
        ReportJob.state == "queued", ReportJob.queued_at < now() - older_than)
        .order_by(ReportJob.id)))


# --- what operators watch ------------------------------------------------------------------


def counts(session) -> dict[str, int]:
    return dict(session.execute(select(ReportJob.state, func.count()).group_by(
        ReportJob.state)).all())


def running(session) -> list[ReportJob]:
    return list(session.scalars(select(ReportJob).where(ReportJob.state == "running")
                                .order_by(ReportJob.id)))


def recent(session, limit: int = 10) -> list[ReportJob]:
    return list(session.scalars(select(ReportJob).where(ReportJob.finished_at.is_not(None))
                                .order_by(ReportJob.finished_at.desc(), ReportJob.id.desc())
                                .limit(limit)))
