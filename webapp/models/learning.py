"""A learner's own progress through a module version: lessons read, checks tried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import now
from webapp.extensions import db


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("account_id", "module_version_id", "lesson_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(100))
    read_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class KnowledgeCheckAttempt(db.Model):
    """One answer to one knowledge-check item. Never graded; kept to show progress."""

    __tablename__ = "knowledge_check_attempt"
    __table_args__ = (
        # A person's attempts at a module, and (reports) their first try at each item, read
        # from this index alone.
        Index("ix_knowledge_check_attempt_person_item", "account_id", "module_version_id",
              "item_id", "id", "correct"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    #: Position of the chosen option in the item (0-based).
    option_index: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
