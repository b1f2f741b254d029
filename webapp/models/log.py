"""The learning log: what a person learnt, what they will do, what happened when they did.

An entry is its author's alone until they share it, one entry at a time, with their group or
their cohort, named or without their name. When it comes back to them (``curriculum.
reexposure``) their answer is a ``LogRevisit``. Never assessed: no page shows staff how many
entries any one person wrote.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db

#: Where an entry was written from.
PLACES = ("lesson", "check", "case", "feedback", "placement", "own")
#: The reflective cycle (Driscoll's What? / So what? / Now what?) and, when a plan was
#: tried, What happened? (the words of the case template's part 9).
STAGES = ("what", "so_what", "now_what", "what_happened")
#: Who a shared entry is shown to.
AUDIENCES = ("group", "cohort")


class LogEntry(db.Model):
    __tablename__ = "log_entry"
    __table_args__ = (
        CheckConstraint("place IN ('lesson', 'check', 'case', 'feedback', 'placement', 'own')",
                        name="place"),
        CheckConstraint("stage IN ('what', 'so_what', 'now_what', 'what_happened')",
                        name="stage"),
        CheckConstraint("shared_with IS NULL OR shared_with IN ('group', 'cohort')",
                        name="shared_with"),
        CheckConstraint("pin_state IS NULL OR pin_state IN ('proposed', 'pinned')",
                        name="pin_state"),
        # The author's own log, newest first; and a cohort's shared entries, newest first.
        Index("ix_log_entry_author", "account_id", "written_on", "id"),
        Index("ix_log_entry_back", "account_id", "back_on"),
        Index("ix_log_entry_shared", "share_cohort_id", "shared_at"),
        Index("ix_log_entry_group_shared", "share_group_id", "shared_at"),
        Index("ix_log_entry_pinned", "pin_programme_id", "pin_state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    place: Mapped[str] = mapped_column(String(12))
    stage: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    #: Case template part keys and objective ids the author chose.
    tags: Mapped[list] = mapped_column(JSON, default=list)
    #: The day the author says it happened (their local day).
    written_on: Mapped[date] = mapped_column(Date)
    #: Where it was written from: the module version, and in it a lesson or check item id or
    #: a case template part. Only a link: nobody else's words are copied in.
    module_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_version.id", ondelete="SET NULL"))
    place_id: Mapped[str | None] = mapped_column(String(100))
    #: The assignment of that module in the author's cohort, whose dates bring it back.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL"))
    #: A "What happened?" entry points back to the "Now what?" plan it carried out.
    follows_id: Mapped[int | None] = mapped_column(
        ForeignKey("log_entry.id", ondelete="SET NULL"), index=True)
    #: The day the author asked to see it again; empty = the spaced days.
    come_back_on: Mapped[date | None] = mapped_column(Date)
    #: The day "did it" or "stop bringing this back" ended its returns.
    ended_on: Mapped[date | None] = mapped_column(Date)
    #: The next day it comes back to its author (``curriculum.reexposure.next_return``, worked
    #: out when it is written, changed or answered, or its assignment's dates change); empty:
    #: never again. The home page asks only this, so its cost does not grow with the log.
    back_on: Mapped[date | None] = mapped_column(Date)
    #: Changes with every save, so two tabs cannot overwrite each other unseen.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: Shared by its author with their "group" or "cohort"; empty = private.
    shared_with: Mapped[str | None] = mapped_column(String(8))
    share_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_group.id", ondelete="SET NULL"))
    share_cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort.id", ondelete="SET NULL"))
    #: Shown with the author's name (else "someone in your group/cohort").
    share_named: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: An educator took a shared entry off the cohort's page, and told the author why.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    #: An educator proposed showing it on the module's page to later cohorts of the programme
    #: ("proposed"); the author accepted ("pinned"). Empty: not pinned. Ends with the sharing.
    pin_state: Mapped[str | None] = mapped_column(String(10))
    pin_programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="SET NULL"))
    pin_proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    pin_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: "You said, I did": the author sent it back to the reviewers of this case's feedback.
    sent_back_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_work.id", ondelete="SET NULL"), index=True)
    sent_back_at: Mapped[datetime | None] = mapped_column(DateTime)

    follows: Mapped[LogEntry | None] = relationship(remote_side=[id])


class LogRevisit(db.Model):
    """The author's answer when an entry came back (``curriculum.reexposure.ANSWERS``)."""

    __tablename__ = "log_revisit"
    __table_args__ = (
        CheckConstraint("answer IN ('still_true', 'changed_mind', 'did_it', 'not_today', "
                        "'stop')", name="answer"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entry.id", ondelete="CASCADE"),
                                          index=True)
    answer: Mapped[str] = mapped_column(String(16))
    #: What the author added when it came back (optional).
    note: Mapped[str | None] = mapped_column(Text)
    #: The author's local day.
    on_day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
