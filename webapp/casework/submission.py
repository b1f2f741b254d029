"""Submitting a case: every member confirms, then exactly one submission is made.

The submission row is unique per (assignment, group, round), and it is written in the same
transaction as the confirmation that completes it, so a double click or two members
confirming at once still give one submission (the loser's insert fails and is rolled back),
and a crash part way leaves either nothing or the whole submission.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from curriculum import template
from webapp.casework import rules
from webapp.casework.operations import (
    Refused,
    current_consent,
    give_consent,
    lock_case,
)
from webapp.casework.queries import group_members
from webapp.casework.visibility import CaseWords
from webapp.clock import now
from webapp.models import CaseWork, Confirmation, SectionDraft, Submission
from webapp.roles import PATIENT_PARTNER


def confirmations(session, case: CaseWork) -> dict[int, Confirmation]:
    rows = session.scalars(select(Confirmation).where(Confirmation.case_work_id == case.id,
                                                      Confirmation.round == case.round))
    return {row.account_id: row for row in rows}


def waiting_for(session, case: CaseWork) -> list[str]:
    """Names of members who have not confirmed this round yet."""
    done = confirmations(session, case)
    return [m.name for m in group_members(session, case) if m.account_id not in done]


def empty_parts(session, case: CaseWork) -> list[str]:
    """Headings of the parts with no text yet, in template order."""
    empty = set(session.scalars(select(SectionDraft.section).where(
        SectionDraft.case_work_id == case.id, SectionDraft.text == "")))
    return [part.heading for part in template.SECTIONS if part.key in empty]


def confirm(session, actor, case: CaseWork, *, share_reviewers: bool = True,
            knowing_empty: bool = True) -> Submission | None:
    """Record the actor's confirmation; when it is the last one, submit. Inside the
    caller's transaction (``webapp.transactions.run``).

    Returns the submission when this confirmation completed it.
    """
    case = lock_case(session, case.id)
    if case.submitted_at is not None:
        raise Refused(_("This case is already submitted."), status=409)
    role = rules.require(session, actor, case, "confirm").role
    if not knowing_empty and empty_parts(session, case):
        raise Refused(_("Some parts are still empty. Tick “We hand it in with these parts "
                        "empty” to confirm anyway, or write them first."), status=409)
    if case.ready_at is None:
        case.ready_at = now()
    existing = session.scalar(select(Confirmation).where(
        Confirmation.case_work_id == case.id, Confirmation.round == case.round,
        Confirmation.account_id == actor.id))
    if role == PATIENT_PARTNER:
        _record_choice(session, actor, case, share_reviewers)
    if existing is None:
        session.add(Confirmation(case_work_id=case.id, round=case.round, account_id=actor.id,
                                 share_reviewers=share_reviewers if role == PATIENT_PARTNER
                                 else True))
    else:
        existing.share_reviewers = share_reviewers if role == PATIENT_PARTNER else True
    session.flush()
    if waiting_for(session, case):
        return None
    return _submit(session, case)


def _record_choice(session, actor, case: CaseWork, share_reviewers: bool) -> None:
    """A patient partner's answer when confirming becomes their consent for the case, so
    every round (and a later educator's submission) follows the same record."""
    latest = current_consent(session, case.id, actor.id)
    if latest is not None and latest.share_reviewers == share_reviewers \
            and not (share_reviewers and latest.withdrawn):
        return
    give_consent(session, actor, case, share_group=latest.share_group if latest else True,
                 share_reviewers=share_reviewers,
                 exemplar=latest.exemplar if latest else False,
                 quote=latest.quote if latest else False,
                 withdrawn=bool(latest and latest.withdrawn and not share_reviewers))


def override(session, actor, case: CaseWork, reason: str) -> Submission:
    """An educator submits without every confirmation, with a recorded reason."""
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise Refused(_("Give the reason in a sentence (at least 10 characters)."))
    case = lock_case(session, case.id)
    if case.submitted_at is not None:
        raise Refused(_("This case is already submitted."), status=409)
    return _submit(session, case, reason=reason[:1000], by=actor)


def _submit(session, case: CaseWork, *, reason=None, by=None) -> Submission:
    words = CaseWords(session, case)
    held = words.hidden("reviewer")
    sections = {}
    for draft in session.scalars(select(SectionDraft).where(SectionDraft.case_work_id == case.id)):
        if draft.text and words.words_in(draft.section) & held:
            sections[draft.section] = {"withheld": True}
        else:
            sections[draft.section] = {"text": draft.text, "version": draft.version}
    ordered = {key: sections.get(key, {"text": ""}) for key in template.KEYS}
    moment = now()
    submission = Submission(case_work_id=case.id, assignment_id=case.assignment_id,
                            group_id=case.group_id, round=case.round, sections=ordered,
                            submitted_at=moment, override_reason=reason,
                            override_by_id=by.id if by else None)
    session.add(submission)
    try:
        session.flush()
    except IntegrityError:  # the caller's transaction rolls back
        raise Refused(_("This case has just been submitted by someone else."),
                      status=409) from None
    session.execute(update(CaseWork).where(CaseWork.id == case.id)
                    .values(submitted_at=moment).execution_options(synchronize_session=False))
    from webapp.review.group_work import carry

    carry(session, submission, case)
    return submission


def reopen(session, actor, case: CaseWork, config=None) -> None:
    """An educator reopens a submitted case; the earlier submission is kept as history.
    With ``config``, reviewers with an unfinished review of it are told it is not needed."""
    case = lock_case(session, case.id)
    if case.submitted_at is None:
        raise Refused(_("This case is not submitted, so there is nothing to reopen."))
    reopened = list(session.scalars(select(Submission.id).where(
        Submission.case_work_id == case.id, Submission.round == case.round)))
    session.execute(update(Submission).where(Submission.id.in_(reopened or [0]))
                    .values(reopened_at=now()))
    if config is not None:
        from webapp.review import notices

        notices.reopened(session, reopened, case.group.name, config)
    case.submitted_at = None
    case.ready_at = None
    case.round = case.round + 1
    session.flush()


def current_submission(session, case: CaseWork) -> Submission | None:
    return session.scalar(select(Submission).where(Submission.case_work_id == case.id)
                          .order_by(Submission.round.desc()).limit(1))


def share_reflection(session, actor, case: CaseWork, share: bool) -> bool:
    """Share part 9 of the handed-in case with the cohort (or stop); returns the new state.
    Refused when part 9 holds words a patient partner keeps from the cohort."""
    case = lock_case(session, case.id)
    rules.require(session, actor, case, "share")
    made = current_submission(session, case)
    if made is None:
        raise Refused(_("Part 9 can be shared with the cohort after the case is submitted."),
                      status=409)
    if share and CaseWords(session, case).submission(made, "cohort", None).get(
            "reflection", {}).get("withheld"):
        raise Refused(_("Part 9 was held back by a patient partner, so it is not shared."),
                      status=409)
    case.reflection_shared_at = now() if share else None
    session.flush()
    return share
