"""Accounts, programmes, cohorts, memberships, groups and invitations."""

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
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db
from webapp.roles import GROUP_ROLES, ROLES  # noqa: F401 (re-exported)

# Roles a membership can carry (``admin`` is a flag on the account, not a role), and the
# roles held in a group's cohort that write case work together: see webapp.roles.
_ROLE_CHECK = "role IN ('educator', 'student', 'patient_partner', 'patient_coteacher', 'lead')"


class Account(db.Model):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored as typed for display; ``email_key`` (lower-cased) is what is unique.
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    #: Empty until the person chooses a password (some sign in only by emailed link).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: When the person first took up their account (accepted an invitation, or was set up by
    #: an admin). Empty for people an educator added from a roster who have not yet joined:
    #: their invitation lets them choose their name and how to sign in.
    joined_at: Mapped[datetime | None] = mapped_column(DateTime, default=now)
    #: The language the person chose for pages and mail ("en", "sv"); empty = their
    #: programme's default, else what their browser asks for.
    language: Mapped[str | None] = mapped_column(String(8))
    #: The learning log: "on" or "off" as the person chose; empty = on, except for someone
    #: who is only a patient partner, for whom it is off until they turn it on.
    learning_log: Mapped[str | None] = mapped_column(String(4))
    #: Whether log entries come back on the home page; empty = as the log is on or off.
    log_reminders: Mapped[bool | None] = mapped_column(Boolean)
    #: Per kind of notification, "now", "digest" or "never"; a kind not named is its default
    #: (``webapp.notices.kinds``).
    notices: Mapped[dict | None] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql"))  # JSONB: an account row can be compared
    #: The day (on the person's calendar) their last daily digest was sent.
    digest_on: Mapped[date | None] = mapped_column(Date)

    memberships: Mapped[list[Membership]] = relationship(back_populates="account")

    # Flask-Login: the identity kept in the cookie is the LoginSession id, set on sign-in.
    login_session_id = None  # str, set by webapp.auth.operations on each request
    #: Their programme's default language and its name for patient partners
    #: (``webapp.partner_names``), read beside the account on each request.
    programme_language = None
    programme_partner_name = None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.login_session_id


class Programme(db.Model):
    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: Days after a cohort closes (is archived) that its case text, its reviews and its
    #: free-text feedback comments are kept; empty = kept until removed by hand.
    keep_case_text_days: Mapped[int | None] = mapped_column(Integer)
    keep_reviews_days: Mapped[int | None] = mapped_column(Integer)
    keep_comments_days: Mapped[int | None] = mapped_column(Integer)
    #: Learning log entries tied to a closed cohort (written about its assignments or shared
    #: with it or its groups) are removed this many days after it closes; empty = kept.
    keep_log_days: Mapped[int | None] = mapped_column(Integer)
    #: IANA name of the zone its dates are typed and shown in; empty = the configured default.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    #: The language its people see until they choose one ("en", "sv"); empty = the browser's.
    language: Mapped[str | None] = mapped_column(String(8))
    #: What the programme calls its patient partners (a key of ``webapp.partner_names.NAMES``;
    #: None: the standard name).
    partner_name: Mapped[str | None] = mapped_column(String(40))
    #: The educator people of the programme turn to, and how to reach them (their words).
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    contact_details: Mapped[str | None] = mapped_column(String(300))
    #: Where its people get support, with crisis numbers (shown beside content notes).
    support_info: Mapped[str | None] = mapped_column(String(500))

    contact: Mapped[Account | None] = relationship(foreign_keys=[contact_id])
    cohorts: Mapped[list[Cohort]] = relationship(back_populates="programme")


class Cohort(db.Model):
    __tablename__ = "cohort"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    #: Archived cohorts are read-only and hidden by default.
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the cohort closed (was archived); retention counts from here.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    programme: Mapped[Programme] = relationship(back_populates="cohorts")
    groups: Mapped[list[Group]] = relationship(back_populates="cohort", order_by="Group.name")


class Membership(db.Model):
    """A role held by an account in a programme (educator, lead) or a cohort (any role)."""

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint(_ROLE_CHECK, name="role"),
        CheckConstraint(
            "(programme_id IS NULL) <> (cohort_id IS NULL)", name="one_scope"
        ),
        # One role per scope; partial indexes because NULL scopes never collide otherwise.
        Index("uq_membership_programme_role", "account_id", "programme_id", "role", unique=True,
              sqlite_where=text("programme_id IS NOT NULL"),
              postgresql_where=text("programme_id IS NOT NULL")),
        Index("uq_membership_cohort_role", "account_id", "cohort_id", "role", unique=True,
              sqlite_where=text("cohort_id IS NOT NULL"),
              postgresql_where=text("cohort_id IS NOT NULL")),
        Index("ix_membership_cohort_role", "cohort_id", "role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    account: Mapped[Account] = relationship(back_populates="memberships")
    programme: Mapped[Programme | None] = relationship()
    cohort: Mapped[Cohort | None] = relationship()


class Group(db.Model):
    """A mixed group of students and patient partners inside one cohort."""

    __tablename__ = "study_group"
    __table_args__ = (UniqueConstraint("cohort_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    cohort: Mapped[Cohort] = relationship(back_populates="groups")
    members: Mapped[list[GroupMember]] = relationship(back_populates="group")


class GroupMember(db.Model):
    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )

    group: Mapped[Group] = relationship(back_populates="members")
    account: Mapped[Account] = relationship()


class Invitation(db.Model):
    """An emailed, single-use link that brings a person into a cohort with a role."""

    __tablename__ = "invitation"
    __table_args__ = (CheckConstraint(_ROLE_CHECK, name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_group.id", ondelete="SET NULL")
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the token in the link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )

    cohort: Mapped[Cohort] = relationship()
    group: Mapped[Group | None] = relationship()
    invited_by: Mapped[Account | None] = relationship(foreign_keys=[invited_by_id])


class RosterUpload(db.Model):
    """A roster file between its preview and its confirmation (nothing is applied before)."""

    __tablename__ = "roster_upload"
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    #: The file exactly as uploaded; it is parsed again on confirmation.
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)
