"""Real ``coproduce worker`` processes: one is killed (SIGKILL) half way through a job, another
picks the job up and finishes it, with exactly one file; a worker asked to stop puts its job
back on the queue at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.web.job_kinds import PARTS
from tests.web.test_jobs import _gated_job
from webapp.extensions import db
from webapp.jobs import runner
from webapp.jobs.queue import empty, enqueue, queue_length
from webapp.models import ReportJob

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gates(app, tmp_path):
    empty(app)
    folder = tmp_path / "gates"
    folder.mkdir()
    yield folder
    empty(app)


class Worker:
    """A ``coproduce worker`` process, with what it says on stderr collected as it says it."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process, self.said = process, []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.said.append(line)

    def __getattr__(self, name):
        return getattr(self.process, name)

    def output(self) -> str:
        return "".join(self.said)[-3000:]

    def until_it_says(self, words: str) -> None:
        deadline = time.monotonic() + 30
        while not any(words in line for line in self.said):
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"the worker never said {words!r}: {self.output()}")
            time.sleep(0.02)


def _worker(app, gates: Path) -> Worker:
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               COPRODUCE_ENV="production", SECRET_KEY="test-secret-key-not-for-production",
               BASE_URL="http://127.0.0.1:5999", MAIL_BACKEND="console",
               JOB_WORK_DIR=app.config["JOB_WORK_DIR"], JOB_TEST_GATES=str(gates),
               JOB_HEARTBEAT_SECONDS="0.2", JOB_STALE_SECONDS="3",
               JOB_SWEEP_SECONDS="0.3", JOB_POLL_SECONDS="0.2", JOB_SHUTDOWN_SECONDS="10",
               PYTHONPATH=str(ROOT))
    return Worker(subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "worker",
         "--import", "tests.web.job_kinds"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))


def _job(app, job_id: int) -> ReportJob:
    with app.app_context():
        job = db.session.scalar(select(ReportJob).where(ReportJob.id == job_id))
        db.session.expunge_all()
        db.session.remove()
    return job


def _until(app, job_id: int, worker: Worker, ready, what: str) -> ReportJob:
    """Wait (at most a minute) for the job to be as ``ready`` says; fail with the worker's
    own words if it died or never got there."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = _job(app, job_id)
        if ready(job):
            return job
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped before {what}: {worker.output()}")
        time.sleep(0.05)
    worker.kill()
    pytest.fail(f"no {what} within a minute: {worker.output()}")


def _stop(worker: Worker) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_a_killed_workers_job_is_finished_by_another_with_one_file(app, world, gates):
    job_id = _gated_job(app, world.ids["P"])
    enqueue(job_id, app)
    first = _worker(app, gates)
    try:
        (gates / "go-1").touch()
        _until(app, job_id, first, lambda j: j.parts_done >= 1, "a first part")
        first.kill()  # SIGKILL: no goodbye, the job stays "running" with a silent heartbeat
        first.wait()
        assert _job(app, job_id).state == "running"
        for number in range(2, PARTS + 1):
            (gates / f"go-{number}").touch()
        second = _worker(app, gates)
        try:
            job = _until(app, job_id, second, lambda j: j.state == "done", "finished job")
        finally:
            _stop(second)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    # two runs (a third only if a slow machine starved a heartbeat for 3 s)
    assert job.attempts >= 2 and job.parts_done == PARTS
    with app.app_context():
        made = db.session.get(ReportJob, job_id).file_data.decode().splitlines()
        assert db.session.query(ReportJob).filter(ReportJob.kind != "notices").count() == 1
        db.session.remove()
    assert [line.split(" by ")[0] for line in made] == [f"part {n}" for n in range(1, 5)]
    assert {line.split(" by ")[1] for line in made} == {str(second.pid)}
    assert not runner.workdir(app, job_id).exists()


def test_a_worker_asked_to_stop_puts_its_job_back_at_once(app, world, gates):
    job_id = _gated_job(app, world.ids["P"])
    enqueue(job_id, app)
    worker = _worker(app, gates)
    try:
        (gates / "go-1").touch()
        _until(app, job_id, worker, lambda j: j.parts_done >= 1, "a first part")
        worker.send_signal(signal.SIGINT)
        worker.until_it_says("Shutting down gracefully")
        (gates / "go-2").touch()  # the part under way ends; the job goes back
        assert worker.wait(20) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert f"job {job_id} put back on the queue" in worker.output()
    job = _job(app, job_id)
    assert (job.state, job.attempts, job.heartbeat_at) == ("queued", 0, None)
    # sent again for the next worker (the sweeper may have sent one more while the worker
    # took the first: a message for a job that is not waiting is dropped)
    assert queue_length(app) >= 1
