"""Who a checked launch signs in, and where it takes them.

Accounts are found by (platform, ``sub``). A new person gets a new account, unless their email
belongs to an account already: then they sign in to that account once and say yes before the
two are joined (never silently). In a course linked to a cohort, an instructor or teaching
assistant becomes an educator of the cohort and a learner a student of it; patient partners
and co-teachers keep joining by invitation.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from webapp import audit, tokens
from webapp.clock import now
from webapp.lti.launch import Launch, Refusal, role_in_course
from webapp.models import (
    Account,
    Assignment,
    LtiContext,
    LtiIdentity,
    LtiPendingLink,
    LtiPlatform,
    Membership,
)

#: How long a waiting link between a platform account and an existing account lasts.
PENDING_HOURS = 24


def arrive(session, launch: Launch) -> tuple[Account | None, str | None]:
    """The account the launch signs in, or (None, token) when the person must first sign in
    to their existing account and agree to join the two."""
    platform = launch.platform
    identity = session.scalar(select(LtiIdentity).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.sub == launch.sub))
    if identity is not None:
        account = session.get(Account, identity.account_id)
        if account is None or not account.active:
            raise Refusal("account_closed", platform.issuer)
        return account, None
    email = launch.email.strip()
    if "@" not in email:
        raise Refusal("no_email", platform.issuer)
    existing = session.scalar(select(Account).where(Account.email_key == email.lower()))
    if existing is not None:
        token, digest = tokens.new_token()
        session.add(LtiPendingLink(token_hash=digest, platform_id=platform.id, sub=launch.sub,
                                   account_id=existing.id, launch=launch.as_dict()))
        return None, token
    account = Account(email=email, email_key=email.lower(),
                      display_name=(launch.name or email.split("@")[0])[:120],
                      password_hash=None, joined_at=now())
    session.add(account)
    session.flush()
    session.add(LtiIdentity(platform_id=platform.id, sub=launch.sub, account_id=account.id))
    audit.record(session, "lti_account_made", actor_id=account.id, subject_id=account.id,
                 platform=platform.name)
    return account, None


def pending(session, token: str) -> LtiPendingLink | None:
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(LtiPendingLink).where(
        LtiPendingLink.token_hash == tokens.token_hash(token)))
    if row is None or (now() - row.created_at).total_seconds() > PENDING_HOURS * 3600:
        return None
    return row


def join(session, row: LtiPendingLink, account: Account) -> None:
    """The signed-in owner of the account said yes: join the platform account to it."""
    if row.account_id != account.id:
        raise Refusal("link_other_account")
    joined = session.scalar(select(LtiIdentity.account_id).where(
        LtiIdentity.platform_id == row.platform_id, LtiIdentity.sub == row.sub))
    if joined is not None and joined != account.id:
        raise Refusal("link_other_account")
    if joined is None:
        session.add(LtiIdentity(platform_id=row.platform_id, sub=row.sub,
                                account_id=account.id))
    audit.record(session, "lti_account_linked", actor_id=account.id, subject_id=account.id,
                 platform=session.get(LtiPlatform, row.platform_id).name)
    session.execute(delete(LtiPendingLink).where(  # every waiting join of this person
        LtiPendingLink.platform_id == row.platform_id, LtiPendingLink.sub == row.sub))
    session.flush()


def course_of(session, platform: LtiPlatform, data: dict) -> LtiContext | None:
    """The launch's course, noted (its title and roster address kept up to date)."""
    context_id = data.get("context_id")
    if not context_id:
        return None
    row = session.scalar(select(LtiContext).where(LtiContext.platform_id == platform.id,
                                                  LtiContext.context_id == context_id))
    if row is None:
        row = LtiContext(platform_id=platform.id, context_id=context_id)
        session.add(row)
    row.title = data.get("context_title") or row.title or ""
    row.memberships_url = data.get("memberships_url") or row.memberships_url or ""
    session.flush()
    return row


def settle(session, account: Account, platform: LtiPlatform, data: dict) -> str:
    """Roles from the launch's course, and the page the launch goes to."""
    course = course_of(session, platform, data)
    role = role_in_course(data.get("roles") or [])
    if course is None:
        return "/"
    if course.cohort_id is None:
        return f"/lti/courses/{course.id}/link" if role == "educator" else "/lti/waiting"
    if role is not None:
        _give_role(session, account, course.cohort_id, role)
    wanted = str((data.get("custom") or {}).get("assignment_id") or "")
    if wanted.isdigit() and int(wanted) < 2**31:
        assignment = session.get(Assignment, int(wanted))
        if assignment is not None and assignment.cohort_id == course.cohort_id:
            return f"/assignments/{assignment.id}"
    return f"/cohorts/{course.cohort_id}"


def _give_role(session, account: Account, cohort_id: int, role: str) -> None:
    held = session.scalar(select(Membership.id).where(
        Membership.account_id == account.id, Membership.cohort_id == cohort_id,
        Membership.role == role))
    if held is None:
        session.add(Membership(account_id=account.id, cohort_id=cohort_id, role=role))
        audit.record(session, "role_added", actor_id=account.id, subject_id=account.id,
                     role=role, cohort=cohort_id, via="lti")
        session.flush()


def cohorts_taught(session, account: Account) -> list:
    """The open cohorts ``account`` may link a course to: those they manage."""
    from webapp import authz
    from webapp.models import Cohort

    return [c for c in session.scalars(
        select(Cohort).join(Membership, (Membership.cohort_id == Cohort.id)
                            | (Membership.programme_id == Cohort.programme_id))
        .where(Membership.account_id == account.id, Cohort.archived.is_(False))
        .distinct().order_by(Cohort.name)) if authz.allowed(account, "manage", c)]


def link_course(session, actor: Account, course: LtiContext, cohort) -> None:
    """An educator of ``cohort`` links the course to it (once; a linked course stays)."""
    from flask_babel import gettext as _

    from webapp import authz
    from webapp.refusals import Refused

    if course.cohort_id is not None:
        raise Refused(_("This course is already linked to a cohort."), status=409)
    if cohort is None or cohort.archived or not authz.allowed(actor, "manage", cohort):
        raise Refused(_("Choose a cohort you teach."), status=403)
    course.cohort_id, course.linked_by_id, course.linked_at = cohort.id, actor.id, now()
    audit.record(session, "lti_course_linked", actor_id=actor.id, cohort=cohort.id,
                 course=course.title or course.context_id)
    _give_role(session, actor, cohort.id, "educator")
