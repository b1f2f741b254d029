"""The audit trail admins read: who did what to whom, and when. It never holds case text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import now
from webapp.extensions import db

#: What can be recorded, and what each means to the admin reading the trail.
KINDS = {
    "sign_in": "signed in",
    "sign_in_failed": "failed to sign in",
    "role_added": "was given a role",
    "role_removed": "lost a role",
    "roster_applied": "roster applied",
    "member_moved": "was moved to another group",
    "consent_changed": "changed consent choices",
    "words_withdrawn": "withdrew their words from a case",
    "case_read": "opened a group's case from outside the group",
    "name_changed": "changed their display name",
    "data_export": "downloaded a copy of a person's data",
    "erasure": "account erased",
    "retention": "text past its keeping time removed",
    "retention_changed": "changed how long a programme keeps text",
    "programme_settings_changed": "changed a programme's time zone or named contact",
    "recorded_on_behalf": "recorded something for a person, as their named contact",
    "log_shared": "shared a learning log entry",
    "log_withdrawn": "took back a shared learning log entry",
    "log_hidden": "hid a shared learning log entry from the cohort's page",
    "log_pin_proposed": "asked to show a learning log entry to later cohorts",
    "log_pinned": "agreed to show a learning log entry to later cohorts",
    "calendar_link_made": "made a new calendar link",
    "calendar_link_off": "turned a calendar link off",
    "lti_refused": "a launch from a learning platform was refused",
    "lti_account_made": "an account was made by a launch from a learning platform",
    "lti_account_linked": "joined their learning platform account to their account",
    "lti_course_linked": "linked a learning platform course to a cohort",
    "lti_platform_added": "registered a learning platform",
    "lti_platform_removed": "removed a learning platform",
}


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_kind_at", "kind", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    #: Who did it (empty for a failed sign-in with an unknown email, or after erasure).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True)
    #: Whom it was about, where that is someone else (a role given, a case's group member).
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True)
    #: Short facts: a role, a cohort or case number, a method, a network address, an email
    #: typed at a failed sign-in. Never case text or answers.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
