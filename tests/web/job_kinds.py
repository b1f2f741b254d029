"""A job kind for tests: ``gated_parts`` makes a small text file in several parts, each part
waiting until the test opens its gate (a file ``go-N`` in the folder named by
``JOB_TEST_GATES``), so that a test can stop a worker in the middle of a job without
sleeping. ``coproduce worker --import tests.web.job_kinds`` registers it in a worker."""

from __future__ import annotations

import os
import time
from pathlib import Path

from webapp.jobs import JobKind, register
from webapp.models import Programme

PARTS = 4


def _wait_for(gate: Path, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not gate.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"nobody opened {gate}")
        time.sleep(0.02)


def _run(session, programme, k, progress, folder: Path):
    gates = os.environ.get("JOB_TEST_GATES")
    progress(0, PARTS)
    for number in range(1, PARTS + 1):
        if gates:
            _wait_for(Path(gates) / f"go-{number}")
        # each part leaves a file in the job's folder, as the report's parts do
        (folder / f"part-{number}.txt").write_text(f"part {number} by {os.getpid()}\n")
        progress(number, PARTS)
    text = "".join((folder / f"part-{n}.txt").read_text() for n in range(1, PARTS + 1))
    return f"parts-{programme.id}.txt", text.encode()


GATED = register(JobKind(
    name="gated_parts",
    subject=lambda session, subject_id: session.get(Programme, subject_id),
    data_version=lambda session, programme, k: f"v1-{programme.name}",
    run=_run,
    mimetype="text/plain",
))
