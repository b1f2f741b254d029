"""What happens to a shared entry besides its author taking it back: an educator hides it or
asks to show it to later cohorts, the author answers, and "you said, I did" sends a "What
happened?" entry to the reviewers of the group's feedback. (session, actor, values) in."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from webapp import audit
from webapp.casework.operations import normalise
from webapp.clock import now
from webapp.models import Account, CaseWork, Cohort, GroupMember, LogEntry
from webapp.notices.operations import notify
from webapp.refusals import Refused

MAX_REASON_CHARS = 500


def hide(session, actor, entry: LogEntry, reason: str) -> LogEntry:
    """Take a cohort-shared entry off the cohort's page; the author reads ``reason``."""
    if entry.shared_with != "cohort" or entry.hidden_at is not None:
        raise Refused(_("Only an entry shared with the cohort can be hidden from its page."))
    reason = normalise(reason).strip()
    if not reason:
        raise Refused(_("Say why, in a sentence: the author reads it."))
    if len(reason) > MAX_REASON_CHARS:
        raise Refused(_("A reason has at most %(n)d characters.", n=MAX_REASON_CHARS))
    entry.hidden_at, entry.hidden_reason, entry.hidden_by_id = now(), reason, actor.id
    entry.pin_state = entry.pin_programme_id = entry.pin_proposed_by_id = None
    audit.record(session, "log_hidden", actor_id=actor.id, subject_id=entry.account_id,
                 entry=entry.id)
    notify(session, session.get(Account, entry.account_id), "learning_log", what="hidden",
           path=f"/log/{entry.id}", key=f"log_hidden:{entry.id}")
    session.flush()
    return entry


def propose_pin(session, actor, entry: LogEntry) -> LogEntry:
    """Ask the author whether the entry may be shown to later cohorts of the programme, on
    the module's page. Only an entry about a module, shared with a cohort, can be."""
    if entry.module_version_id is None or entry.shared_with != "cohort" or entry.hidden_at:
        raise Refused(_("Only an entry about a module, shared with the cohort, can be shown "
                        "to later cohorts."))
    if entry.pin_state is not None:
        raise Refused(_("The author has already been asked."))
    cohort = session.get(Cohort, entry.share_cohort_id)
    entry.pin_state, entry.pin_programme_id = "proposed", cohort.programme_id
    entry.pin_proposed_by_id, entry.pin_changed_at = actor.id, now()
    audit.record(session, "log_pin_proposed", actor_id=actor.id, subject_id=entry.account_id,
                 entry=entry.id)
    session.flush()
    return entry


def answer_pin(session, actor, entry: LogEntry, accept: bool) -> LogEntry:
    """The author says yes or no to showing the entry to later cohorts."""
    if entry.pin_state != "proposed":
        raise Refused(_("Nobody has asked to show this entry to later cohorts."))
    if accept:
        entry.pin_state = "pinned"
        audit.record(session, "log_pinned", actor_id=actor.id, entry=entry.id)
    else:
        entry.pin_state = entry.pin_programme_id = entry.pin_proposed_by_id = None
    entry.pin_changed_at = now()
    session.flush()
    return entry


def feedback_case(session, entry: LogEntry) -> int | None:
    """The case whose feedback a "What happened?" entry follows up (its own link, or its
    plan's), or None: only such an entry can be sent back to the reviewers."""
    if entry.stage != "what_happened":
        return None
    for candidate in (entry, entry.follows):
        if candidate is not None and candidate.place == "feedback" and candidate.place_id:
            return int(candidate.place_id)
    return None


def send_back(session, actor, entry: LogEntry) -> LogEntry:
    """"You said, I did": show the entry to the reviewers of the case's feedback."""
    case_id = feedback_case(session, entry)
    if case_id is None:
        raise Refused(_("Only a \"What happened?\" entry that follows feedback on your "
                        "group's case can be sent to its reviewers."))
    in_group = session.scalar(select(GroupMember.id).join(
        CaseWork, CaseWork.group_id == GroupMember.group_id).where(
        CaseWork.id == case_id, GroupMember.account_id == actor.id))
    if in_group is None:
        raise Refused(_("You are no longer in that case's group."))
    entry.sent_back_case_id, entry.sent_back_at = case_id, now()
    audit.record(session, "log_shared", actor_id=actor.id, entry=entry.id,
                 audience="reviewers", named=True)
    session.flush()
    return entry
