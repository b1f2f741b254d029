"""Agreements with patient partners and the payments under them, as operations inside the
caller's transaction: the terms drawn from the session plans, offering, the partner's
answer, and marking confirmed time paid."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from webapp.clock import now
from webapp.models import (
    Account,
    Assignment,
    Contribution,
    Membership,
    PartnerAgreement,
    PaymentRecord,
)
from webapp.refusals import Refused
from webapp.roles import PATIENT_PARTNER

#: The terms an educator writes, and the most each may hold.
TERMS = ("tasks", "fee", "travel", "lost_income", "companion")
MAX_TERM_CHARS = 2000


def partners(session, cohort) -> list[Account]:
    """The cohort's patient partners, by name."""
    return list(session.scalars(
        select(Account).join(Membership, Membership.account_id == Account.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == PATIENT_PARTNER)
        .order_by(Account.display_name)))


def planned_tasks(session, cohort) -> str:
    """What the session plans of the cohort's modules ask of a patient partner, one line per
    session, with the local date the module opens: the first draft of an agreement."""
    from webapp import localtime

    lines = []
    assignments = session.scalars(select(Assignment).options(
        joinedload(Assignment.module_version)).where(
        Assignment.cohort_id == cohort.id).order_by(Assignment.opens_at)).all()
    for assignment in assignments:
        module = assignment.module_version.content()
        if module.plan is None:
            continue
        opens = localtime.day(assignment.opens_at, assignment)
        for planned in module.plan.sessions:
            if planned.partner_minutes:
                lines.append(_("%(module)s, week %(week)d from %(opens)s: %(title)s "
                               "(about %(minutes)d minutes with preparation and travel)",
                               module=module.title, week=planned.week, opens=opens,
                               title=planned.title, minutes=planned.partner_minutes))
    return "\n".join(lines)


def offer(session, actor, cohort, account_id: int | None, terms: dict) -> PartnerAgreement:
    """Offer (or offer again, changed) an agreement to a patient partner of the cohort."""
    if account_id not in {p.id for p in partners(session, cohort)}:
        raise Refused(_("Choose a patient partner of this cohort."))
    clean = {key: (terms.get(key) or "").replace("\r\n", "\n").strip() for key in TERMS}
    if not clean["tasks"]:
        raise Refused(_("Say what the patient partner is asked to do, and when."))
    if any(len(value) > MAX_TERM_CHARS for value in clean.values()):
        raise Refused(_("Each part of an agreement has at most %(n)d characters.",
                        n=MAX_TERM_CHARS))
    agreement = session.scalar(select(PartnerAgreement).where(
        PartnerAgreement.cohort_id == cohort.id, PartnerAgreement.account_id == account_id))
    if agreement is None:
        agreement = PartnerAgreement(cohort_id=cohort.id, account_id=account_id, version=0)
        session.add(agreement)
    elif all(getattr(agreement, key) == value for key, value in clean.items()):
        raise Refused(_("Nothing changed in this agreement."))
    for key, value in clean.items():
        setattr(agreement, key, value)
    agreement.state, agreement.accepted_at = "offered", None
    agreement.offered_by_id, agreement.offered_at = actor.id, now()
    agreement.version = (agreement.version or 0) + 1
    session.flush()
    return agreement


def answer(session, agreement: PartnerAgreement, *, version: int | None,
           declines_payment: bool) -> PartnerAgreement:
    """The partner accepts the terms they were shown, with or without payment."""
    if version != agreement.version:
        raise Refused(_("Your educator changed this agreement while you were reading it. "
                        "Read it again below, then accept it."), status=409)
    agreement.state, agreement.accepted_at = "accepted", now()
    agreement.declines_payment = declines_payment
    session.flush()
    return agreement


def mark_paid(session, actor, cohort, entry_ids: set[int]) -> int:
    """Record payment for confirmed time of the cohort whose giver accepted an agreement
    with payment; returns how many entries were marked. Entries already paid, unconfirmed,
    or of someone who declined payment (or has no accepted agreement) are left as they are."""
    accepted = {a.account_id: a for a in session.scalars(select(PartnerAgreement).where(
        PartnerAgreement.cohort_id == cohort.id, PartnerAgreement.state == "accepted",
        PartnerAgreement.declines_payment.is_(False)))}
    paid = set(session.scalars(select(PaymentRecord.contribution_id).where(
        PaymentRecord.cohort_id == cohort.id)))
    entries = session.scalars(select(Contribution).where(
        Contribution.cohort_id == cohort.id, Contribution.id.in_(entry_ids or {0}),
        Contribution.confirmed_at.is_not(None))).all()
    count = 0
    for entry in entries:
        if entry.id in paid or entry.account_id not in accepted:
            continue
        session.add(PaymentRecord(cohort_id=cohort.id, agreement_id=accepted[entry.account_id].id,
                                  account_id=entry.account_id, contribution_id=entry.id,
                                  activity=entry.activity, on_date=entry.on_date,
                                  minutes=entry.minutes, marked_by_id=actor.id))
        count += 1
    session.flush()
    return count


def detach(session, account_id: int) -> None:
    """On erasure: agreements and payment records stay for bookkeeping, without the person."""
    for model in (PartnerAgreement, PaymentRecord):
        session.execute(update(model).where(model.account_id == account_id)
                        .values(account_id=None).execution_options(synchronize_session=False))
