"""Making notifications (and their mail), reading them, choosing how they are mailed.

``notify`` runs in the caller's transaction, so a change that is rolled back tells nobody.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from webapp import mail
from webapp.clock import now
from webapp.models import Account, CaseVisit, Notification
from webapp.models.notice import MAIL_CHOICES
from webapp.notices import kinds
from webapp.refusals import Refused

#: How many notifications the "What's new" page lists.
LISTED = 100


def _url(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def choices_url() -> str:
    return _url("/account#notices")


def notify(session, account: Account, kind: str, *, path: str, params: dict | None = None,
           what: str = "", key: str | None = None, mail_as: dict | None = None
           ) -> Notification | None:
    """Tell ``account`` something needs them: listed in their "What's new", and mailed as
    they chose for ``kind``. ``key`` makes it once only (None when it was made before).
    ``mail_as`` gives the immediate mail's subject, template and words (else the sentence)."""
    if account is None or not account.active:
        return None
    params = dict(params or {})
    choice = kinds.choice_of(account, kind)
    row = Notification(account_id=account.id, kind=kind, what=what, params=params, path=path,
                       key=key, mail=choice)
    if key is not None:
        if session.scalar(select(Notification.id).where(Notification.account_id == account.id,
                                                        Notification.key == key)):
            return None
        try:
            with session.begin_nested():  # another request may make it at the same moment
                session.add(row)
        except IntegrityError:
            return None
    else:
        session.add(row)
    if choice == "now":
        _mail_now(session, account, row, mail_as)
        row.mailed_at = now()
    session.flush()
    return row


def _mail_now(session, account: Account, row: Notification, mail_as: dict | None) -> None:
    extra = {"why": LazyString(kinds.reason, row.kind), "choices": choices_url()}
    if mail_as is not None:
        mail.queue(session, to=account, **{"kind": row.kind, **mail_as, **extra})
        return
    line = LazyString(kinds.sentence, row.kind, row.what, row.params)
    mail.queue(session, to=account, kind=row.kind, subject=line, template="notice.txt",
               name=account.display_name, line=line, url=_url(row.path), **extra)


def unread(session, account_id: int) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.account_id == account_id, Notification.read_at.is_(None))) or 0


def latest(session, account_id: int) -> list[Notification]:
    return session.scalars(select(Notification).where(Notification.account_id == account_id)
                           .order_by(Notification.created_at.desc(), Notification.id.desc())
                           .limit(LISTED)).all()


def mine(session, account_id: int, notification_id) -> Notification:
    try:
        ident = int(notification_id)
    except (TypeError, ValueError):
        ident = 0
    row = session.get(Notification, ident) if 0 < ident < 2**31 else None
    if row is None or row.account_id != account_id:
        raise Refused(_("There is no such notification."), status=404)
    return row


def mark_read(session, account_id: int, notification_id) -> Notification:
    row = mine(session, account_id, notification_id)
    if row.read_at is None:
        row.read_at = now()
    return row


def mark_all_read(session, account_id: int) -> int:
    return session.execute(update(Notification).where(
        Notification.account_id == account_id, Notification.read_at.is_(None))
        .values(read_at=now())).rowcount


def opened_case(session, account_id: int, case_id: int) -> None:
    """The person opened the case: changes made before now are not news to them, and
    notifications that it changed are read."""
    moment = now()
    insert = (postgresql_insert if session.get_bind().dialect.name == "postgresql"
              else sqlite_insert)(CaseVisit)
    session.execute(insert.values(account_id=account_id, case_work_id=case_id,
                                  opened_at=moment)
                    .on_conflict_do_update(index_elements=["account_id", "case_work_id"],
                                           set_={"opened_at": moment}))
    session.execute(update(Notification).where(
        Notification.account_id == account_id, Notification.kind == "case_changed",
        Notification.read_at.is_(None),
        Notification.key.startswith(f"case:{case_id}:", autoescape=True))
        .values(read_at=moment))


def choose(session, account: Account, form: dict) -> int:
    """Save the person's choice for each kind; returns how many changed."""
    chosen = dict(account.notices or {})
    changed = 0
    for kind in kinds.KINDS:
        value = form.get(kind)
        if value is None:
            continue
        if value not in MAIL_CHOICES:
            raise Refused(_("Choose at once, a daily digest or never for each kind of news."))
        if kinds.choice_of(account, kind) != value:
            changed += 1
        chosen[kind] = value
    account.notices = chosen
    return changed

