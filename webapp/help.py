"""Who hears when someone needs help: the one place that decides where a report of an
accessibility barrier goes."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.home.welcome import contacts_for
from webapp.models import Account


def barrier_recipients(account) -> tuple[list[str], bool]:
    """The addresses a barrier report goes to, and whether they are named contacts.

    A signed-in person who belongs to programmes with a named contact (directly or through a
    cohort) reaches those contacts; anyone else (or when no one is signed in) reaches the
    site's active administrators.
    """
    contacts = contacts_for(db.session, account)
    emails = sorted({db.session.get(Account, c.account_id).email for c in contacts})
    if emails:
        return emails, True
    admins = db.session.scalars(select(Account.email).where(
        Account.admin.is_(True), Account.active.is_(True)))
    return sorted(admins), False
