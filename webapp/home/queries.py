"""What a person should do next: read models for the home page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from webapp.clock import now
from webapp.models import (
    Assignment,
    CaseWork,
    Cohort,
    Extension,
    Group,
    GroupMember,
    Membership,
    ModuleVersionRow,
    Programme,
)
from webapp.roles import PATIENT_PARTNER

ROLE_NAMES = {
    "educator": _l("Educator"),
    "student": _l("Student"),
    PATIENT_PARTNER: _l("Patient partner"),
    "patient_coteacher": _l("Patient co-teacher"),
    "lead": _l("Programme lead"),
    "admin": _l("Site admin"),
}


@dataclass
class Action:
    text: str
    endpoint: str
    args: dict


@dataclass
class AssignmentLine:
    id: int
    title: str
    version: str
    due_at: datetime
    status: str  # not_open/open/overdue/submitted (learners); staff; other
    opens_at: datetime
    extended: bool = False


@dataclass
class CohortCard:
    cohort_id: int
    cohort_name: str
    programme_name: str
    programme_id: int = 0
    zone: str = ""  # the programme's time zone ("" = the default)
    roles: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assignments: list[AssignmentLine] = field(default_factory=list)


def home_cards(session, account) -> list[CohortCard]:
    """One card per cohort the person belongs to (directly or through their programme).

    Three queries whatever the number of cohorts (four for an admin, who sees every cohort):
    direct memberships, programme memberships with their cohorts, and the person's groups.
    """
    cards: dict[int, CohortCard] = {}

    def card(cohort: Cohort, programme: Programme) -> CohortCard:
        if cohort.id not in cards:
            cards[cohort.id] = CohortCard(cohort.id, cohort.name, programme.name, programme.id,
                                          programme.time_zone or "")
        return cards[cohort.id]

    direct = session.execute(
        select(Membership.role, Cohort, Programme)
        .join(Cohort, Membership.cohort_id == Cohort.id)
        .join(Programme, Cohort.programme_id == Programme.id)
        .where(Membership.account_id == account.id, Cohort.archived.is_(False))
        .order_by(Programme.name, Cohort.name)
    ).all()
    for role, cohort, programme in direct:
        card(cohort, programme).roles.append(role)

    programme_cohort = aliased(Cohort)
    via_programme = session.execute(
        select(Membership.role, programme_cohort, Programme)
        .join(Programme, Membership.programme_id == Programme.id)
        .join(programme_cohort, programme_cohort.programme_id == Programme.id)
        .where(Membership.account_id == account.id, programme_cohort.archived.is_(False))
        .order_by(Programme.name, programme_cohort.name)
    ).all()
    for role, cohort, programme in via_programme:
        entry = card(cohort, programme)
        if role not in entry.roles:
            entry.roles.append(role)

    if account.admin:
        every = session.execute(
            select(Cohort, Programme)
            .join(Programme, Cohort.programme_id == Programme.id)
            .where(Cohort.archived.is_(False))
        ).all()
        for cohort, programme in every:
            card(cohort, programme).roles.append("admin")

    groups = session.execute(
        select(Group.id, Group.name, Group.cohort_id)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.account_id == account.id)
        .order_by(Group.name)
    ).all()
    for group_id, group_name, cohort_id in groups:
        if cohort_id in cards:
            cards[cohort_id].actions.append(
                Action(_("Meet your group: %(name)s", name=group_name), "teach.group",
                       {"group_id": group_id})
            )
    for entry in cards.values():
        _add_role_actions(entry)
    group_of = {cohort_id: group_id for group_id, _n, cohort_id in groups}
    _add_assignments(session, account, cards, group_of)
    return sorted(cards.values(), key=lambda c: (c.programme_name, c.cohort_name)), group_of


def _add_role_actions(entry: CohortCard) -> None:
    roles = set(entry.roles)
    if roles & {"educator", "admin"}:
        entry.actions.append(
            Action(_("Invite people to this cohort"), "teach.invite",
                   {"cohort_id": entry.cohort_id})
        )
    if roles & {"educator", "lead", "admin"}:
        entry.actions.append(
            Action(_("See the cohort's groups"), "teach.cohort", {"cohort_id": entry.cohort_id})
        )
    elif not any(a.endpoint == "teach.group" for a in entry.actions):
        entry.actions.append(
            Action(_("See your cohort"), "teach.cohort", {"cohort_id": entry.cohort_id})
        )
    if "patient_coteacher" in roles:
        entry.actions.append(Action(_("Your reviews"), "review.queue", {}))
    if roles & {PATIENT_PARTNER, "patient_coteacher"}:
        entry.actions.append(Action(_("Record the time you give"), "review.contributions", {}))


def _add_assignments(session, account, cards: dict[int, CohortCard], group_of: dict) -> None:
    """Each card's assignments with the person's own status: three queries in all."""
    if not cards:
        return
    rows = session.execute(
        select(Assignment.id, Assignment.cohort_id, Assignment.opens_at, Assignment.due_at,
               ModuleVersionRow.title, ModuleVersionRow.version)
        .join(ModuleVersionRow, ModuleVersionRow.id == Assignment.module_version_id)
        .where(Assignment.cohort_id.in_(list(cards)))
        .order_by(Assignment.due_at)
    ).all()
    if not rows:
        return
    ids = [row[0] for row in rows]
    extended = dict(session.execute(
        select(Extension.assignment_id, Extension.due_at)
        .where(Extension.account_id == account.id, Extension.assignment_id.in_(ids))
    ).tuples().all())
    submitted = {assignment_id for assignment_id, when in session.execute(
        select(CaseWork.assignment_id, CaseWork.submitted_at)
        .where(CaseWork.group_id.in_(list(group_of.values()) or [0]),
               CaseWork.assignment_id.in_(ids))) if when is not None}
    moment = now()
    for assignment_id, cohort_id, opens_at, due_at, title, version in rows:
        card = cards[cohort_id]
        due = extended.get(assignment_id, due_at)
        if set(card.roles) & {"educator", "lead", "admin"}:
            status = "staff"
        elif not set(card.roles) & {"student", PATIENT_PARTNER}:
            status = "other"
        elif assignment_id in submitted:
            status = "submitted"
        elif moment < opens_at:
            status = "not_open"
        elif moment > due:
            status = "overdue"
        else:
            status = "open"
        card.assignments.append(AssignmentLine(assignment_id, title, version, due, status,
                                               opens_at, assignment_id in extended))
