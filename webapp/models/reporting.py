"""What the curriculum-review reports keep between requests: a data version per module
version, raised by the database itself on every change a report could show, and the pool
decisions last worked out for it (``webapp.reports.pools`` explains both)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import now
from webapp.extensions import db


class ReportDataVersion(db.Model):
    """Raised by triggers (``webapp.reports.versions``) in the transaction of every insert,
    update or delete that can change a figure of this module version in some programme.

    No foreign key: a trigger writes it for whatever module version a row names, and a row of
    a module version nobody reports on does no harm."""

    __tablename__ = "report_data_version"
    module_version_id: Mapped[int] = mapped_column(Integer, primary_key=True,
                                                   autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    #: PostgreSQL: the transaction that last raised it (raised once per transaction)
    raised_by: Mapped[int | None] = mapped_column(BigInteger)


class ReportPool(db.Model):
    """The published decisions of one module version's pools in one programme under one
    threshold, as of one data version (JSON: figures and reasons, never text people wrote)."""

    __tablename__ = "report_pool"
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_version.id", ondelete="CASCADE"), primary_key=True)
    k: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer)
    decisions: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(DateTime, default=now)


@event.listens_for(db.metadata, "after_create")
def _triggers(_metadata, connection, **_kw) -> None:
    """``create_all`` (tests, benchmarks) installs the triggers the migrations install."""
    from webapp.reports import versions

    versions.install(connection)
