"""Agreements with patient partners, and the payments made under them.

An educator offers each patient partner of a cohort an agreement drawn from the session
plans before the start: what they are asked to do and when, the fee per activity, travel,
lost income and a companion's costs. The partner accepts it, and may decline payment.
A payment is recorded when an educator marks confirmed time paid. Both are kept, without the
person, when an account is erased: bookkeeping law asks for payment records to be kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import now
from webapp.extensions import db

#: An agreement is offered, then accepted by the partner (or changed and offered again).
AGREEMENT_STATES = ("offered", "accepted")


class PartnerAgreement(db.Model):
    __tablename__ = "partner_agreement"
    __table_args__ = (UniqueConstraint("cohort_id", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"),
                                           index=True)
    #: The partner; empty once their account is erased (the terms are kept for bookkeeping).
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True)
    #: What they are asked to do, and when.
    tasks: Mapped[str] = mapped_column(Text)
    #: The fee per activity (e.g. "800 kr per session"), as agreed.
    fee: Mapped[str] = mapped_column(Text, default="")
    travel: Mapped[str] = mapped_column(Text, default="")
    lost_income: Mapped[str] = mapped_column(Text, default="")
    companion: Mapped[str] = mapped_column(Text, default="")
    #: The partner chose not to be paid (their time is still recorded and recognised).
    declines_payment: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20), default="offered")
    offered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    offered_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Raised on every change, so an answer names the terms it was given.
    version: Mapped[int] = mapped_column(Integer, default=1)

    cohort = relationship("Cohort")
    account = relationship("Account", foreign_keys=[account_id])


class PaymentRecord(db.Model):
    """One payment for confirmed time: kept without the person after erasure."""

    __tablename__ = "payment_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"),
                                           index=True)
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_agreement.id", ondelete="SET NULL"), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True)
    #: The time paid for; empty once the entry itself is gone (erasure).
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL"), unique=True)
    activity: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[datetime] = mapped_column(DateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    paid_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
