"""Long work done off the request (the whole-programme report, later roster syncs and
digests): one row per job, the truth about its state, progress and finished file.

The queue only carries "run job N" messages; whatever happens to a message (a worker killed
while holding it, a queue emptied), this table says what is still to do, and the sweeper in
``coproduce worker`` puts stalled jobs back on the queue.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from webapp.clock import now
from webapp.extensions import db

#: queued → running → done, or failed (a person may retry: queued again).
JOB_STATES = ("queued", "running", "done", "failed")


class ReportJob(db.Model):
    __tablename__ = "report_job"
    __table_args__ = (
        # one job per report, data version, threshold and language: a second request joins it
        UniqueConstraint("kind", "subject_id", "data_version", "k", "language"),
        Index("ix_report_job_state_heartbeat_at", "state", "heartbeat_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The registered job kind (``webapp.jobs.KINDS``), e.g. ``programme_report``.
    kind: Mapped[str] = mapped_column(String(40))
    #: What the job is about, by the kind's own subject (a programme for the report).
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    #: Changes whenever what the finished file would show changes.
    data_version: Mapped[str] = mapped_column(String(64))
    #: The small-cell threshold the report hides groups below.
    k: Mapped[int] = mapped_column(Integer)
    #: The language the file is written in: that of the person who asked for it ("en", "sv").
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    state: Mapped[str] = mapped_column(String(10), default="queued")
    parts_done: Mapped[int] = mapped_column(Integer, default=0)
    parts_total: Mapped[int] = mapped_column(Integer, default=0)
    #: Runs started; each run's writes carry its number, so an older run cannot finish.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Why the job failed, in plain words for the person (never a traceback).
    error: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(200), default="")
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    #: The finished file; loaded only for a download.
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: When the job last went onto the queue (asked for, retried or put back).
    queued_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
