"""Educator actions on programmes, cohorts and members: state changes only (flush, never commit)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, null, select

from webapp import audit, mail
from webapp.auth.operations import email_key
from webapp.clock import now
from webapp.models import (
    GROUP_ROLES,
    ROLES,
    Account,
    Cohort,
    Group,
    GroupMember,
    Invitation,
    Membership,
    Programme,
)
from webapp.refusals import Refused
from webapp.roles import PATIENT_PARTNER
from webapp.tokens import new_token

#: Kept for readers of older code: an invitation's refusal is an ordinary refusal.
InvitationRefused = Refused


def invite(session, actor, cohort: Cohort, *, email: str, role: str, group: Group | None,
           config, flush: bool = True) -> Invitation:
    """Create an invitation and queue its email in the same transaction."""
    if role not in ROLES:
        raise InvitationRefused(_("Choose one of the listed roles."))
    if cohort.archived:
        raise InvitationRefused(_("This cohort is archived; it cannot take new people."))
    if group is not None and (group.cohort_id != cohort.id):
        raise InvitationRefused(_("Choose a group from this cohort."))
    if group is not None and role not in ("student", PATIENT_PARTNER):
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
        language=cohort.programme.language,
        partner_name=cohort.programme.partner_name,
        subject=_l("You are invited to join %(cohort)s on Coproduce", cohort=cohort.name),
        template="invitation.txt",
        kind="invitation",
        cohort=cohort.name,
        programme=cohort.programme.name,
        role=role,
        inviter=actor.display_name,
        url=f"{config['BASE_URL']}/invite/{token}",
        days=days,
        contact=cohort.programme.contact.display_name if cohort.programme.contact else "",
        contact_details=cohort.programme.contact_details or "",
    )
    if flush:
        session.flush()
    return invitation




def _name(value: str, what: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise Refused(_("Give the %(what)s a name.", what=what))
    if len(value) > limit:
        raise Refused(_("A name has at most %(n)d characters.", n=limit))
    return value


def create_programme(session, actor, name: str) -> Programme:
    """A new programme; the person who creates it becomes one of its educators."""
    name = _name(name, _("programme"), 200)
    if session.scalar(select(Programme.id).where(Programme.name == name)):
        raise Refused(_("A programme called “%(name)s” already exists.", name=name))
    programme = Programme(name=name)
    session.add(programme)
    session.add(Membership(account=actor, programme=programme, role="educator"))
    session.flush()
    audit.record(session, "role_added", actor_id=actor.id, subject_id=actor.id,
                 role="educator", programme=programme.id)
    return programme


def rename_programme(session, programme: Programme, name: str) -> None:
    name = _name(name, _("programme"), 200)
    clash = session.scalar(select(Programme.id).where(Programme.name == name,
                                                      Programme.id != programme.id))
    if clash:
        raise Refused(_("A programme called “%(name)s” already exists.", name=name))
    programme.name = name
    session.flush()


def create_cohort(session, programme: Programme, name: str) -> Cohort:
    name = _name(name, _("cohort"), 200)
    if session.scalar(select(Cohort.id).where(Cohort.programme_id == programme.id,
                                              Cohort.name == name)):
        raise Refused(_("This programme already has a cohort called “%(name)s”.", name=name))
    cohort = Cohort(programme=programme, name=name)
    session.add(cohort)
    session.flush()
    return cohort


def rename_cohort(session, cohort: Cohort, name: str) -> None:
    writable(cohort)
    name = _name(name, _("cohort"), 200)
    if session.scalar(select(Cohort.id).where(Cohort.programme_id == cohort.programme_id,
                                              Cohort.name == name, Cohort.id != cohort.id)):
        raise Refused(_("This programme already has a cohort called “%(name)s”.", name=name))
    cohort.name = name
    session.flush()


def set_archived(session, cohort: Cohort, archived: bool) -> None:
    """Archive (read-only, hidden by default) or bring back; nothing is deleted."""
    if archived and not cohort.archived:
        cohort.archived_at = now()
    elif not archived:
        cohort.archived_at = None
    cohort.archived = archived
    session.flush()


def writable(cohort: Cohort) -> None:
    if cohort.archived:
        raise Refused(_("This cohort is archived and read-only. Bring it back from the archive "
                        "to change it."))


def add_member(session, actor, cohort: Cohort, *, email: str, name: str, role: str,
               group: Group | None, config) -> Account:
    """Add one person to the cohort now (an account is made if needed) and invite them."""
    writable(cohort)
    if role not in ROLES:
        raise Refused(_("Choose one of the listed roles."))
    if group is not None and (group.cohort_id != cohort.id or role not in GROUP_ROLES):
        raise Refused(_("Only students and patient partners join a group, and only a group "
                        "of this cohort."))
    key = email_key(email)
    account = session.scalar(select(Account).where(Account.email_key == key))
    if account is None:
        account = Account(email=email.strip(), email_key=key,
                          display_name=_name(name, _("person"), 120), joined_at=null())
        session.add(account)
        session.flush()
    has_role = session.scalar(select(Membership.id).where(
        Membership.account_id == account.id, Membership.cohort_id == cohort.id,
        Membership.role == role))
    if has_role:
        raise Refused(_("%(name)s is already a member of this cohort with that role.",
                        name=account.display_name))
    session.add(Membership(account=account, cohort_id=cohort.id, role=role))
    audit.record(session, "role_added", actor_id=actor.id, subject_id=account.id, role=role,
                 cohort=cohort.id)
    if group is not None:
        _place(session, account.id, cohort, group)
    invite(session, actor, cohort, email=account.email, role=role, group=None, config=config)
    return account


def remove_member(session, cohort: Cohort, account_id: int, actor=None) -> str:
    """Take a person out of the cohort (all their roles in it, and their group)."""
    writable(cohort)
    account = session.get(Account, account_id)
    rows = session.scalars(select(Membership).where(Membership.account_id == account_id,
                                                    Membership.cohort_id == cohort.id)).all()
    if account is None or not rows:
        raise Refused(_("That person is not a member of this cohort."))
    for row in rows:
        audit.record(session, "role_removed", actor_id=actor.id if actor else None,
                     subject_id=account_id, role=row.role, cohort=cohort.id)
        session.delete(row)
    session.execute(delete(GroupMember).where(
        GroupMember.account_id == account_id,
        GroupMember.group_id.in_(select(Group.id).where(Group.cohort_id == cohort.id))))
    session.execute(delete(Invitation).where(Invitation.cohort_id == cohort.id,
                                             Invitation.email == account.email,
                                             Invitation.accepted_at.is_(None)))
    session.flush()
    return account.display_name


def _place(session, account_id: int, cohort: Cohort, group: Group) -> None:
    """Put a person in ``group``, out of any other group of the cohort (one group each)."""
    session.execute(delete(GroupMember).where(
        GroupMember.account_id == account_id,
        GroupMember.group_id.in_(select(Group.id).where(Group.cohort_id == cohort.id))))
    session.add(GroupMember(group_id=group.id, account_id=account_id))
