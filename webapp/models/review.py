"""Formative review of submitted cases: capacities, allocations, reviews pinned to a rubric
version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db

LENSES = ("educator", "patient")
_LENS_CHECK = "lens IN ('educator', 'patient')"


class ReviewerCapacity(db.Model):
    """How many submissions a reviewer takes in one cohort, per lens: the educator sets the
    most (``capacity``); the reviewer may choose fewer (``chosen``)."""

    __tablename__ = "reviewer_capacity"
    __table_args__ = (UniqueConstraint("cohort_id", "account_id", "lens"),
                      CheckConstraint(_LENS_CHECK, name="lens"),
                      CheckConstraint("capacity >= 0 AND capacity <= 50", name="capacity"))
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    lens: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer)
    chosen: Mapped[int | None] = mapped_column(Integer)


class Review(db.Model):
    """One reviewer's review of one submission through one lens. Created at allocation, pinned
    to the rubric version published then; a new rubric version never changes it."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("submission_id", "lens"),
                      CheckConstraint(_LENS_CHECK, name="lens"))
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"),
                                               index=True)
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    lens: Mapped[str] = mapped_column(String(20))
    rubric_version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_version.id", ondelete="RESTRICT")
    )
    #: criterion id → level key
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: criterion id → plain-text comment
    comments: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The answer to the rubric's open question, or an overall comment.
    answer: Mapped[str] = mapped_column(Text, default="")
    #: Whether learners see the reviewer's name (patient co-teachers choose; default no).
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Raised on every save; a save names the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=0)
    allocated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)

    submission = relationship("Submission")
    rubric_version = relationship("RubricVersionRow")
    reviewer = relationship("Account")


class SelfAssessment(db.Model):
    """The group's rating of its own case on the educator rubric, made before release."""

    __tablename__ = "self_assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"),
                                               unique=True)
    rubric_version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_version.id", ondelete="RESTRICT")
    )
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    rubric_version = relationship("RubricVersionRow")


class GroupResponse(db.Model):
    """After release, what the group will change; the reviewers read it."""

    __tablename__ = "group_response"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"),
                                               unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    #: Part 9 (so what, now what) as the group revised it after the feedback.
    revised_reflection: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)


#: Kinds of contribution a patient partner or co-teacher records.
ACTIVITIES = ("meeting", "preparation", "writing", "reviewing", "debrief", "other")


class Contribution(db.Model):
    """Time a patient partner or co-teacher gave, for recognition or payment; an educator
    confirms it."""

    __tablename__ = "contribution"
    __table_args__ = (CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"),
                                           index=True)
    activity: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[datetime] = mapped_column(DateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: The named contact who recorded this time for the person.
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)

    account = relationship("Account", foreign_keys=[account_id])
    cohort = relationship("Cohort")


class ConfidenceAnswer(db.Model):
    """A student's retrospective then/now confidence after a module: self-perception, not an
    outcome. Answered once per assignment; the student sees their own change."""

    __tablename__ = "confidence_answer"
    __table_args__ = (UniqueConstraint("account_id", "assignment_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"),
                                               index=True)
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="RESTRICT")
    )
    #: item id → [then, now], each 0–10
    answers: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    survey_version = relationship("SurveyVersionRow")
