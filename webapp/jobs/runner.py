"""One run of a job inside a worker: claim it, keep its heartbeat, report each part, keep
the file; and the sweeper step that puts stalled jobs back on the queue."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.jobs import JobFailed, Superseded, kind_of
from webapp.jobs import operations as ops
from webapp.models import ReportJob

log = logging.getLogger("coproduce.jobs")

#: Runs this process is doing now, {job id: run number}: put back at once on shutdown.
ACTIVE: dict[int, int] = {}
_active_lock = threading.Lock()
#: Set when the worker is stopping: a run stops after its current part.
STOPPING = threading.Event()


class _Heartbeat(threading.Thread):
    """Beats for a run every ``JOB_HEARTBEAT_SECONDS`` while a part renders."""

    def __init__(self, app, job_id: int, run: int) -> None:
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.app, self.job_id, self.run_number = app, job_id, run
        self.stop = threading.Event()
        self.lost = False

    def run(self) -> None:
        every = self.app.config.get("JOB_HEARTBEAT_SECONDS", 10)
        while not self.stop.wait(every):
            try:
                with self.app.app_context(), db.engine.begin() as connection:
                    ops.beat(connection, self.job_id, self.run_number)
            except Superseded:
                self.lost = True
                return
            except Exception:  # noqa: BLE001  (a missed beat is retried at the next one)
                log.exception("heartbeat of job %s failed", self.job_id)


def run(job_id: int) -> None:
    """Run job ``job_id`` if it is waiting; a message for a job that is running elsewhere,
    finished or failed is dropped (the table, not the queue, says what is still to do)."""
    session = db.session
    number = ops.claim(session, job_id)
    if number is None:
        return
    job = session.get(ReportJob, job_id)
    with _active_lock:
        ACTIVE[job_id] = number
    heart = _Heartbeat(current_app._get_current_object(), job_id, number)
    heart.start()
    try:
        _run(session, job, number, heart)
    finally:
        heart.stop.set()
        with _active_lock:
            ACTIVE.pop(job_id, None)
        session.remove()


def _run(session, job: ReportJob, number: int, heart: _Heartbeat) -> None:
    job_id, kind = job.id, kind_of(job.kind)
    subject = kind.subject(session, job.subject_id)

    def progress(done: int, total: int) -> None:
        if heart.lost or STOPPING.is_set():
            raise Superseded(job_id)
        ops.beat(session, job_id, number, done, total)
        session.commit()

    try:
        if subject is None:
            raise JobFailed(_("What this report was about has been removed."))
        made = kind.run(session, subject, job.k, progress)
    except Superseded:
        session.rollback()
        log.info("job %s run %s stopped: another run has it now", job_id, number)
        return
    except JobFailed as failure:
        session.rollback()
        ops.fail(session, job_id, number, str(failure))
        return
    except Exception:
        session.rollback()
        log.exception("job %s run %s failed", job_id, number)
        ops.fail(session, job_id, number, _(
            "Something went wrong while making this report. Try again; if it fails again, "
            "tell the people who run this site."))
        return
    if not ops.finish(session, job_id, number, made):
        log.info("job %s run %s finished after another run took it over", job_id, number)


def put_back_active(app) -> list[int]:
    """On shutdown: the runs this process started go back on the queue at once (instead of
    waiting for the sweeper to notice that their heartbeat stopped)."""
    from sqlalchemy import update

    from webapp.clock import now
    from webapp.jobs.queue import enqueue

    with _active_lock:
        active = dict(ACTIVE)
    back = []
    with app.app_context():
        for job_id, number in active.items():
            changed = db.session.execute(update(ReportJob).where(
                ReportJob.id == job_id, ReportJob.attempts == number,
                ReportJob.state == "running").values(
                state="queued", attempts=ReportJob.attempts - 1, queued_at=now(),
                heartbeat_at=None))
            db.session.commit()
            if changed.rowcount:
                back.append(job_id)
                enqueue(job_id, app)
        db.session.remove()
    return back


def sweep_once(app) -> ops.Swept:
    """One sweep: stalled jobs back on the queue (or failed for good), old ones removed, and
    queued jobs whose message was lost while the queue stands empty sent again."""
    from webapp.jobs.queue import enqueue, queue_length

    config = app.config
    stale = timedelta(seconds=config.get("JOB_STALE_SECONDS", 60))
    with app.app_context():
        swept = ops.sweep(db.session, stale, config.get("JOB_MAX_ATTEMPTS", 3),
                          timedelta(days=config.get("JOB_KEEP_DAYS", 7)))
        for job_id in swept.requeued:
            enqueue(job_id, app)
        if queue_length(app) == 0:
            for job_id in ops.waiting_too_long(db.session, stale):
                enqueue(job_id, app)
        db.session.remove()
    for job_id in swept.requeued:
        log.warning("job %s stalled (no heartbeat); queued again", job_id)
    for job_id in swept.failed:
        log.warning("job %s stalled too often; marked failed", job_id)
    return swept
