"""Long work done off the request, by ``coproduce worker`` processes.

A job kind is registered here once (the whole-programme report; later roster syncs and
notification digests): how to find its subject, how to tell the version of the data it
would show, and how to run it part by part. ``webapp.jobs.operations`` keeps the
``report_job`` table (the truth about every job); ``webapp.jobs.queue`` hands "run job N"
messages to workers through huey.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class Superseded(Exception):
    """This run no longer owns its job (the sweeper gave it to another worker)."""


class JobFailed(Exception):
    """The job cannot be done; the message is shown to the person, in plain words."""


@dataclass(frozen=True)
class JobKind:
    """One kind of job.

    ``subject(session, subject_id)`` loads what the job is about (None when it is gone);
    ``data_version(session, subject, k)`` changes whenever the result would change;
    ``run(session, subject, k, progress, workdir)`` does the work, calling
    ``progress(done, total)`` after each part, and returns ``(file name, bytes)`` or None
    when the job makes no file. ``workdir`` is an empty folder of this job's own (emptied
    again when a run starts, so what a killed run left there never adds up).
    """

    name: str
    subject: Callable
    data_version: Callable
    run: Callable
    mimetype: str = "application/pdf"


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> JobKind:
    """The registered kind called ``name`` (importing the modules that register kinds)."""
    import webapp.lti.roster_sync  # noqa: F401  (registers roster_sync)
    import webapp.notices.schedule  # noqa: F401  (registers notices)
    import webapp.reports.whole  # noqa: F401  (registers programme_report)

    return KINDS[name]
