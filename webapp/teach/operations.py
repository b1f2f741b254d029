"""Educator actions on cohorts: state changes only (flush, never commit)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from webapp import mail
from webapp.clock import now
from webapp.models import ROLES, Cohort, Group, Invitation
from webapp.tokens import new_token


class InvitationRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def invite(session, actor, cohort: Cohort, *, email: str, role: str, group: Group | None,
           config) -> Invitation:
    """Create an invitation and queue its email in the same transaction."""
    if role not in ROLES:
        raise InvitationRefused(_("Choose one of the listed roles."))
    if cohort.archived:
        raise InvitationRefused(_("This cohort is archived; it cannot take new people."))
    if group is not None and (group.cohort_id != cohort.id):
        raise InvitationRefused(_("Choose a group from this cohort."))
    if group is not None and role not in ("student", "patient_partner"):
        raise InvitationRefused(
            _("Only students and patient partners join a group. Choose “no group”.")
        )
    token, digest = new_token()
    days = config["INVITATION_DAYS"]
    invitation = Invitation(
        cohort=cohort,
        group=group,
        email=email.strip(),
        role=role,
        token_hash=digest,
        invited_by=actor,
        expires_at=now() + timedelta(days=days),
    )
    session.add(invitation)
    mail.queue(
        session,
        to=invitation.email,
        subject=_("You are invited to join %(cohort)s on Coproduce", cohort=cohort.name),
        template="invitation.txt",
        kind="invitation",
        cohort=cohort.name,
        programme=cohort.programme.name,
        role=role,
        inviter=actor.display_name,
        url=f"{config['BASE_URL']}/invite/{token}",
        days=days,
    )
    session.flush()
    return invitation
