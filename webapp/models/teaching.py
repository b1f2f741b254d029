"""Published content versions, as loaded from content/ and assessments/.

Each row keeps the whole version as JSON (``payload``, from ``curriculum.model.to_data``) with
its content hash; a published version is never changed. Pages read the payload back into
``curriculum`` objects, so what learners see is exactly what was checked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from curriculum import limits, model
from webapp.clock import now
from webapp.extensions import db

#: Parsed content by (kind, row id, content hash): a published version never changes, so
#: pages and reports parse each one once per process.
_PARSED: dict[tuple, object] = {}
_PARSED_MAX = 512


class _Published:
    def _parsed(self, cls, language: str = "en"):
        key = (cls.__name__, self.id, self.content_hash, getattr(self, "translated", ""),
               language)
        found = _PARSED.get(key)
        if found is None:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            payload = self.payload
            text = (payload.get("translations") or {}).get(language)
            found = _PARSED[key] = model.from_data(cls, text if text else payload)
        return found

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(limits.SLUG_CHARS))
    version: Mapped[str] = mapped_column(String(limits.VERSION_CHARS))
    #: Numeric parts of ``version``, for ordering in SQL.
    major: Mapped[int] = mapped_column(Integer)
    minor: Mapped[int] = mapped_column(Integer)
    patch: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(limits.TITLE_CHARS))
    #: SHA-256 over the version's normalised files (curriculum.versions.content_hash).
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Deferred: read only when a version is parsed for the first time in a process.
    payload: Mapped[dict] = mapped_column(JSON, deferred=True)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ModuleVersionRow(_Published, db.Model):
    __tablename__ = "module_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)
    summary: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer)
    #: The language the version is written in ("en", "sv").
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    #: The version this one is an edition of in another language (its figures pool with it).
    #: Set by publishing only, to a version published with it; versions are never deleted.
    #: (A plain column: SQLite cannot add a reference to an existing table without a rebuild.)
    edition_of_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    def content(self) -> model.ModuleVersion:
        return self._parsed(model.ModuleVersion)

    @property
    def pool_id(self) -> int:
        """The module version whose figures this one's are pooled with (itself, or the
        version it is an edition of)."""
        return self.edition_of_id or self.id


class GuideVersionRow(_Published, db.Model):
    __tablename__ = "guide_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)
    #: Roles the guide is for, space-separated (e.g. "educator patient_partner").
    audience: Mapped[str] = mapped_column(String(limits.AUDIENCE_CHARS))
    #: The language the guide is written in ("en", "sv").
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    def content(self) -> model.Guide:
        return self._parsed(model.Guide)


def _reader_language() -> str:
    """The language of the page being made (or of the job's file): a translation in it is
    shown when the version has one."""
    from webapp.language import current
    return current()


class _Translated(_Published):
    #: The version's translations as "sv:<hash>,…" (``model.translated_hashes``): a new or
    #: corrected translation of a published version is loaded beside it.
    translated: Mapped[str] = mapped_column(String(limits.TRANSLATED_CHARS), default="",
                                            server_default="")


class RubricVersionRow(_Translated, db.Model):
    __tablename__ = "rubric_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)
    lens: Mapped[str] = mapped_column(String(limits.LENS_CHARS))

    def content(self, language: str | None = None) -> model.Rubric:
        """The rubric in ``language`` (default: the reader's) when translated, else English;
        ids and keys are the same in every language."""
        return self._parsed(model.Rubric, language or _reader_language())


class SurveyVersionRow(_Translated, db.Model):
    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    def content(self, language: str | None = None) -> model.Survey:
        """The survey in ``language`` (default: the reader's) when translated, else English."""
        return self._parsed(model.Survey, language or _reader_language())


class Assignment(db.Model):
    """A cohort's work on one pinned module version, with its dates."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("cohort_id", "module_slug"),
        CheckConstraint("opens_at < due_at AND due_at <= review_due_at", name="dates_in_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(limits.SLUG_CHARS))
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="RESTRICT")
    )
    opens_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime] = mapped_column(DateTime)
    review_due_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: When an educator released the reviews to the groups (they are also released once the
    #: review-due date has passed).
    feedback_released_at: Mapped[datetime | None] = mapped_column(DateTime)

    cohort = relationship("Cohort")
    module_version: Mapped[ModuleVersionRow] = relationship()
    extensions: Mapped[list[Extension]] = relationship(back_populates="assignment",
                                                       cascade="all, delete-orphan")


class Extension(db.Model):
    """More time for one person on one assignment."""

    __tablename__ = "assignment_extension"
    __table_args__ = (UniqueConstraint("assignment_id", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    assignment: Mapped[Assignment] = relationship(back_populates="extensions")
    account = relationship("Account", foreign_keys=[account_id])


class GroupNudge(db.Model):
    """When a group was last reminded about an assignment (one row per group and assignment)."""

    __tablename__ = "group_nudge"
    __table_args__ = (UniqueConstraint("assignment_id", "group_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id", ondelete="CASCADE"))
    last_sent_at: Mapped[datetime] = mapped_column(DateTime)
    last_sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    #: How many reminders the group has had about this assignment.
    times: Mapped[int] = mapped_column(Integer, default=1)
