"""The queue that hands "run job N" to workers: huey, on the app's own database server.

On PostgreSQL huey keeps its queue in tables of the app's database (made by the migrations)
and wakes idle workers with LISTEN/NOTIFY; on SQLite it keeps it in its own file beside the
database, so that workers polling the queue never hold the app database's write lock.
Huey deletes a message when a worker takes it; the ``report_job`` row is what says a job is
still to do, and the sweeper puts stalled jobs back (``webapp.jobs.runner.sweep_once``).
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

QUEUE_NAME = "coproduce-jobs"


def queue_file(app) -> Path:
    """Where the SQLite queue lives: beside the database (``coproduce-jobs.sqlite``)."""
    configured = app.config.get("JOBS_QUEUE_FILE")
    if configured:
        return Path(configured)
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        return Path(app.instance_path) / "coproduce-jobs.sqlite"
    path = Path(database)
    return path.with_name(f"{path.stem}-jobs.sqlite")


def _make(app):
    from huey import PostgresHuey, SqliteHuey

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        path = queue_file(app)
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    else:
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        huey = PostgresHuey(QUEUE_NAME, dsn=dsn, results=False, create_tables=False)

    @huey.task(name="run_job")
    def run_job(job_id: int) -> None:
        from webapp.jobs.runner import run

        with app.app_context():
            run(job_id)

    huey.coproduce_run_job = run_job
    return huey


def get_huey(app=None):
    """This process's huey for ``app`` (made once; it holds only a connection)."""
    app = app or current_app._get_current_object()
    huey = app.extensions.get("coproduce_huey")
    if huey is None:
        huey = app.extensions["coproduce_huey"] = _make(app)
    return huey


def enqueue(job_id: int, app=None) -> None:
    """Put "run job ``job_id``" on the queue (after the job's row is committed)."""
    get_huey(app).coproduce_run_job(job_id)


def queue_length(app=None) -> int:
    return get_huey(app).storage.queue_size()


def drain(app=None, limit: int = 100) -> int:
    """Run the waiting messages here, one after another (tests, benchmarks, ``--once``);
    returns how many ran."""
    huey = get_huey(app)
    ran = 0
    while ran < limit:
        task = huey.dequeue()
        if task is None:
            break
        huey.execute(task)
        ran += 1
    return ran


def empty(app=None) -> None:
    """Drop every waiting message (tests)."""
    get_huey(app).storage.flush_queue()
