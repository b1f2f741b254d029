"""``coproduce worker``: the process that does jobs (and ``--status``: what operators watch).

Start as many as the work needs, on one host or several, all against the one database: each
takes the next message from the queue, and the sweeper in every worker puts back the jobs
of a worker that died.
"""

from __future__ import annotations

import importlib
import logging
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.extensions import db


@click.command("worker")
@with_appcontext
@click.option("--threads", type=click.IntRange(1, 16), default=1, show_default=True,
              help="How many jobs this process works on at once.")
@click.option("--status", is_flag=True,
              help="Print the queue length, the jobs by state and the latest job times, "
                   "then exit.")
@click.option("--once", is_flag=True,
              help="Do the jobs waiting now (after one sweep), then exit.")
@click.option("--import", "imports", multiple=True, metavar="MODULE",
              help="Import MODULE first (it may register more job kinds); may be repeated.")
def worker(threads: int, status: bool, once: bool, imports: tuple[str, ...]):
    """Do the long jobs people ask for on the web (the whole-programme report), until
    stopped with Ctrl+C or SIGTERM. A job stopped half way is done again by another worker."""
    from webapp.jobs import runner
    from webapp.jobs.queue import drain

    app = current_app._get_current_object()
    for name in imports:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise click.BadParameter(_("cannot import %(name)s: %(why)s", name=name, why=exc),
                                     param_hint="--import") from exc
    if status:
        _print_status(app)
        return
    if once:
        runner.sweep_once(app)
        ran = drain(app)
        click.echo(_("Ran %(n)d waiting job message(s).", n=ran))
        return
    _serve(app, threads)


def _serve(app, threads: int) -> None:
    from huey.consumer import Consumer

    from webapp.jobs import runner
    from webapp.jobs.queue import get_huey

    class JobConsumer(Consumer):
        def stop(self, graceful=False):
            runner.STOPPING.set()  # runs end after their current part and go back
            super().stop(graceful=graceful)

    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop_sweeping = threading.Event()
    sweeper = threading.Thread(target=_sweep_loop, args=(app, stop_sweeping),
                               name="sweeper", daemon=True)
    consumer = JobConsumer(get_huey(app), workers=threads, periodic=False,
                           worker_type="thread", initial_delay=0.1, backoff=1.3,
                           max_delay=app.config.get("JOB_POLL_SECONDS", 1.0),
                           shutdown_timeout=app.config.get("JOB_SHUTDOWN_SECONDS", 20))
    click.echo(_("Worker started: %(n)d thread(s), queue on %(where)s.", n=threads,
                 where=_where(app)), err=True)
    sweeper.start()
    try:
        consumer.run()
    finally:
        stop_sweeping.set()
        back = runner.put_back_active(app)
        if back:
            click.echo(_("Put back on the queue: job(s) %(jobs)s.", jobs=", ".join(map(str, back))),
                       err=True)


def _sweep_loop(app, stop: threading.Event) -> None:
    from webapp.jobs import runner
    from webapp.notices.schedule import ask_for_this_hour

    every = app.config.get("JOB_SWEEP_SECONDS", 15)
    while True:
        try:
            runner.sweep_once(app)
            ask_for_this_hour(app)  # the hourly notifications and digests (one job an hour)
        except Exception:  # noqa: BLE001  (the next sweep tries again)
            logging.getLogger("coproduce.jobs").exception("sweep failed")
        if stop.wait(every):
            return


def _where(app) -> str:
    from webapp.jobs.queue import queue_file

    if db.engine.url.get_backend_name() == "sqlite":
        return str(queue_file(app))
    return db.engine.url.render_as_string(hide_password=True)


def _print_status(app) -> None:
    from webapp.clock import now
    from webapp.jobs import operations as ops
    from webapp.jobs.queue import queue_length

    counts = ops.counts(db.session)
    click.echo(_("Queue: %(n)d message(s) waiting (%(where)s)", n=queue_length(app),
                 where=_where(app)))
    states = {"queued": _("queued"), "running": _("running"), "done": _("done"),
              "failed": _("failed")}
    click.echo(_("Jobs: %(counts)s", counts=", ".join(
        f"{counts.get(state, 0)} {word}" for state, word in states.items())))
    moment = now()
    for job in ops.running(db.session):
        beat = (moment - job.heartbeat_at).total_seconds() if job.heartbeat_at else None
        click.echo("  " + (_("running #%(id)d %(kind)s %(subject)s: %(done)d of %(total)d parts, "
                             "no heartbeat yet", id=job.id, kind=job.kind,
                             subject=job.subject_id, done=job.parts_done,
                             total=job.parts_total) if beat is None else
                           _("running #%(id)d %(kind)s %(subject)s: %(done)d of %(total)d parts, "
                             "last heartbeat %(seconds).0f s ago", id=job.id, kind=job.kind,
                             subject=job.subject_id, done=job.parts_done,
                             total=job.parts_total, seconds=beat)))
    recent = ops.recent(db.session)
    if recent:
        click.echo(_("Latest finished jobs (waited / ran):"))
    for job in recent:
        waited = (job.started_at - job.queued_at).total_seconds() if job.started_at else 0
        ran = (job.finished_at - job.started_at).total_seconds() if job.started_at else 0
        click.echo("  " + _("#%(id)d %(kind)s %(subject)s %(state)s: %(waited).1f s / %(ran).1f s, "
                           "%(size)s bytes, finished %(when)s (UTC)", id=job.id, kind=job.kind,
                           subject=job.subject_id, state=states.get(job.state, job.state),
                           waited=max(waited, 0), ran=ran, size=job.file_size,
                           when=f"{job.finished_at:%Y-%m-%d %H:%M}"))
