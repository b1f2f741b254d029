"""The curriculum review log ("you said, we did"): findings linked to the evidence that
prompted them and to the module version that carries the change. No names go in."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import or_, select

from webapp.models import (
    Account,
    Assignment,
    Cohort,
    FeedbackComment,
    Membership,
    ModuleVersionRow,
    ReviewLogEntry,
)
from webapp.reports.operations import Refused

MAX_TEXT = 2_000
MAX_SUMMARY = 600
MAX_EVIDENCE = 20


def versions_taken(session, programme_id: int) -> list[ModuleVersionRow]:
    taken = (select(Assignment.module_version_id)
             .join(Cohort, Cohort.id == Assignment.cohort_id)
             .where(Cohort.programme_id == programme_id))
    return list(session.scalars(
        select(ModuleVersionRow).where(ModuleVersionRow.id.in_(taken))
        .order_by(ModuleVersionRow.title, ModuleVersionRow.major, ModuleVersionRow.minor,
                  ModuleVersionRow.patch)))


def later_versions(session, about: ModuleVersionRow) -> list[ModuleVersionRow]:
    rows = session.scalars(select(ModuleVersionRow).where(ModuleVersionRow.slug == about.slug))
    key = (about.major, about.minor, about.patch)
    return sorted((r for r in rows if (r.major, r.minor, r.patch) > key),
                  key=lambda r: (r.major, r.minor, r.patch))


def screened_comments(session, programme_id: int, about_id: int, k: int) -> list[FeedbackComment]:
    """Screened comments on a version, from respondent types whose pooled cell is shown in
    the reports (the same rule as the report pages: free text only where its cell meets k)."""
    from curriculum.aggregate import publish
    from webapp.reports.figures import survey_cells

    pooled = publish(survey_cells(session, programme_id, [about_id]), k).pooled
    shown = [kind for (mv, kind), cell in pooled.items() if cell.shown]
    return list(session.scalars(
        select(FeedbackComment).join(Cohort, Cohort.id == FeedbackComment.cohort_id)
        .where(Cohort.programme_id == programme_id, FeedbackComment.status == "approved",
               FeedbackComment.module_version_id == about_id,
               FeedbackComment.respondent.in_(shown))
        .order_by(FeedbackComment.item, FeedbackComment.text)))


def _names_in_programme(session, programme_id: int) -> list[str]:
    cohorts = select(Cohort.id).where(Cohort.programme_id == programme_id)
    names = session.scalars(
        select(Account.display_name).join(Membership, Membership.account_id == Account.id)
        .where(or_(Membership.programme_id == programme_id,
                   Membership.cohort_id.in_(cohorts))).distinct())
    return [n for n in names if n and len(n.strip()) >= 3]


def _text(form, name: str, label: str, limit: int, required: bool = True) -> str:
    value = (form.get(name) or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise Refused(_("Fill in “%(field)s”.", field=label))
    if len(value) > limit:
        raise Refused(_("“%(field)s” has at most %(n)d characters.", field=label, n=limit))
    return value


def record(session, actor, programme, form: dict, k: int) -> ReviewLogEntry:
    """Check and add one entry; the caller commits. Refuses names of the programme's people.
    ``form``: the typed values by field name (plain strings; ``comment`` a list of ids)."""
    about = session.get(ModuleVersionRow, _int(form.get("about")))
    if about is None or about.id not in {v.id for v in versions_taken(session, programme.id)}:
        raise Refused(_("Choose the module version the finding is about."))
    finding = _text(form, "finding", _("What we found"), MAX_TEXT)
    decision = _text(form, "decision", _("What we decided"), MAX_TEXT)
    summary = _text(form, "summary", _("Summary for learners"), MAX_SUMMARY)
    evidence = []
    for line in _text(form, "figures", _("Report figures"), MAX_TEXT, False).splitlines():
        if line.strip():
            evidence.append({"kind": "figure", "text": line.strip()})
    comments = {c.id: c for c in screened_comments(session, programme.id, about.id, k)}
    chosen = form.get("comment") or []
    for comment_id in [chosen] if isinstance(chosen, str) else chosen:
        if comment_id not in comments:
            raise Refused(_("A chosen comment is not a screened comment on this version."))
        evidence.append({"kind": "comment", "text": comments[comment_id].text})
    for line in _text(form, "debrief", _("Debrief themes"), MAX_TEXT, False).splitlines():
        if line.strip():
            evidence.append({"kind": "debrief", "text": line.strip()})
    if len(evidence) > MAX_EVIDENCE:
        raise Refused(_("Link at most %(n)d pieces of evidence.", n=MAX_EVIDENCE))
    carried_raw = form.get("carried_by") or ""
    carried = None
    if carried_raw:
        carried = session.get(ModuleVersionRow, _int(carried_raw))
        if carried is None or carried not in later_versions(session, about):
            raise Refused(_("The change must be carried by a later version of the same "
                            "module, or by a version still to come."))
    typed = " ".join([finding, decision, summary] + [e["text"] for e in evidence]).casefold()
    named = [n for n in _names_in_programme(session, programme.id)
             if re.search(rf"\b{re.escape(n.casefold())}\b", typed)]
    if named:
        raise Refused(_("The log holds no names. Remove the name of a person in this "
                        "programme (%(name)s) and describe the theme instead.", name=named[0]))
    entry = ReviewLogEntry(programme_id=programme.id, module_slug=about.slug,
                           about_version_id=about.id, carried_by_id=carried.id if carried
                           else None, finding=finding, evidence=evidence, decision=decision,
                           summary=summary, created_by_id=actor.id)
    session.add(entry)
    session.flush()
    return entry


def _int(raw) -> int:
    try:
        value = int(str(raw or "").strip())
    except ValueError:
        return 0
    return value if 0 < value < 2**31 else 0


def summaries_for(session, account, version: ModuleVersionRow) -> list[ReviewLogEntry]:
    """Entries carried by this version in the programmes the reader belongs to."""
    query = select(ReviewLogEntry).where(ReviewLogEntry.carried_by_id == version.id)
    if not account.admin:
        cohort_programmes = select(Cohort.programme_id).join(
            Membership, Membership.cohort_id == Cohort.id).where(
            Membership.account_id == account.id)
        own = select(Membership.programme_id).where(Membership.account_id == account.id,
                                                    Membership.programme_id.is_not(None))
        query = query.where(or_(ReviewLogEntry.programme_id.in_(cohort_programmes),
                                ReviewLogEntry.programme_id.in_(own)))
    return list(session.scalars(query.order_by(ReviewLogEntry.created_at)))
