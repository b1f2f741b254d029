"""Everything the app holds that is tied to one person, as plain data for their own copy.

Anonymous module feedback is not here: it carries no account, so nothing can tie it back to
anyone (the copy says so). Other people's words are never included: a case part appears only
through the revisions this person wrote or told.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import or_, select

from webapp import localtime
from webapp.casework.visibility import CaseWords
from webapp.models import (
    Account,
    Assignment,
    CaseRead,
    CaseWork,
    Cohort,
    ConfidenceAnswer,
    Confirmation,
    ConsentRecord,
    Contribution,
    Group,
    GroupMember,
    KnowledgeCheckAttempt,
    LessonProgress,
    LogEntry,
    LoginSession,
    LogRevisit,
    Membership,
    ModuleVersionRow,
    PartnerAgreement,
    PaymentRecord,
    Programme,
    ResponseMarker,
    Review,
    SectionDraft,
    SectionRevision,
    Submission,
)


def _when(moment: datetime | None) -> str | None:
    return localtime.iso(moment) if moment else None


def _case_names(session, case_ids) -> dict[int, str]:
    rows = session.execute(
        select(CaseWork.id, Group.name, ModuleVersionRow.title, ModuleVersionRow.version)
        .join(Group, Group.id == CaseWork.group_id)
        .join(Assignment, Assignment.id == CaseWork.assignment_id)
        .join(ModuleVersionRow, ModuleVersionRow.id == Assignment.module_version_id)
        .where(CaseWork.id.in_(list(case_ids) or [0])))
    return {case_id: f"{title} {version} — {group}" for case_id, group, title, version in rows}


def _memberships(session, account_id: int) -> list[dict]:
    rows = session.execute(
        select(Membership.role, Membership.created_at, Programme.name, Cohort.name)
        .outerjoin(Programme, Programme.id == Membership.programme_id)
        .outerjoin(Cohort, Cohort.id == Membership.cohort_id)
        .where(Membership.account_id == account_id).order_by(Membership.created_at))
    groups = session.scalars(select(Group.name).join(
        GroupMember, GroupMember.group_id == Group.id).where(
        GroupMember.account_id == account_id)).all()
    return [{"role": role, "programme": programme, "cohort": cohort, "since": _when(since)}
            for role, since, programme, cohort in rows] + \
        [{"group": name} for name in groups]


def _words(session, account_id: int) -> list[dict]:
    """Revisions this person wrote, or told someone who typed them; never anyone else's.

    A version that also holds words someone else keeps from the group, or withdrew, is listed
    without its text (casework.visibility, as the case's history shows it to them)."""
    rows = session.execute(
        select(SectionRevision, SectionDraft.section, SectionDraft.case_work_id,
               CaseWork.assignment_id)
        .join(SectionDraft, SectionDraft.id == SectionRevision.draft_id)
        .join(CaseWork, CaseWork.id == SectionDraft.case_work_id)
        .where(or_(SectionRevision.account_id == account_id,
                   SectionRevision.told_by_id == account_id))
        .order_by(SectionDraft.case_work_id, SectionDraft.section, SectionRevision.version))
    rows = rows.all()
    names = _case_names(session, {case_id for _r, _s, case_id, _a in rows})
    readers = CaseWords.for_cases(session, [
        SimpleNamespace(id=case_id, assignment_id=assignment_id)
        for _r, _s, case_id, assignment_id in rows], "history")
    out = []
    for revision, section, case_id, _assignment_id in rows:
        shown = readers[case_id].visible(section, revision.version, "history", account_id)
        how = ("you told it; a group member typed it" if revision.told_by_id == account_id
               else "you restored an earlier version" if revision.restored_from
               else "you wrote it")
        out.append({"case": names.get(case_id), "part": section, "version": revision.version,
                    "how": how, "text": revision.text if shown else "",
                    "note": ("taken out at your request" if revision.text_removed
                             else "" if shown else
                             "not included: it also holds words someone else keeps to "
                             "themselves"),
                    "saved_at": _when(revision.created_at)})
    return out


def _reviews(session, account_id: int) -> list[dict]:
    rows = session.execute(
        select(Review, Group.name).join(Submission, Submission.id == Review.submission_id)
        .join(Group, Group.id == Submission.group_id)
        .where(Review.reviewer_id == account_id).order_by(Review.allocated_at))
    return [{"group": group, "lens": review.lens, "ratings": review.ratings,
             "comments": review.comments, "answer": review.answer,
             "name_shown_to_learners": review.show_name,
             "submitted_at": _when(review.submitted_at)} for review, group in rows]


def _consent(session, account_id: int) -> list[dict]:
    rows = session.scalars(select(ConsentRecord).where(ConsentRecord.account_id == account_id)
                           .order_by(ConsentRecord.created_at, ConsentRecord.id)).all()
    names = _case_names(session, {r.case_work_id for r in rows})
    return [{"case": names.get(r.case_work_id), "share_with_group": r.share_group,
             "share_with_reviewers": r.share_reviewers, "exemplar": r.exemplar,
             "quote": r.quote, "withdrew_words": r.withdrawn, "at": _when(r.created_at)}
            for r in rows]


def _learning(session, account_id: int) -> dict:
    lessons = session.execute(
        select(ModuleVersionRow.title, ModuleVersionRow.version, LessonProgress.lesson_id,
               LessonProgress.read_at)
        .join(ModuleVersionRow, ModuleVersionRow.id == LessonProgress.module_version_id)
        .where(LessonProgress.account_id == account_id))
    checks = session.execute(
        select(ModuleVersionRow.title, ModuleVersionRow.version, KnowledgeCheckAttempt)
        .join(ModuleVersionRow, ModuleVersionRow.id == KnowledgeCheckAttempt.module_version_id)
        .where(KnowledgeCheckAttempt.account_id == account_id)
        .order_by(KnowledgeCheckAttempt.id))
    confidence = session.scalars(select(ConfidenceAnswer).where(
        ConfidenceAnswer.account_id == account_id))
    return {
        "lessons_read": [{"module": f"{t} {v}", "lesson": lesson, "at": _when(at)}
                         for t, v, lesson, at in lessons],
        "knowledge_checks": [{"module": f"{t} {v}", "item": a.item_id,
                              "option": a.option_index, "right": a.correct,
                              "at": _when(a.at)} for t, v, a in checks],
        "confidence_then_now": [{"assignment": c.assignment_id, "answers": c.answers,
                                 "at": _when(c.created_at)} for c in confidence]}


def _agreements(session, aid: int) -> dict:
    agreements = session.scalars(select(PartnerAgreement).where(
        PartnerAgreement.account_id == aid).order_by(PartnerAgreement.offered_at)).all()
    payments = session.scalars(select(PaymentRecord).where(
        PaymentRecord.account_id == aid).order_by(PaymentRecord.paid_at)).all()
    return {
        "agreements": [{"cohort": a.cohort.name, "tasks": a.tasks, "fee": a.fee,
                        "travel": a.travel, "lost_income": a.lost_income,
                        "companion": a.companion, "state": a.state,
                        "declines_payment": a.declines_payment,
                        "offered_at": _when(a.offered_at), "accepted_at": _when(a.accepted_at)}
                       for a in agreements],
        "payments": [{"activity": p.activity, "date": p.on_date.date().isoformat(),
                      "minutes": p.minutes, "paid_at": _when(p.paid_at)} for p in payments],
    }


def _learning_log(session, aid: int) -> dict:
    """Every entry of the person's learning log, shared or not, and their answers when an
    entry came back."""
    entries = session.execute(
        select(LogEntry, ModuleVersionRow.title)
        .outerjoin(ModuleVersionRow, ModuleVersionRow.id == LogEntry.module_version_id)
        .where(LogEntry.account_id == aid).order_by(LogEntry.written_on, LogEntry.id)).all()
    answers = session.scalars(
        select(LogRevisit).join(LogEntry, LogEntry.id == LogRevisit.entry_id)
        .where(LogEntry.account_id == aid).order_by(LogRevisit.id)).all()
    return {
        "learning_log": [{"entry": e.id, "question": e.stage, "text": e.text,
                          "date": e.written_on.isoformat(), "module": title,
                          "written_from": e.place, "tags": e.tags or [],
                          "follows_entry": e.follows_id,
                          "come_back_on": e.come_back_on.isoformat() if e.come_back_on
                          else None,
                          "shared_with": e.shared_with, "shared_with_name": e.share_named,
                          "shared_at": _when(e.shared_at), "hidden_because": e.hidden_reason}
                         for e, title in entries],
        "learning_log_answers": [{"entry": a.entry_id, "answer": a.answer, "note": a.note,
                                  "date": a.on_day.isoformat()} for a in answers],
    }


def _notices(session, account: Account) -> dict:
    """What's new, the email choices, the learning platform accounts joined to this one, and
    the calendar links (never a link's token: only its hash is kept)."""
    from webapp.models import CalendarFeed, Notification
    from webapp.notices.kinds import choices_of, sentence

    rows = session.scalars(select(Notification).where(Notification.account_id == account.id)
                           .order_by(Notification.created_at, Notification.id)).all()
    from webapp.models import LtiIdentity, LtiPlatform

    platforms = session.execute(select(LtiPlatform.name, LtiIdentity.created_at).join(
        LtiIdentity, LtiIdentity.platform_id == LtiPlatform.id).where(
        LtiIdentity.account_id == account.id).order_by(LtiIdentity.id)).all()
    feeds = session.scalars(select(CalendarFeed).where(
        CalendarFeed.account_id == account.id).order_by(CalendarFeed.id)).all()
    return {
        "whats_new": [{"what": sentence(n.kind, n.what, n.params), "page": n.path,
                       "at": _when(n.created_at), "read_at": _when(n.read_at),
                       "emailed_at": _when(n.mailed_at)} for n in rows],
        "email_choices": choices_of(account),
        "learning_platform_accounts": [{"platform": name, "joined_at": _when(at)}
                                       for name, at in platforms],
        "calendar_links": [{"dates": "yours" if f.cohort_id is None else f"cohort {f.cohort_id}",
                            "made_at": _when(f.created_at)} for f in feeds],
    }


def collect(session, account: Account) -> dict:
    """The person's own data, grouped for reading."""
    aid = account.id
    contributions = session.scalars(select(Contribution).where(
        Contribution.account_id == aid).order_by(Contribution.on_date)).all()
    confirmations = session.scalars(select(Confirmation).where(
        Confirmation.account_id == aid)).all()
    reads = session.scalars(select(CaseRead).where(CaseRead.account_id == aid)
                            .order_by(CaseRead.read_at)).all()
    answered = session.scalar(select(ResponseMarker.id).where(
        ResponseMarker.account_id == aid).limit(1))
    sign_ins = session.scalars(select(LoginSession).where(LoginSession.account_id == aid)
                               .order_by(LoginSession.created_at)).all()
    case_names = _case_names(session, {c.case_work_id for c in confirmations}
                             | {r.case_work_id for r in reads})
    return {
        "account": {"email": account.email, "name": account.display_name,
                    "created_at": _when(account.created_at),
                    "joined_at": _when(account.joined_at), "site_admin": account.admin},
        "memberships": _memberships(session, aid),
        "your_words_in_cases": _words(session, aid),
        "consent_history": _consent(session, aid),
        "submission_confirmations": [{"case": case_names.get(c.case_work_id),
                                      "round": c.round, "at": _when(c.created_at)}
                                     for c in confirmations],
        "reviews_you_wrote": _reviews(session, aid),
        "contributions": [{"activity": c.activity, "date": c.on_date.date().isoformat(),
                           "minutes": c.minutes, "note": c.note,
                           "confirmed": c.confirmed_at is not None} for c in contributions],
        "agreements_and_payments": _agreements(session, aid),
        "learning": _learning(session, aid),
        **_learning_log(session, aid),
        "cases_you_read_as_staff": [{"case": case_names.get(r.case_work_id), "what": r.what,
                                     "at": _when(r.read_at)} for r in reads],
        "sign_ins": [{"at": _when(s.created_at), "method": s.method,
                      "last_seen": _when(s.last_seen_at)} for s in sign_ins],
        **_notices(session, account),
        "module_feedback": (
            "You answered the anonymous module feedback at least once. Those answers were "
            "stored without your name or account, so they cannot be found, copied or "
            "removed as yours." if answered else
            "You have not answered the anonymous module feedback."),
    }


def to_zip(data: dict, html: str) -> bytes:
    """``my-data.json`` (everything, machine-readable) and ``my-data.html`` (to read)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("my-data.html", html)
    return buffer.getvalue()
