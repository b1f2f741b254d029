"""Published content versions, as loaded from content/ and assessments/.

Each row keeps the whole version as JSON (``payload``, from ``curriculum.model.to_data``) with
its content hash; a published version is never changed. Pages read the payload back into
``curriculum`` objects, so what learners see is exactly what was checked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from curriculum import model
from webapp.clock import now
from webapp.extensions import db


class _Published:
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(20))
    #: Numeric parts of ``version``, for ordering in SQL.
    major: Mapped[int] = mapped_column(Integer)
    minor: Mapped[int] = mapped_column(Integer)
    patch: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    #: SHA-256 over the version's normalised files (curriculum.versions.content_hash).
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ModuleVersionRow(_Published, db.Model):
    __tablename__ = "module_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)
    summary: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer)

    def content(self) -> model.ModuleVersion:
        return model.from_data(model.ModuleVersion, self.payload)


class GuideVersionRow(_Published, db.Model):
    __tablename__ = "guide_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)
    #: Roles the guide is for, space-separated (e.g. "educator patient_partner").
    audience: Mapped[str] = mapped_column(String(200))

    def content(self) -> model.Guide:
        return model.from_data(model.Guide, self.payload)


class RubricVersionRow(_Published, db.Model):
    __tablename__ = "rubric_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)
    lens: Mapped[str] = mapped_column(String(20))

    def content(self) -> model.Rubric:
        return model.from_data(model.Rubric, self.payload)


class SurveyVersionRow(_Published, db.Model):
    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    def content(self) -> model.Survey:
        return model.from_data(model.Survey, self.payload)
