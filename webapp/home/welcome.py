"""For the people at the centre: the named contact of each of a person's programmes, and the
welcome a patient partner or co-teacher sees on their home page until they have begun."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, or_, select

from webapp import language, localtime
from webapp.clock import now
from webapp.learn import queries as learn_queries
from webapp.models import (
    Account,
    Assignment,
    Cohort,
    Membership,
    Programme,
    Review,
    SectionRevision,
    Submission,
)
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER

#: The guide each newcomer reads first.
FIRST_GUIDE = {PATIENT_PARTNER: "patient-partner-welcome",
               PATIENT_COTEACHER: "patient-coteacher-reviewing"}


@dataclass
class Contact:
    programme: str
    name: str
    details: str | None
    account_id: int


@dataclass
class Welcome:
    role: str
    guide: tuple[str, dict] | None  # (title, url_for arguments of its first page)
    steps: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)


def support_for(where) -> str:
    """The support routes of the programme ``where`` belongs to (a case, an assignment, a
    cohort or the programme), or "" when it has none set."""
    seen = 0
    while where is not None and seen < 4:
        if hasattr(where, "support_info"):
            return where.support_info or ""
        where = (getattr(where, "programme", None) or getattr(where, "cohort", None)
                 or getattr(where, "assignment", None))
        seen += 1
    return ""


def contacts_for(session, account) -> list[Contact]:
    """The named contacts of the programmes a person belongs to (directly or by a cohort)."""
    if account is None or not getattr(account, "is_authenticated", False):
        return []
    mine = select(Membership.programme_id).where(
        Membership.account_id == account.id, Membership.programme_id.is_not(None)).union(
        select(Cohort.programme_id).join(Membership, Membership.cohort_id == Cohort.id).where(
            Membership.account_id == account.id, Cohort.archived.is_(False)))
    rows = session.execute(
        select(Programme.name, Account.display_name, Programme.contact_details, Account.id)
        .join(Account, Account.id == Programme.contact_id)
        .where(Programme.id.in_(mine), Account.active.is_(True))
        .order_by(Programme.name)).all()
    return [Contact(*row) for row in rows]


def _newcomer(session, account, role: str) -> bool:
    """Whether the person has yet to begin: no part saved, or no review handed in."""
    if role == PATIENT_PARTNER:
        return not session.scalar(select(exists().where(
            or_(SectionRevision.account_id == account.id,
                SectionRevision.told_by_id == account.id))))
    return not session.scalar(select(exists().where(
        Review.reviewer_id == account.id, Review.submitted_at.is_not(None))))


def first_guide(session, role: str):
    """The title and page address of the guide a newcomer in ``role`` reads first."""
    rows = learn_queries.latest_guides(session)  # the reader's language first
    # the Swedish edition of a guide has the English guide's id with "-sv"
    wanted = {FIRST_GUIDE[role], f"{FIRST_GUIDE[role]}-{language.current()}"}
    row = next((r for r in rows if r.slug in wanted), None) or next(
        (r for r in rows if role in r.audience.split()), None)
    if row is None:
        return None
    pages = row.content().pages
    if not pages:
        return None
    return row.title, {"slug": row.slug, "version": row.version, "page_id": pages[0].id}


def _partner_steps(cards) -> list[str]:
    steps = []
    for card in cards:
        if PATIENT_PARTNER not in card.roles:
            continue
        for line in card.assignments:
            if line.status == "not_open":
                steps.append(_("Your group starts %(m)s on %(when)s.", m=line.title,
                               when=localtime.when(line.opens_at, card.zone)))
            elif line.status in ("open", "overdue"):
                steps.append(_("Your group's case for %(m)s is open: %(due)s. Open it from "
                               "“Next” below.", m=line.title,
                               due=localtime.due(line.due_at, card.zone)))
    return steps or [_("Your educator has not set a case yet. When they do, it appears here "
                       "with its dates.")]


def _coteacher_steps(session, account, cards) -> list[str]:
    waiting = session.scalars(
        select(Assignment).join(Submission, Submission.assignment_id == Assignment.id)
        .join(Review, Review.submission_id == Submission.id)
        .where(Review.reviewer_id == account.id, Review.submitted_at.is_(None))
        .order_by(Assignment.review_due_at)).all()
    if waiting:
        return [ngettext("You have %(num)d case to review, %(due)s.",
                         "You have %(num)d cases to review, the first %(due)s.",
                         len(waiting), due=localtime.due(waiting[0].review_due_at, waiting[0]))]
    steps, moment = [], now()
    for card in cards:
        if PATIENT_COTEACHER not in card.roles:
            continue
        for line in card.assignments:
            if line.due_at > moment:
                steps.append(_("Groups hand in their cases for %(m)s by %(when)s. Cases for "
                               "you to review arrive after that, and you get an email.",
                               m=line.title, when=localtime.when(line.due_at, card.zone)))
    return steps or [_("No cases are waiting yet. When a group hands in a case for you to "
                       "review, you get an email and it appears here.")]


def welcome(session, account, cards) -> Welcome | None:
    """The welcome for a patient partner or co-teacher who has not begun yet, else None."""
    roles = {role for card in cards for role in card.roles}
    for role in (PATIENT_PARTNER, PATIENT_COTEACHER):
        if role in roles and _newcomer(session, account, role):
            steps = (_partner_steps(cards) if role == PATIENT_PARTNER
                     else _coteacher_steps(session, account, cards))
            return Welcome(role, first_guide(session, role), steps, contacts_for(session, account))
    return None
