"""One run of a job inside a worker: claim it, keep its heartbeat, report each part, keep
the file; and the sweeper step that puts stalled jobs back on the queue."""

from __future__ import annotations

import logging
import shutil
import threading
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
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


class Stopping(Exception):
    """The worker is stopping: the run ends after its current part and goes back on the
    queue for another worker."""


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
        with force_locale(job.language):  # the file and any error in the asker's language
            _run(session, job, number, heart)
    finally:
        heart.stop.set()
        with _active_lock:
            ACTIVE.pop(job_id, None)
        session.remove()


def workdir(app, job_id: int) -> Path:
    """The job's own scratch folder on this host (``JOB_WORK_DIR``, default
    ``instance/job-work/``)."""
    root = Path(app.config.get("JOB_WORK_DIR") or Path(app.instance_path) / "job-work")
    return root / f"job-{job_id}"


def _run(session, job: ReportJob, number: int, heart: _Heartbeat) -> None:
    job_id = job.id
    try:
        kind = kind_of(job.kind)
    except KeyError:
        log.error("job %s is of a kind this worker does not know: %s", job_id, job.kind)
        ops.fail(session, job_id, number, _(
            "This server cannot make this kind of file any more. Tell the people who run "
            "this site."))
        return
    subject = kind.subject(session, job.subject_id)
    folder = workdir(current_app, job_id)
    shutil.rmtree(folder, ignore_errors=True)  # what a killed run left
    folder.mkdir(parents=True)
    try:
        _run_in(session, job, number, heart, kind, subject, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_in(session, job, number, heart, kind, subject, folder: Path) -> None:
    job_id = job.id

    def progress(done: int, total: int) -> None:
        if heart.lost:
            raise Superseded(job_id)
        if STOPPING.is_set():
            raise Stopping(job_id)
        ops.beat(session, job_id, number, done, total)
        session.commit()

    try:
        if subject is None:
            raise JobFailed(_("What this report was about has been removed."))
        made = kind.run(session, subject, job.k, progress, folder)
    except Superseded:
        session.rollback()
        log.info("job %s run %s stopped: another run has it now", job_id, number)
        return
    except Stopping:
        session.rollback()
        if _put_back(session, job_id, number):
            from webapp.jobs.queue import enqueue

            enqueue(job_id)
            log.info("job %s put back on the queue: this worker is stopping", job_id)
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
    if ops.finish(session, job_id, number, made):
        log.info("job %s (%s %s) done: %d bytes", job_id, job.kind, job.subject_id,
                 len(made[1]) if made else 0)
    else:
        log.info("job %s run %s finished after another run took it over", job_id, number)


def _put_back(session, job_id: int, number: int) -> bool:
    """Queue run ``number`` of a job again, not counting it as an attempt."""
    from sqlalchemy import update

    from webapp.clock import now

    changed = session.execute(update(ReportJob).where(
        ReportJob.id == job_id, ReportJob.attempts == number,
        ReportJob.state == "running").values(
        state="queued", attempts=ReportJob.attempts - 1, queued_at=now(), heartbeat_at=None))
    session.commit()
    return changed.rowcount == 1


def put_back_active(app) -> list[int]:
    """On shutdown: the runs this process started go back on the queue at once (instead of
    waiting for the sweeper to notice that their heartbeat stopped)."""
    from webapp.jobs.queue import enqueue

    with _active_lock:
        active = dict(ACTIVE)
    back = []
    with app.app_context():
        for job_id, number in active.items():
            if _put_back(db.session, job_id, number):
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
