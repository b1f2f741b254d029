"""A group's case work on an assignment: one CaseWork, one SectionDraft per template section."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
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
    #: The last time anyone in the group saved anything (shown on the progress board).
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)

    sections: Mapped[list[SectionDraft]] = relationship(back_populates="case_work")


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

    case_work: Mapped[CaseWork] = relationship(back_populates="sections")
