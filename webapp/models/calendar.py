"""Private calendar feed links: one per person for their own due dates, and one per cohort an
educator teaches. Only the SHA-256 of a link's token is kept; the link works until its owner
makes a new one or turns it off."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db

#: The feed of the person's own dates (``scope``); a cohort's feed is ``cohort:<id>``.
OWN = "own"


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feed"
    __table_args__ = (UniqueConstraint("account_id", "scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    #: ``own``, or ``cohort:<id>`` for an educator's feed of one cohort.
    scope: Mapped[str] = mapped_column(String(24))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    account = relationship("Account")
    cohort = relationship("Cohort")
