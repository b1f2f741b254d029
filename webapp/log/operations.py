"""Writing, answering and sharing learning log entries. (session, actor, plain values) in.

An entry is its author's: every operation here takes the author as ``actor`` and the entry
the authorisation table already checked. Nothing is shared unless the author shares that one
entry; withdrawing clears every trace of the sharing at once.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from curriculum import reexposure, template
from webapp import audit
from webapp.casework.operations import MAX_SECTION_CHARS, normalise
from webapp.clock import now
from webapp.log import places
from webapp.models import (
    PLACES,
    STAGES,
    Assignment,
    CaseWork,
    Cohort,
    GroupMember,
    LogEntry,
    LogRevisit,
    Membership,
    ModuleVersionRow,
)
from webapp.refusals import Refused

#: The same room a case part has: a log entry is never cut short.
MAX_ENTRY_CHARS = MAX_SECTION_CHARS
MAX_NOTE_CHARS = 2_000
#: How far ahead a come-back date may be.
FURTHEST_AHEAD = timedelta(days=3 * 366)


class EntryConflict(Refused):
    """Saved from another tab or device since this one opened: both texts come back."""

    status = 409

    def __init__(self, message: str, theirs: LogEntry) -> None:
        super().__init__(message, reason="conflict")
        self.theirs = theirs


def record(session, actor, today: date, *, text: str, stage: str, place: str = "own",
           module_version_id: int | None = None, place_id: str | None = None,
           tags=(), written_on: date | None = None, come_back_on: date | None = None,
           follows_id: int | None = None) -> LogEntry:
    """A new private entry in ``actor``'s log."""
    text = _checked_text(text)
    if place not in PLACES:
        raise Refused(_("Choose where this was written from."))
    module = _module(session, module_version_id)
    place_id = places.checked_place(module, place, place_id)
    if place == "feedback":
        place_id = _own_case(session, actor, place_id)
    entry = LogEntry(
        account_id=actor.id, place=place, stage=_checked_stage(stage), text=text,
        tags=_checked_tags(module, tags), module_version_id=module.id if module else None,
        place_id=place_id, written_on=_checked_written(written_on, today),
        come_back_on=None, assignment_id=_assignment_for(session, actor, module))
    entry.come_back_on = _checked_come_back(come_back_on, entry.written_on)
    entry.follows_id = _checked_follows(session, actor, entry.stage, follows_id)
    session.add(entry)
    session.flush()
    reschedule(session, today, LogEntry.id == entry.id)
    return entry


def edit(session, actor, entry: LogEntry, today: date, *, version: int, text: str, stage: str,
         tags=(), written_on: date | None = None, come_back_on: date | None = None,
         follows_id: int | None = None) -> LogEntry:
    """Save the author's changes, unless the entry changed since they opened it."""
    text = _checked_text(text)
    stage = _checked_stage(stage)
    module = _module(session, entry.module_version_id)
    tags = _checked_tags(module, tags)
    written_on = _checked_written(written_on, today)
    come_back_on = _checked_come_back(come_back_on, written_on)
    follows_id = _checked_follows(session, actor, stage, follows_id, itself=entry.id)
    done = session.execute(
        update(LogEntry)
        .where(LogEntry.id == entry.id, LogEntry.version == version)
        .values(text=text, stage=stage, tags=tags, written_on=written_on,
                come_back_on=come_back_on, follows_id=follows_id, updated_at=now(),
                version=LogEntry.version + 1)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.expire(entry)
        raise EntryConflict(_("You changed this entry somewhere else (another tab or device) "
                              "since you opened it. Both versions are below: keep the one "
                              "you want."), entry)
    reschedule(session, today, LogEntry.id == entry.id)
    session.expire(entry)
    return entry


def delete(session, actor, entry: LogEntry) -> None:
    """Remove the entry, its answers and any sharing, for good."""
    if entry.shared_with or entry.sent_back_at:
        audit.record(session, "log_withdrawn", actor_id=actor.id, entry=entry.id)
    session.delete(entry)
    session.flush()


def revisit(session, actor, entry: LogEntry, today: date, answer: str,
            note: str = "") -> LogRevisit:
    """The author's answer when the entry came back (``curriculum.reexposure.ANSWERS``)."""
    if answer not in reexposure.ANSWERS:
        raise Refused(_("Choose one answer: still true, changed my mind, did it, not today, "
                        "or stop bringing this back."))
    note = normalise(note).strip()
    if len(note) > MAX_NOTE_CHARS:
        raise Refused(_("A note has at most %(n)d characters.", n=MAX_NOTE_CHARS))
    back = LogRevisit(entry_id=entry.id, answer=answer, note=note or None, on_day=today)
    session.add(back)
    if answer in reexposure.ENDING and entry.ended_on is None:
        entry.ended_on = today
        entry.back_on = None
    session.flush()
    reschedule(session, today, LogEntry.id == entry.id)
    return back


def reschedule(session, today: date, *where) -> int:
    """Work out again the day each live entry ``where`` selects comes back (its
    ``back_on``): after it is written, changed or answered, or its assignment's dates change.
    Returns how many entries were looked at."""
    from webapp.log.queries import schedules

    found = schedules(session, *where)
    if found:
        session.execute(update(LogEntry), [
            {"id": entry_id, "back_on": reexposure.next_return(schedule, today)}
            for entry_id, schedule in found])
        session.flush()
    return len(found)


def reschedule_assignment(session, assignment) -> int:
    """The assignment's due date or feedback release changed: the entries written about it
    come back on the new days."""
    from webapp import localtime
    from webapp.log.queries import person_today

    return reschedule(session, person_today(localtime.zone_name(assignment)),
                      LogEntry.assignment_id == assignment.id)


def share(session, actor, entry: LogEntry, audience: str, named: bool) -> LogEntry:
    """Show the entry to the author's group or cohort (``audience``: "group:<id>" or
    "cohort:<id>", one the author belongs to), with or without their name."""
    kind, _sep, raw = (audience or "").partition(":")
    place_id = int(raw) if raw.isdigit() and len(raw) <= 9 else None
    choices = {(k, i): c for k, i, _name, c in sharing_choices(session, actor)}
    if (kind, place_id) not in choices:
        raise Refused(_("Choose your group or your cohort to share with."))
    if entry.hidden_at is not None and entry.updated_at <= entry.hidden_at:
        raise Refused(_("An educator took this entry off the cohort page (the reason is on "
                        "the entry). Change it first; then you can share it again."))
    if entry.pin_state and (kind != "cohort" or entry.share_cohort_id != choices[(kind, place_id)]):
        # shown to later cohorts only while shared with the cohort it was asked about
        entry.pin_state = entry.pin_programme_id = entry.pin_proposed_by_id = None
    entry.shared_with = kind
    entry.share_group_id = place_id if kind == "group" else None
    entry.share_cohort_id = choices[(kind, place_id)]
    entry.share_named = bool(named)
    entry.shared_at = now()
    entry.hidden_at = None
    entry.hidden_reason = None
    audit.record(session, "log_shared", actor_id=actor.id, entry=entry.id, audience=kind,
                 named=bool(named))
    session.flush()
    return entry


def withdraw(session, actor, entry: LogEntry) -> LogEntry:
    """Take a shared entry back: from then on it shows nowhere but in the author's log (not
    on the group's or cohort's page, the module's page or beside the reviews)."""
    if not entry.shared_with and not entry.sent_back_at:
        raise Refused(_("This entry is not shared."))
    entry.shared_with = None
    entry.share_group_id = None
    entry.share_cohort_id = None
    entry.share_named = False
    entry.shared_at = None
    entry.pin_state = entry.pin_programme_id = entry.pin_proposed_by_id = None
    entry.sent_back_case_id = entry.sent_back_at = None
    audit.record(session, "log_withdrawn", actor_id=actor.id, entry=entry.id)
    session.flush()
    return entry


def sharing_choices(session, actor) -> list[tuple[str, int, str, int]]:
    """Where ``actor`` may share: ("group", id, name, cohort id) for each group they are in
    and ("cohort", id, name, cohort id) for each cohort, open cohorts only."""
    from webapp.models import Group

    groups = session.execute(
        select(Group.id, Group.name, Group.cohort_id)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .join(Cohort, Cohort.id == Group.cohort_id)
        .where(GroupMember.account_id == actor.id, Cohort.archived.is_(False))
        .order_by(Group.name)).all()
    cohorts = session.execute(
        select(Cohort.id, Cohort.name).join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.account_id == actor.id, Cohort.archived.is_(False))
        .distinct().order_by(Cohort.name)).all()
    return ([("group", g.id, g.name, g.cohort_id) for g in groups]
            + [("cohort", c.id, c.name, c.id) for c in cohorts])


def set_choices(session, actor, *, log_on: bool, reminders: bool) -> None:
    """Turn the learning log, and its entries coming back on the home page, on or off."""
    actor.learning_log = "on" if log_on else "off"
    actor.log_reminders = bool(reminders and log_on)
    session.flush()


# --- checks ------------------------------------------------------------------------------------


def _checked_text(text: str) -> str:
    text = normalise(text).strip()
    if not text:
        raise Refused(_("Write something first: a sentence is enough."))
    if len(text) > MAX_ENTRY_CHARS:
        raise Refused(_("An entry has at most %(n)d characters; this one has %(m)d.",
                        n=MAX_ENTRY_CHARS, m=len(text)))
    return text


def _checked_stage(stage: str) -> str:
    if stage not in STAGES:
        raise Refused(_("Choose which question this answers: What?, So what?, Now what? or "
                        "What happened?"))
    return stage


def _checked_tags(module: ModuleVersionRow | None, tags) -> list[str]:
    allowed = set(template.KEYS) | set(places.objective_ids(module))
    chosen = [t for t in dict.fromkeys(tags or ()) if t]
    unknown = [t for t in chosen if t not in allowed]
    if unknown:
        raise Refused(_("These tags are not offered here: %(tags)s. Choose from the list.",
                        tags=", ".join(unknown[:5])))
    return chosen


def _checked_written(written_on: date | None, today: date) -> date:
    if written_on is None:
        return today
    if written_on > today + timedelta(days=1):
        raise Refused(_("The date is in the future: give the day it happened."))
    if written_on < date(2000, 1, 1):
        raise Refused(_("Give a date after the year 2000."))
    return written_on


def _checked_come_back(come_back_on: date | None, written_on: date) -> date | None:
    if come_back_on is None:
        return None
    if come_back_on <= written_on:
        raise Refused(_("Choose a day after the entry's date for it to come back, or leave "
                        "the date empty for the usual days (after 2, 7 and 30 days)."))
    if come_back_on > written_on + FURTHEST_AHEAD:
        raise Refused(_("Choose a day within three years."))
    return come_back_on


def _checked_follows(session, actor, stage: str, follows_id: int | None,
                     itself: int | None = None) -> int | None:
    if follows_id is None:
        return None
    if stage != "what_happened":
        raise Refused(_("Only a \"What happened?\" entry follows a plan."))
    plan = session.get(LogEntry, follows_id)
    if plan is None or plan.account_id != actor.id or plan.stage != "now_what" \
            or plan.id == itself:
        raise Refused(_("Choose one of your own \"Now what?\" plans."))
    return plan.id


def _own_case(session, actor, place_id: str | None) -> str | None:
    """The case whose feedback an entry answers, if the author is in its group (else none:
    the entry is kept, without the link)."""

    if not place_id or not place_id.isdigit() or len(place_id) > 9:
        return None
    found = session.scalar(select(CaseWork.id).join(
        GroupMember, GroupMember.group_id == CaseWork.group_id).where(
        CaseWork.id == int(place_id), GroupMember.account_id == actor.id))
    return str(found) if found else None


def _module(session, module_version_id: int | None) -> ModuleVersionRow | None:
    if module_version_id is None:
        return None
    module = session.get(ModuleVersionRow, module_version_id)
    if module is None:
        raise Refused(_("That module version is not here any more. Write the entry "
                        "without it."))
    return module


def _assignment_for(session, actor, module: ModuleVersionRow | None) -> int | None:
    """The newest assignment of the module in one of the author's cohorts: its dates bring
    the entry back (the day before the case is due, the feedback)."""
    if module is None:
        return None
    return session.scalar(
        select(Assignment.id)
        .join(Membership, Membership.cohort_id == Assignment.cohort_id)
        .where(Membership.account_id == actor.id, Assignment.module_slug == module.slug)
        .order_by(Assignment.opens_at.desc(), Assignment.id.desc()).limit(1))
