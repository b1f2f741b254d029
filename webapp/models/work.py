"""A group's case work on an assignment: one CaseWork, one SectionDraft per template section."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db


class CaseWork(db.Model):
    __tablename__ = "case_work"
    __table_args__ = (UniqueConstraint("group_id", "assignment_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: The group's working agreement, framed as promises (written before any section).
    promise_ourselves: Mapped[str] = mapped_column(Text, default="")
    promise_each_other: Mapped[str] = mapped_column(Text, default="")
    promise_person: Mapped[str] = mapped_column(Text, default="")
    agreed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    #: Which submission round the case is in (an educator's reopening starts the next one).
    round: Mapped[int] = mapped_column(Integer, default=1)
    #: When a member said the case is ready to submit (members then confirm).
    ready_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: After submission the group may share its part 9 (plans and promises) with the cohort.
    reflection_shared_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: The group's rating of its own case, made before (or after) hand-in; each hand-in
    #: carries it to the submission's self-assessment.
    self_rating: Mapped[dict | None] = mapped_column(JSON)
    self_rating_rubric_id: Mapped[int | None] = mapped_column(
        ForeignKey("rubric_version.id", ondelete="SET NULL"))

    sections: Mapped[list[SectionDraft]] = relationship(back_populates="case_work")
    group = relationship("Group")
    assignment = relationship("Assignment")


class SectionDraft(db.Model):
    """The current text of one template section of one group's case."""

    __tablename__ = "section_draft"
    __table_args__ = (UniqueConstraint("case_work_id", "section"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_work_id: Mapped[int] = mapped_column(ForeignKey("case_work.id", ondelete="CASCADE"))
    #: A template key (curriculum.template.KEYS).
    section: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    #: Raised by one on every accepted save; a save names the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=0)
    #: The group marked the section as written (it can still be edited).
    written: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    #: Someone writing as a student has saved words here / a patient partner's voice is here
    #: (their own save, or words a student recorded as "told by" them). Never word counts.
    student_voice: Mapped[bool] = mapped_column(Boolean, default=False)
    patient_voice: Mapped[bool] = mapped_column(Boolean, default=False)

    case_work: Mapped[CaseWork] = relationship(back_populates="sections")


class SectionRevision(db.Model):
    """Every accepted save of a section: who, in which role, told by whom, and the text."""

    __tablename__ = "section_revision"
    __table_args__ = (UniqueConstraint("draft_id", "version"),
                      # the hourly notifications look for the latest changes
                      Index("ix_section_revision_created_at", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("section_draft.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    role: Mapped[str] = mapped_column(String(32))
    told_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    #: Set when this revision restored an earlier one.
    restored_from: Mapped[int | None] = mapped_column(Integer)
    #: The named contact who typed it for ``account_id`` (who told it by phone or on paper).
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    #: The writer could not read the text before (or said it no longer holds withdrawn
    #: words), so this version holds only the words saved in it.
    fresh_start: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The text was taken out at its owner's request (withdrawal or erasure).
    text_removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ConsentRecord(db.Model):
    """A patient partner's choices for one case; a change adds a row (the history is kept)."""

    __tablename__ = "consent_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_work_id: Mapped[int] = mapped_column(ForeignKey("case_work.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            index=True)
    share_group: Mapped[bool] = mapped_column(Boolean)
    share_reviewers: Mapped[bool] = mapped_column(Boolean)
    exemplar: Mapped[bool] = mapped_column(Boolean)
    quote: Mapped[bool] = mapped_column(Boolean)
    #: The person withdrew their words: parts holding only their words were emptied, and
    #: versions mixing them with others' are held back until they choose again.
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: The named contact who recorded these choices for the person.
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))


class Confirmation(db.Model):
    """A member's "yes, submit it" for one round; a patient partner also says what reviewers
    may read."""

    __tablename__ = "submit_confirmation"
    __table_args__ = (UniqueConstraint("case_work_id", "round", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_work_id: Mapped[int] = mapped_column(ForeignKey("case_work.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    #: For patient partners: may reviewers read the parts that hold their words?
    share_reviewers: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Submission(db.Model):
    """The case as submitted, once per group, assignment and round (a reopened case keeps its
    earlier submissions)."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("assignment_id", "group_id", "round"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_work_id: Mapped[int] = mapped_column(ForeignKey("case_work.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    #: Template key → {"text": …} or {"withheld": true} (a patient partner's choice).
    sections: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: Set when an educator submitted without every confirmation, with the reason.
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)

    assignment = relationship("Assignment")
    group = relationship("Group")


class CaseRead(db.Model):
    """A read of a case by someone outside its group (staff), kept for the audit trail."""

    __tablename__ = "case_read"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_work_id: Mapped[int] = mapped_column(ForeignKey("case_work.id", ondelete="CASCADE"),
                                              index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    #: What was read: "case" or "history".
    what: Mapped[str] = mapped_column(String(20))
    read_at: Mapped[datetime] = mapped_column(DateTime, default=now)
