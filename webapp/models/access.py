"""Sign-in state kept in the database: sessions, failed attempts, one-time links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db
from webapp.models.people import Account


class LoginSession(db.Model):
    """One sign-in. The cookie carries only ``id``; revoking the row ends the sign-in."""

    __tablename__ = "login_session"
    #: Random, unguessable (secrets.token_urlsafe(32)).
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: Written at most once a minute, to keep requests from writing on every page view.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: How the person signed in: password, link or invitation.
    method: Mapped[str] = mapped_column(String(16), default="password")

    account: Mapped[Account] = relationship()


class SignInFailure(db.Model):
    """A wrong password, counted per account and per address to throttle guessing."""

    __tablename__ = "signin_failure"
    __table_args__ = (
        Index("ix_signin_failure_email_key_at", "email_key", "at"),
        Index("ix_signin_failure_address_at", "address", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The lower-cased email that was tried (it may belong to no account).
    email_key: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=now)


class OneTimeLink(db.Model):
    """A single-use, expiring link for a password reset or a sign-in by email."""

    __tablename__ = "one_time_link"
    __table_args__ = (CheckConstraint("purpose IN ('reset', 'signin')", name="purpose"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the token in the link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    account: Mapped[Account] = relationship()
