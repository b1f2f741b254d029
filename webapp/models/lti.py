"""Launching Coproduce from a learning platform (Canvas, Moodle, ...) with LTI 1.3.

An admin registers each platform (its issuer, the client id it gave Coproduce, its deployment
ids and addresses). A launch signs the person in by their account on the platform (issuer and
``sub``), and a platform course (its context) is linked to one cohort by an educator of it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db

URL_CHARS = 500
ID_CHARS = 255


class LtiPlatform(db.Model):
    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(ID_CHARS))
    client_id: Mapped[str] = mapped_column(String(ID_CHARS))
    #: Where the platform's OIDC login (authorisation) endpoint is.
    auth_url: Mapped[str] = mapped_column(String(URL_CHARS))
    keyset_url: Mapped[str] = mapped_column(String(URL_CHARS))
    token_url: Mapped[str] = mapped_column(String(URL_CHARS), default="")
    #: The platform's public keys as last fetched, and when (a cache shared by every worker).
    keys: Mapped[dict | None] = mapped_column(JSON)
    keys_fetched_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    deployments: Mapped[list[LtiDeployment]] = relationship(
        back_populates="platform", cascade="all, delete-orphan",
        order_by="LtiDeployment.deployment_id")


class LtiDeployment(db.Model):
    __tablename__ = "lti_deployment"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(ID_CHARS))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiLaunchState(db.Model):
    """The state and nonce of one login, kept on the server (the cookie of the browser is not
    sent on the platform's cross-site post) and used once."""

    __tablename__ = "lti_launch_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class LtiIdentity(db.Model):
    """A person's account on a platform (issuer and ``sub``), joined to their Coproduce one."""

    __tablename__ = "lti_identity"
    __table_args__ = (UniqueConstraint("platform_id", "sub"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(String(ID_CHARS))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class LtiContext(db.Model):
    """A platform's course, and the cohort an educator linked it to."""

    __tablename__ = "lti_context"
    __table_args__ = (UniqueConstraint("platform_id", "context_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(ID_CHARS))
    title: Mapped[str] = mapped_column(String(200), default="")
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"),
                                                  index=True)
    linked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    linked_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: The platform's roster service for this course (Names and Role Provisioning), if any.
    memberships_url: Mapped[str] = mapped_column(String(URL_CHARS), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    platform: Mapped[LtiPlatform] = relationship()
    cohort = relationship("Cohort")


class LtiPendingLink(db.Model):
    """A launch by someone whose email belongs to an existing account: it waits until they
    sign in to that account once and say yes (never linked silently)."""

    __tablename__ = "lti_pending_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(String(ID_CHARS))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    #: What the launch said (roles, course, custom values), applied once linked.
    launch: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class LtiToolKey(db.Model):
    """Coproduce's own signing key for LTI (deep-linking answers, service tokens); its public
    half is published at ``/lti/jwks.json``."""

    __tablename__ = "lti_tool_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class LtiDeepLink(db.Model):
    """An instructor's "add Coproduce" from the platform: they choose what the link opens
    (pages framed by the platform, where Coproduce's sign-in cookie is not sent, so this
    row's single-use token stands for them), and the signed answer goes back."""

    __tablename__ = "lti_deep_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("lti_context.id",
                                                             ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(ID_CHARS))
    #: The platform's deep-linking settings (return address, accepted types, its data).
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    platform: Mapped[LtiPlatform] = relationship()
    course: Mapped[LtiContext | None] = relationship()
