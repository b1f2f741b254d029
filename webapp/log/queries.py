"""Read models of the learning log: a person's own timeline, what comes back to them today,
and what their group and cohort chose to share. Each is a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select

from curriculum import reexposure
from webapp import localtime
from webapp.models import (
    Account,
    Assignment,
    Cohort,
    Group,
    GroupMember,
    LogEntry,
    LogRevisit,
    Membership,
    ModuleVersionRow,
    Programme,
)
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER

PATIENT_ROLES = frozenset({PATIENT_PARTNER, PATIENT_COTEACHER})

#: Entries on one page of the cohort's "what we are learning".
PAGE = 20


def log_is_on(account, roles: set[str]) -> bool:
    """The person's log is on: as they chose, or by default for everyone except patient
    partners (who may also review as co-teachers): for them it is off until they turn it on."""
    if account.learning_log in ("on", "off"):
        return account.learning_log == "on"
    return not (PATIENT_PARTNER in roles and roles <= PATIENT_ROLES)


def reminders_on(account, roles: set[str]) -> bool:
    """Entries come back on the home page: as chosen, else whenever the log is on by
    default (a patient partner who turns the log on chooses reminders separately)."""
    if not log_is_on(account, roles):
        return False
    if account.log_reminders is not None:
        return account.log_reminders
    return True


def zone_of(session, account_id: int) -> str | None:
    """The time zone of the person's programme (of their first role), for their "today"."""
    return session.scalar(
        select(Programme.time_zone)
        .join(Cohort, Cohort.programme_id == Programme.id, isouter=True)
        .join(Membership, or_(Membership.programme_id == Programme.id,
                              Membership.cohort_id == Cohort.id))
        .where(Membership.account_id == account_id)
        .order_by(Membership.id).limit(1))


def person_today(zone: str | None) -> date:
    """Today on the person's calendar (their programme's time zone)."""
    from webapp.clock import now

    return localtime.local(now(), zone or None).date()


@dataclass
class Due:
    #: the entry's id, stage, text and date (a row, not an ORM object)
    entry: object
    module_title: str | None


#: Each live entry, with what decides when it comes back: its own dates, the days of its last
#: answers and its assignment's dates in the programme's time zone (one entry, or every entry
#: of an assignment whose dates changed).
_LAST = (select(func.max(LogRevisit.on_day)).where(LogRevisit.entry_id == LogEntry.id)
         .scalar_subquery())
_SETTLED = (select(func.max(LogRevisit.on_day))
            .where(LogRevisit.entry_id == LogEntry.id,
                   LogRevisit.answer != reexposure.NOT_TODAY).scalar_subquery())


def schedules(session, *where) -> list[tuple[int, reexposure.Schedule]]:
    """(entry id, schedule) of the live entries ``where`` selects, in one statement."""
    rows = session.execute(
        select(LogEntry.id, LogEntry.written_on, LogEntry.come_back_on, _LAST.label("last"),
               _SETTLED.label("settled"), Assignment.due_at, Assignment.feedback_released_at,
               Programme.time_zone)
        .outerjoin(Assignment, Assignment.id == LogEntry.assignment_id)
        .outerjoin(Cohort, Cohort.id == Assignment.cohort_id)
        .outerjoin(Programme, Programme.id == Cohort.programme_id)
        .where(LogEntry.ended_on.is_(None), *where)).all()
    occasions: dict[tuple, tuple[date, ...]] = {}
    found = []
    for row in rows:
        when = (row.due_at, row.feedback_released_at, row.time_zone)
        if when not in occasions:
            occasions[when] = _occasions(row)
        found.append((row.id, reexposure.Schedule(
            row.written_on, row.come_back_on, occasions[when], last_answer_on=row.last,
            last_settled_on=row.settled)))
    return found


#: What the home page shows of the entries that come back today, longest waiting first: an
#: entry's ``back_on`` is the earliest day it has waited since (answered, it moves on).
_DUE = (select(LogEntry.id, LogEntry.stage, LogEntry.text, LogEntry.written_on,
               ModuleVersionRow.title)
        .outerjoin(ModuleVersionRow, ModuleVersionRow.id == LogEntry.module_version_id)
        .where(LogEntry.account_id == bindparam("account_id"), LogEntry.ended_on.is_(None),
               LogEntry.back_on <= bindparam("today"))
        .order_by(LogEntry.back_on, LogEntry.id).limit(bindparam("limit")))


def due_back(session, account_id: int, today: date, limit: int = 2) -> list[Due]:
    """At most ``limit`` of the person's entries that come back today: one statement, read
    from the index of (author, day it comes back), whatever the size of the log."""
    rows = session.connection().execute(
        _DUE, {"account_id": account_id, "today": today, "limit": limit}).all()
    return [Due(row, row.title) for row in rows]


def _occasions(row) -> tuple[date, ...]:
    """The module's dates in the programme's calendar: the day before the case is due (the
    group's meeting to finish it) and the day feedback was released (the debrief)."""
    days = []
    if row.due_at is not None:
        days.append(localtime.local(row.due_at, row.time_zone).date() - timedelta(days=1))
    if row.feedback_released_at is not None:
        days.append(localtime.local(row.feedback_released_at, row.time_zone).date())
    return tuple(days)


def schedule_of(session, entry: LogEntry) -> reexposure.Schedule:
    """One entry's schedule (its own page says when it comes back next)."""
    found = schedules(session, LogEntry.id == entry.id)
    if found:
        return found[0][1]
    return reexposure.Schedule(entry.written_on, entry.come_back_on, ended_on=entry.ended_on)


@dataclass
class Filters:
    module: str = ""
    stage: str = ""
    objective: str = ""
    place: str = ""


def timeline(session, account_id: int, filters: Filters) -> list[tuple]:
    """The person's entries, newest first: (entry, module slug, version, title)."""
    query = (select(LogEntry, ModuleVersionRow.slug, ModuleVersionRow.version,
                    ModuleVersionRow.title)
             .outerjoin(ModuleVersionRow, ModuleVersionRow.id == LogEntry.module_version_id)
             .where(LogEntry.account_id == account_id)
             .order_by(LogEntry.written_on.desc(), LogEntry.id.desc()))
    if filters.module:
        query = query.where(ModuleVersionRow.slug == filters.module)
    if filters.stage:
        query = query.where(LogEntry.stage == filters.stage)
    if filters.place:
        query = query.where(LogEntry.place == filters.place)
    rows = session.execute(query).all()
    if filters.objective:
        rows = [row for row in rows if filters.objective in (row[0].tags or ())]
    return rows


def modules_in_log(session, account_id: int) -> list[tuple[str, str]]:
    """(slug, title) of the modules the person's entries are about, for the filter."""
    rows = session.execute(
        select(ModuleVersionRow.slug, func.max(ModuleVersionRow.title))
        .join(LogEntry, LogEntry.module_version_id == ModuleVersionRow.id)
        .where(LogEntry.account_id == account_id)
        .group_by(ModuleVersionRow.slug).order_by(ModuleVersionRow.slug)).all()
    return [(slug, title) for slug, title in rows]


@dataclass
class Shared:
    id: int
    text: str
    stage: str
    written_on: date
    shared_at: datetime
    shared_with: str
    author: str | None  # None: shared without a name
    mine: bool
    module_title: str | None
    has_module: bool = False
    pin_state: str | None = None


_MY_GROUPS = (select(GroupMember.group_id).join(Group, Group.id == GroupMember.group_id)
              .where(GroupMember.account_id == bindparam("viewer"),
                     Group.cohort_id == bindparam("cohort")))
#: Entries shared with the cohort, and with the viewer's own groups in it. Every shared entry
#: notes its cohort (a group's too), so the cohort's index narrows first. Built once.
_VISIBLE = and_(
    LogEntry.share_cohort_id == bindparam("cohort"), LogEntry.hidden_at.is_(None),
    or_(LogEntry.shared_with == "cohort",
        and_(LogEntry.shared_with == "group", LogEntry.share_group_id.in_(_MY_GROUPS))))
_SHARED_COUNT = select(func.count(LogEntry.id)).where(_VISIBLE)
_SHARED_PAGE = (
    select(LogEntry.id, LogEntry.text, LogEntry.stage, LogEntry.written_on, LogEntry.shared_at,
           LogEntry.shared_with, LogEntry.share_named, LogEntry.account_id,
           Account.display_name, ModuleVersionRow.title, LogEntry.module_version_id,
           LogEntry.pin_state)
    .join(Account, Account.id == LogEntry.account_id)
    .outerjoin(ModuleVersionRow, ModuleVersionRow.id == LogEntry.module_version_id)
    .where(_VISIBLE)
    .order_by(LogEntry.shared_at.desc(), LogEntry.id.desc())
    .limit(bindparam("limit")).offset(bindparam("offset")))


def shared_in_cohort(session, viewer_id: int, cohort_id: int,
                     page: int = 1) -> tuple[list[Shared], int]:
    """Entries shared with the cohort, and with the viewer's own groups in it, newest first,
    one page of them, and how many there are. Hidden and withdrawn ones are not there."""
    connection = session.connection()
    values = {"viewer": viewer_id, "cohort": cohort_id}
    total = connection.execute(_SHARED_COUNT, values).scalar()
    rows = connection.execute(_SHARED_PAGE, dict(values, limit=PAGE,
                                                 offset=(max(page, 1) - 1) * PAGE)).all()
    return [Shared(r.id, r.text, r.stage, r.written_on, r.shared_at, r.shared_with,
                   r.display_name if r.share_named else None, r.account_id == viewer_id,
                   r.title, r.module_version_id is not None, r.pin_state) for r in rows], total


def in_cohort(session, account_id: int, cohort_id: int) -> bool:
    """Whether the person holds a role in the cohort (the page is for its members)."""
    return session.scalar(select(Membership.id).where(
        Membership.account_id == account_id, Membership.cohort_id == cohort_id).limit(1)) \
        is not None


@dataclass
class Pinned:
    text: str
    stage: str
    author: str | None


def pinned_for(session, account_id: int, slug: str, limit: int = 10) -> list[Pinned]:
    """Entries about the module that their authors let the programme show to later cohorts,
    for someone in that programme (any role in it or one of its cohorts)."""
    mine = select(Membership.programme_id).where(
        Membership.account_id == account_id, Membership.programme_id.is_not(None)).union(
        select(Cohort.programme_id).join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.account_id == account_id))
    rows = session.execute(
        select(LogEntry.text, LogEntry.stage, LogEntry.share_named, Account.display_name)
        .join(Account, Account.id == LogEntry.account_id)
        .join(ModuleVersionRow, ModuleVersionRow.id == LogEntry.module_version_id)
        .where(LogEntry.pin_state == "pinned", LogEntry.pin_programme_id.in_(mine),
               LogEntry.shared_with == "cohort", LogEntry.hidden_at.is_(None),
               ModuleVersionRow.slug == slug)
        .order_by(LogEntry.pin_changed_at.desc(), LogEntry.id.desc()).limit(limit)).all()
    return [Pinned(r.text, r.stage, r.display_name if r.share_named else None) for r in rows]


def sent_back_to(session, reviewer_id: int, case_id: int) -> list[tuple]:
    """"You said, I did" entries sent back to the reviewers of a case: (text, author name,
    when), for a reviewer of that case."""
    from webapp.models import Review, Submission

    reviewed = select(Review.id).join(Submission, Submission.id == Review.submission_id).where(
        Review.reviewer_id == reviewer_id, Submission.case_work_id == case_id)
    return session.execute(
        select(LogEntry.text, Account.display_name, LogEntry.sent_back_at)
        .join(Account, Account.id == LogEntry.account_id)
        .where(LogEntry.sent_back_case_id == case_id, reviewed.exists())
        .order_by(LogEntry.sent_back_at)).all()
