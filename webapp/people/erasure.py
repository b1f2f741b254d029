"""Erasing an account, on the person's own request or an admin's, in one transaction.

What happens (docs/privacy.md says the same in plain words):
- Personal details go: the email and name are replaced, the password and every sign-in,
  link, invitation and queued mail to the address are removed, and the account is closed.
- Roles, groups, recorded time, reading and check progress, confidence answers and the
  "has answered" markers are deleted. Anonymous feedback is untouched: nothing ties it to
  anyone, so nothing is re-identified.
- Words in group cases: every version they wrote in their own words or told is emptied
  (words a patient partner told them, which they typed, stay: they belong to the teller).
  In a case not yet handed in, parts only they wrote are emptied too. In a handed-in case
  (an assessment record) their parts stay, shown as "a former group member", unless they
  are a patient partner whose consent did not let reviewers read them: then their words are
  withdrawn (casework.operations.take_back_words). A patient partner's words are withdrawn
  from exemplars and quotes everywhere.
- Reviews they submitted stay, attributed to "a former reviewer"; reviews not yet submitted
  are taken back so they can be given to someone else.
- The audit trail keeps an "account erased" event and loses the email from older events.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from webapp import audit
from webapp.casework import operations as work
from webapp.casework.visibility import CaseWords
from webapp.models import (
    Account,
    AuditEvent,
    CaseWork,
    ConfidenceAnswer,
    Contribution,
    GroupMember,
    Invitation,
    KnowledgeCheckAttempt,
    LessonProgress,
    LogEntry,
    LoginSession,
    Membership,
    OneTimeLink,
    Outbox,
    ResponseMarker,
    Review,
    ReviewerCapacity,
    SectionDraft,
    SectionRevision,
    SignInFailure,
    Submission,
)
from webapp.refusals import Refused
from webapp.roles import PATIENT_PARTNER
from webapp.teach import agreements

FORMER_MEMBER = "A former group member"




def _cases(session, account_id: int) -> list[CaseWork]:
    """Cases holding revisions this person wrote or told."""
    ids = session.scalars(
        select(SectionDraft.case_work_id).join(SectionRevision,
                                               SectionRevision.draft_id == SectionDraft.id)
        .where(or_(SectionRevision.account_id == account_id,
                   SectionRevision.told_by_id == account_id)).distinct()).all()
    return list(session.scalars(select(CaseWork).where(CaseWork.id.in_(ids or [0]))))


def _handle_words(session, account: Account, patient: bool) -> dict:
    counts = {"cases": 0, "withheld": 0}
    for case in _cases(session, account.id):
        counts["cases"] += 1
        submitted = session.scalar(select(Submission).where(
            Submission.case_work_id == case.id, Submission.reopened_at.is_(None))
            .order_by(Submission.id.desc()).limit(1))
        latest = work.current_consent(session, case.id, account.id) if patient else None
        if patient and not (submitted is not None and latest and latest.share_reviewers
                            and not latest.withdrawn):
            work.take_back_words(session, account, work.lock_case(session, case.id))
            counts["withheld"] += submitted is not None
        elif patient:
            work.give_consent(session, account, case, share_group=latest.share_group,
                              share_reviewers=True, exemplar=False, quote=False)
        elif submitted is None:
            _empty_own_parts(session, account.id, case)
    own_words = or_(SectionRevision.told_by_id == account.id,
                    (SectionRevision.account_id == account.id)
                    & SectionRevision.told_by_id.is_(None)
                    & SectionRevision.restored_from.is_(None))
    session.execute(update(SectionRevision).where(own_words, SectionRevision.text != "")
                    .values(text="", text_removed=True)
                    .execution_options(synchronize_session=False))
    return counts


def _empty_own_parts(session, account_id: int, case: CaseWork) -> None:
    """Before hand-in, a part whose text holds only this person's words is emptied."""
    words = CaseWords(session, case)
    for draft in session.scalars(select(SectionDraft).where(
            SectionDraft.case_work_id == case.id)):
        if draft.text and words.words_in(draft.section) == {account_id}:
            draft.text, draft.version = "", draft.version + 1


def _remove_links(session, account: Account) -> None:
    aid, key = account.id, account.email_key
    # Agreements and payment records stay for bookkeeping, without the person.
    agreements.detach(session, aid)
    # Every learning log entry goes, shared ones included (their answers go with them).
    for model in (Membership, LoginSession, OneTimeLink, Contribution, ConfidenceAnswer,
                  KnowledgeCheckAttempt, LessonProgress, ResponseMarker, ReviewerCapacity,
                  LogEntry):
        session.execute(delete(model).where(model.account_id == aid)
                        .execution_options(synchronize_session=False))
    session.execute(delete(GroupMember).where(GroupMember.account_id == aid)
                    .execution_options(synchronize_session=False))
    session.execute(delete(Invitation).where(Invitation.email.ilike(account.email))
                    .execution_options(synchronize_session=False))
    session.execute(delete(Outbox).where(Outbox.to_address.ilike(account.email))
                    .execution_options(synchronize_session=False))
    session.execute(delete(SignInFailure).where(SignInFailure.email_key == key)
                    .execution_options(synchronize_session=False))
    session.execute(delete(Review).where(Review.reviewer_id == aid,
                                         Review.submitted_at.is_(None))
                    .execution_options(synchronize_session=False))
    session.execute(update(Review).where(Review.reviewer_id == aid)
                    .values(reviewer_id=None, show_name=False)
                    .execution_options(synchronize_session=False))
    for event in session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "sign_in_failed")):
        if event.detail.get("email") == key:
            event.detail = dict(event.detail, email="(erased)")


def erase(session, actor: Account, account: Account) -> dict:
    """Erase ``account`` (see the module docstring) inside the caller's transaction
    (``webapp.transactions.run``). Returns counts."""
    if account.email_key.endswith("@erased.invalid"):
        raise Refused(_("This account has already been erased."))
    if account.admin and not session.scalar(select(Account.id).where(
            Account.admin.is_(True), Account.active.is_(True), Account.id != account.id)
            .limit(1)):
        raise Refused(_("This is the only site administrator. Make someone else an "
                        "administrator first."))
    patient = bool(session.scalar(select(Membership.id).where(
        Membership.account_id == account.id, Membership.role == PATIENT_PARTNER).limit(1)))
    counts = _handle_words(session, account, patient)
    _remove_links(session, account)
    account.email = account.email_key = f"erased-{account.id}@erased.invalid"
    account.display_name = FORMER_MEMBER
    account.password_hash, account.active, account.admin = None, False, False
    audit.record(session, "erasure", actor_id=actor.id if actor.id != account.id else None,
                 subject_id=account.id, by="themselves" if actor.id == account.id
                 else "an administrator", **counts)
    session.flush()
    return counts
