"""Jobs: the whole-programme report asked for as a job and made by a real ``coproduce worker``
process, on SQLite and on a throwaway PostgreSQL 15 cluster.

On the synthetic programme (``bench.synthetic``; ``BENCH_QUICK=1``: a smaller one, 200
learners in 20 groups, 2 module versions, 20,000 answers, 2,000 reviews) and for each database:
- enqueue to start: from the request's commit until an idle worker has claimed the job;
- request to file: from the request until the file is ready to download;
- the data version (the cheap fingerprint the reports page works out): median of 5;
- a killed worker: a second report (another threshold k, so another job) is asked for, the
  worker is killed (SIGKILL) after two parts, another worker is started; how long until the
  job runs again (the sweeper's settings for this run are in the figures), and how long the
  whole job took from its request.
"""

# ruff: noqa: S603 (runs only this interpreter with the coproduce command)
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.autosave import PGBIN, _postgres
from bench.reports import _app
from bench.synthetic import build_programme
from webapp.extensions import db
from webapp.models import Programme, ReportJob

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SMALL = {"learners": 200, "groups": 20, "module_versions": 2, "answers": 20_000,
         "reviews": 2_000}
#: The sweeper's settings in this run (the defaults are 10 s, 60 s and 15 s).
SWEEPER = {"JOB_HEARTBEAT_SECONDS": "1", "JOB_STALE_SECONDS": "5", "JOB_SWEEP_SECONDS": "1"}


def _worker(url: str, tmp: Path) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, COPRODUCE_ENV="development", **SWEEPER,
               JOB_WORK_DIR=str(tmp / "job-work"), JOB_POLL_SECONDS="0.2")
    return subprocess.Popen([sys.executable, "-c", "from webapp.cli import main; main()",
                             "worker"], env=env, cwd=tmp, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _job(app, job_id: int) -> ReportJob:
    with app.app_context():
        job = db.session.get(ReportJob, job_id)
        db.session.expunge_all()
        db.session.remove()
    return job


def _until(app, job_id: int, ready, limit: float = 1800) -> tuple[ReportJob, float]:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        job = _job(app, job_id)
        if ready(job):
            return job, time.perf_counter()
        if job.state == "failed":
            raise RuntimeError(f"job {job_id} failed: {job.error}")
        time.sleep(0.1)
    raise RuntimeError(f"job {job_id} not ready within {limit} s")


def _ask(app, programme_id: int, k: int) -> tuple[int, float]:
    from webapp.jobs import operations as ops
    from webapp.jobs.queue import enqueue

    with app.app_context():
        asked = time.perf_counter()
        job, _new = ops.ask(db.session, "programme_report",
                            db.session.get(Programme, programme_id), k, None)
        db.session.commit()
        enqueue(job.id, app)
        job_id = job.id
        db.session.remove()
    return job_id, asked


def _data_version_ms(programme_id: int) -> float:
    """The cheap fingerprint the reports page and each request work out (median of 5)."""
    from webapp.reports.whole import data_version

    programme = db.session.get(Programme, programme_id)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        data_version(db.session, programme, 5)
        times.append(time.perf_counter() - start)
    return round(sorted(times)[2] * 1000, 1)


def _database(url: str, tmp: Path) -> dict:
    from webapp.jobs.queue import get_huey

    app = _app(url, tmp)
    get_huey(app).storage.initialize_schema()
    with app.app_context():
        start = time.perf_counter()
        ids = build_programme(db.session, **(SMALL if QUICK else {}))
        db.session.commit()
        figures: dict = {"build_s": round(time.perf_counter() - start, 1)}
        figures["data_version_ms"] = _data_version_ms(ids["programme_id"])
        db.session.remove()
    worker = _worker(url, tmp)
    try:
        time.sleep(5)  # let it start and go idle: the latency is that of an idle worker
        job_id, asked = _ask(app, ids["programme_id"], 5)
        job, _at = _until(app, job_id, lambda j: j.started_at is not None)
        figures["enqueue_to_start_s"] = round((job.started_at - job.queued_at)
                                              .total_seconds(), 2)
        job, done = _until(app, job_id, lambda j: j.state == "done")
        figures["request_to_file_s"] = round(done - asked, 1)
        figures["parts"] = job.parts_total
        figures["file_bytes"] = job.file_size
        job_id, asked = _ask(app, ids["programme_id"], 6)
        _until(app, job_id, lambda j: j.parts_done >= 2)
        worker.kill()
        killed = time.perf_counter()
        worker.wait()
        worker = _worker(url, tmp)
        _running, again = _until(app, job_id, lambda j: j.state == "running" and j.attempts == 2)
        figures["killed_worker"] = {"picked_up_again_s": round(again - killed, 1),
                                    "request_to_file_s": round(
                                        _until(app, job_id, lambda j: j.state == "done")[1]
                                        - asked, 1),
                                    "sweeper": SWEEPER}
    finally:
        worker.kill()
        worker.wait()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return figures


def run() -> dict:
    figures: dict = {"programme": "small (BENCH_QUICK)" if QUICK else "synthetic"}
    with tempfile.TemporaryDirectory() as tmp:
        figures["sqlite"] = _database(f"sqlite:///{Path(tmp) / 'jobs.sqlite'}", Path(tmp))
    if not (PGBIN / "initdb").exists():
        figures["postgresql"] = f"skipped: no PostgreSQL binaries in {PGBIN}"
        return figures
    with tempfile.TemporaryDirectory() as tmp, _postgres() as url:
        figures["postgresql"] = _database(url, Path(tmp))
    return figures


