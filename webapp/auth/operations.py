"""Sign-in, sessions, throttling, one-time links and invitations: state changes only.

Each function takes the database session, the acting account where there is one, and plain
values; it flushes but never commits, and raises an ``AuthError`` the route turns into a page.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select, update

from webapp import audit, mail
from webapp.auth.passwords import hash_password, password_problems, verify_password
from webapp.clock import now
from webapp.language import PROGRAMME_LANGUAGE, PROGRAMME_PARTNER_NAME
from webapp.models import (
    Account,
    GroupMember,
    Invitation,
    LoginSession,
    Membership,
    OneTimeLink,
    SignInFailure,
)
from webapp.refusals import Refused
from webapp.tokens import new_token, token_hash


class AuthError(Refused):
    """A refusal with a sentence for the person (``reason`` says which kind)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message, reason=reason)


class Throttled(AuthError):
    status = 429


class LinkInvalid(AuthError):
    status = 410


def email_key(email: str) -> str:
    return email.strip().lower()


def find_account(session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email_key == email_key(email)))


# --- passwords and throttling -------------------------------------------------------------


def _check_throttle(session, key: str, address: str, config) -> None:
    since = now() - timedelta(minutes=config["SIGNIN_THROTTLE_MINUTES"])
    recent = select(func.count(SignInFailure.id)).where(SignInFailure.at > since)
    pair = session.scalar(
        recent.where(SignInFailure.email_key == key, SignInFailure.address == address)
    )
    account_total = session.scalar(recent.where(SignInFailure.email_key == key))
    address_total = session.scalar(recent.where(SignInFailure.address == address))
    minutes = config["SIGNIN_THROTTLE_MINUTES"]
    if (
        pair >= config["SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
        or account_total >= config["SIGNIN_FAILURES_PER_ACCOUNT"]
    ):
        raise Throttled(
            _(
                "Too many wrong passwords for this account. Wait %(m)d minutes and try "
                "again, or use “Forgot your password?” to set a new one.",
                m=minutes,
            )
        )
    if address_total >= config["SIGNIN_FAILURES_PER_ADDRESS"]:
        raise Throttled(
            _("Too many wrong passwords from this network. Wait %(m)d minutes.", m=minutes)
        )


def sign_in_with_password(session, email: str, password: str, address: str, config) -> Account:
    """The account for these credentials, or ``AuthError``/``Throttled``."""
    key = email_key(email)
    _check_throttle(session, key, address, config)
    account = find_account(session, key)
    ok = verify_password(account.password_hash if account else None, password)
    if not ok or account is None or not account.active:
        session.add(SignInFailure(email_key=key, address=address))
        audit.record(session, "sign_in_failed", actor_id=account.id if account else None,
                     email=key, address=address)
        session.execute(delete(SignInFailure).where(SignInFailure.at < now() - timedelta(days=1)))
        session.flush()
        raise AuthError(_("That email and password do not match. Check both and try again."))
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.email_key == key, SignInFailure.address == address
        )
    )
    return account


def set_password(session, account: Account, password: str) -> None:
    problems = password_problems(password, email=account.email, name=account.display_name)
    if problems:
        raise AuthError(problems[0])
    account.password_hash = hash_password(password)
    revoke_all_sessions(session, account)
    # Any other reset link still in someone's mailbox must not set the password again.
    session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.account_id == account.id, OneTimeLink.purpose == "reset",
               OneTimeLink.used_at.is_(None), OneTimeLink.expires_at >= now())
        .values(expires_at=now() - timedelta(seconds=1))
    )


# --- login sessions -----------------------------------------------------------------------


def start_login_session(session, account: Account, method: str) -> LoginSession:
    login = LoginSession(id=secrets.token_urlsafe(32), account=account, method=method)
    session.add(login)
    audit.record(session, "sign_in", actor_id=account.id, method=method)
    session.flush()
    account.login_session_id = login.id
    return login


#: Every request starts here: the account with its sign-in's times, built once (building a
#: statement costs more than running it, and the account is the one object it needs).
_SIGNED_IN_ACCOUNT = (select(Account, LoginSession.revoked_at, LoginSession.created_at,
                             LoginSession.last_seen_at, PROGRAMME_LANGUAGE,
                             PROGRAMME_PARTNER_NAME)
                      .join(LoginSession, LoginSession.account_id == Account.id)
                      .where(LoginSession.id == bindparam("id")))
_SEEN = (update(LoginSession.__table__).where(LoginSession.__table__.c.id == bindparam("login"))
         .values(last_seen_at=bindparam("moment")))


def current_account(session, login_session_id: str, config) -> tuple[Account | None, bool]:
    """The account a live sign-in belongs to (None if it ended, idled out or expired), and
    whether its last-seen time was moved on (the caller commits that)."""
    row = session.execute(_SIGNED_IN_ACCOUNT, {"id": login_session_id}).first()
    if row is None:
        return None, False
    account, revoked_at, created_at, last_seen_at, programme_language, partner_name = row
    if revoked_at is not None or not account.active:
        return None, False
    moment = now()
    absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    if moment - created_at > absolute or moment - last_seen_at > idle:
        return None, False
    touched = moment - last_seen_at > timedelta(minutes=1)
    if touched:
        session.execute(_SEEN, {"login": login_session_id, "moment": moment})
    account.login_session_id = login_session_id
    account.programme_language = programme_language
    account.programme_partner_name = partner_name
    return account, touched


def end_login_session(session, login_session_id: str | None) -> None:
    if login_session_id:
        session.execute(
            update(LoginSession)
            .where(LoginSession.id == login_session_id, LoginSession.revoked_at.is_(None))
            .values(revoked_at=now())
        )


def revoke_all_sessions(session, account: Account) -> None:
    session.execute(
        update(LoginSession)
        .where(LoginSession.account_id == account.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now())
    )


# --- one-time links -----------------------------------------------------------------------

_LINK_MAIL = {
    "reset": ("password_reset.txt", _l("Set a new Coproduce password")),
    "signin": ("signin_link.txt", _l("Your Coproduce sign-in link")),
}


def send_link(session, email: str, purpose: str, config) -> bool:
    """Email a reset or sign-in link if the account exists; returns whether one was queued.

    The caller tells the person the same thing either way, so addresses cannot be probed.
    At most five links per account per hour are sent.
    """
    account = find_account(session, email)
    if account is None or not account.active:
        return False
    recent = session.scalar(
        select(func.count(OneTimeLink.id)).where(
            OneTimeLink.account_id == account.id,
            OneTimeLink.created_at > now() - timedelta(hours=1),
        )
    )
    if recent >= 5:
        return False
    token, digest = new_token()
    hours = config["TOKEN_HOURS"]
    session.add(
        OneTimeLink(
            account=account,
            purpose=purpose,
            token_hash=digest,
            expires_at=now() + timedelta(hours=hours),
        )
    )
    template, subject = _LINK_MAIL[purpose]
    endpoint = "reset" if purpose == "reset" else "link"
    mail.queue(
        session,
        to=account,
        subject=subject,
        template=template,
        kind=purpose,
        name=account.display_name,
        url=f"{config['BASE_URL']}/{endpoint}/{token}",
        hours=hours,
    )
    session.flush()
    return True


def check_link(session, token: str, purpose: str) -> OneTimeLink:
    """The unused, unexpired link for ``token``, or ``LinkInvalid`` saying what to do."""
    link = session.scalar(
        select(OneTimeLink).where(
            OneTimeLink.token_hash == token_hash(token), OneTimeLink.purpose == purpose
        )
    )
    again = (
        _("Ask for a new link from the “Forgot your password?” page.")
        if purpose == "reset"
        else _("Ask for a new sign-in link.")
    )
    if link is None:
        raise LinkInvalid(_("This link is not valid. It may have been copied incompletely.") +
                          " " + again, "unknown")
    if link.used_at is not None:
        raise LinkInvalid(_("This link has already been used. Each link works once.") +
                          " " + again, "used")
    if link.expires_at < now():
        raise LinkInvalid(_("This link has expired.") + " " + again, "expired")
    return link


def use_link(session, token: str, purpose: str) -> Account:
    """Mark the link used (once, even under concurrent clicks) and return its account."""
    link = check_link(session, token, purpose)
    claimed = session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=now())
    ).rowcount
    if claimed != 1:
        raise LinkInvalid(_("This link has already been used. Each link works once."), "used")
    return link.account


def reset_password(session, token: str, password: str) -> Account:
    account = check_link(session, token, "reset").account
    problems = password_problems(password, email=account.email, name=account.display_name)
    if problems:
        raise AuthError(problems[0])
    account = use_link(session, token, "reset")
    set_password(session, account, password)
    return account


# --- invitations --------------------------------------------------------------------------


def check_invitation(session, token: str) -> Invitation:
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    ask = _("Ask the person who invited you to send a new invitation.")
    if invitation is None:
        raise LinkInvalid(
            _("This invitation link is not valid. It may have been copied incompletely.")
            + " " + ask, "unknown")
    if invitation.accepted_at is not None:
        raise LinkInvalid(
            _("This invitation has already been accepted. Sign in with your email instead."),
            "used",
        )
    if invitation.expires_at < now():
        raise LinkInvalid(_("This invitation has expired.") + " " + ask, "expired")
    return invitation


def accept_invitation(
    session, token: str, *, display_name: str = "", password: str | None = None
) -> Account:
    """Join the invitation's cohort (and group), creating the account if it is new.

    ``password`` None means the person signs in by emailed link only.
    """
    invitation = check_invitation(session, token)
    account = find_account(session, invitation.email)
    if account is None:
        account = Account(
            email=invitation.email.strip(),
            email_key=email_key(invitation.email),
            display_name=clean_name(display_name),
        )
        session.add(account)
        session.flush()
        if password is not None:
            set_password(session, account, password)
    elif account.joined_at is None:
        # Added from a roster and joining now: they choose their name and how to sign in.
        if clean_name(display_name):
            account.display_name = clean_name(display_name)
        account.joined_at = now()
        if password is not None:
            set_password(session, account, password)
    claimed = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now(), accepted_by_id=account.id)
    ).rowcount
    if claimed != 1:
        raise LinkInvalid(_("This invitation has already been accepted."), "used")
    _ensure_membership(session, account, invitation)
    session.flush()
    return account


def _ensure_membership(session, account: Account, invitation: Invitation) -> None:
    exists = session.scalar(
        select(Membership.id).where(
            Membership.account_id == account.id,
            Membership.cohort_id == invitation.cohort_id,
            Membership.role == invitation.role,
        )
    )
    if not exists:
        session.add(Membership(account=account, cohort_id=invitation.cohort_id,
                               role=invitation.role))
        audit.record(session, "role_added", actor_id=account.id, subject_id=account.id,
                     role=invitation.role, cohort=invitation.cohort_id, how="invitation")
    if invitation.group_id is not None:
        in_group = session.scalar(
            select(GroupMember.id).where(
                GroupMember.group_id == invitation.group_id,
                GroupMember.account_id == account.id,
            )
        )
        if not in_group:
            session.add(GroupMember(group_id=invitation.group_id, account=account))


def clean_name(value: str | None) -> str:
    """A display name as shown: control characters dropped, runs of spaces made one."""
    kept = "".join(ch for ch in (value or "") if ch.isprintable() or ch.isspace())
    return " ".join(kept.split())


def change_name(session, account, new_name: str) -> bool:
    """Set the name others see; returns False when it is unchanged. The audit trail records
    that the name changed, never the old or the new name. The caller commits."""
    cleaned = clean_name(new_name)
    if not cleaned:
        raise AuthError(_("Enter the name you would like others to see."))
    if len(cleaned) > 120:
        raise AuthError(_("Use at most 120 characters."))
    if cleaned == account.display_name:
        return False
    account.display_name = cleaned
    audit.record(session, "name_changed", actor_id=account.id, subject_id=account.id)
    session.flush()
    return True
