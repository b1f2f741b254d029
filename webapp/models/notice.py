"""What's new for a person: something needs them (reviews given, feedback released, their
group's case changed, a due date near with parts still empty, comments to screen). Each is
listed in the app and, as the person chose for its kind, mailed at once, in a daily digest,
or not at all (``webapp.notices``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import now
from webapp.extensions import db

#: How a notification is mailed, as the person's choice for its kind was when it was made.
MAIL_CHOICES = ("now", "digest", "never")


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (
        # "at most one": a notification that must not come twice has a key
        UniqueConstraint("account_id", "key"),
        Index("ix_notification_account_id_read_at", "account_id", "read_at"),
        Index("ix_notification_mail_mailed_at", "mail", "mailed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    #: The kind people choose for (``webapp.notices.kinds.KINDS``), and what happened within it.
    kind: Mapped[str] = mapped_column(String(24))
    what: Mapped[str] = mapped_column(String(24), default="")
    #: What the sentence names: a module's title, a cohort's name, a count. Never case text,
    #: review text or anyone's own words.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The page it is about, on this site.
    path: Mapped[str] = mapped_column(String(200))
    key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    mail: Mapped[str] = mapped_column(String(8), default="never")
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime)


class CaseVisit(db.Model):
    """When a person last opened a case: a change made after it is news to them."""

    __tablename__ = "case_visit"
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            primary_key=True)
    case_work_id: Mapped[int] = mapped_column(ForeignKey("case_work.id", ondelete="CASCADE"),
                                              primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=now)
