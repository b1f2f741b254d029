"""Writing the audit trail: one call per event, in the caller's transaction (so an event is
kept exactly when what it records is)."""

from __future__ import annotations

from webapp.models.audit import KINDS, AuditEvent

#: Longest value kept in an event's details (addresses, emails, names of cohorts).
MAX_DETAIL = 200


def record(session, kind: str, *, actor_id: int | None = None, subject_id: int | None = None,
           **detail) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown audit event {kind!r}")
    clean = {key: (value if isinstance(value, int | bool) or value is None
                   else str(value)[:MAX_DETAIL]) for key, value in detail.items()}
    session.add(AuditEvent(kind=kind, actor_id=actor_id, subject_id=subject_id, detail=clean))
