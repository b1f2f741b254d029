"""Anonymous module feedback. Answers carry no account and no time finer than the term; a
separate marker (written in its own transaction) only stops a person answering twice."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from curriculum import limits
from webapp.clock import now
from webapp.extensions import db


class FeedbackResponse(db.Model):
    """One person's answers, with no link to them: a random id, the module version, the
    cohort, the respondent type and the term."""

    __tablename__ = "feedback_response"
    # No hidden insertion-order row id on SQLite: the order rows arrive in says nothing.
    __table_args__ = (Index("ix_feedback_response_cell", "module_version_id", "cohort_id",
                            "respondent"),
                      {"sqlite_with_rowid": False})
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"),
                                           index=True)
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="RESTRICT"))
    #: "student" or "patient"
    respondent: Mapped[str] = mapped_column(String(20))
    #: e.g. "2026-autumn": the finest time an answer carries
    term: Mapped[str] = mapped_column(String(20))


class FeedbackAnswer(db.Model):
    """One rating. The cell it belongs to (module version, cohort, respondent type) is copied
    from its response so reports count answers from one covering index."""

    __tablename__ = "feedback_answer"
    __table_args__ = (Index("ix_feedback_answer_cell", "module_version_id", "cohort_id",
                            "respondent", "item", "value"),
                      {"sqlite_with_rowid": False})
    response_id: Mapped[str] = mapped_column(
        ForeignKey("feedback_response.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[str] = mapped_column(String(60), primary_key=True)
    #: position on the survey's scale, 0 = lowest
    value: Mapped[int] = mapped_column(Integer)
    #: the same as the response's (see the class docstring)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    respondent: Mapped[str] = mapped_column(String(20))


class FeedbackComment(db.Model):
    """Free text, kept apart from the ratings and shown only after a person screens it."""

    __tablename__ = "feedback_comment"
    __table_args__ = ({"sqlite_with_rowid": False},)
    #: Random, like the response ids, so no order of arrival can be read from it.
    id: Mapped[str] = mapped_column(String(32), primary_key=True,
                                    default=lambda: secrets.token_hex(16))
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"),
                                           index=True)
    respondent: Mapped[str] = mapped_column(String(20))
    term: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    #: "pending", "approved" (possibly after redaction) or "rejected"
    status: Mapped[str] = mapped_column(String(20), default="pending")
    screened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))


class ResponseMarker(db.Model):
    """"This person has answered for this assignment" — nothing about what they answered."""

    __tablename__ = "response_marker"
    __table_args__ = (UniqueConstraint("account_id", "assignment_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))


class ReviewLogEntry(db.Model):
    """"You said, we did": a finding from the reports, what was decided, and the module
    version that carries the change. Holds no names: evidence is figures, screened comments
    and debrief themes."""

    __tablename__ = "review_log_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"),
                                              index=True)
    module_slug: Mapped[str] = mapped_column(String(limits.SLUG_CHARS), index=True)
    #: The version the finding is about.
    about_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT"))
    #: The version that carries the change; empty while the change is still to come.
    carried_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT"))
    finding: Mapped[str] = mapped_column(Text)
    #: [{"kind": "figure" | "comment" | "debrief", "text": …}] — what prompted the finding
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    decision: Mapped[str] = mapped_column(Text)
    #: In plain words, for learners in later cohorts.
    summary: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    about = relationship("ModuleVersionRow", foreign_keys=[about_version_id])
    carried_by = relationship("ModuleVersionRow", foreign_keys=[carried_by_id])
