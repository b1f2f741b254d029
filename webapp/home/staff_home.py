"""The programme lead's (and educator's) view from home: each programme's modules, the newest
version in use, how many cohorts have reported, and a direct link to each module report."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from webapp.clock import now
from webapp.models import Assignment, Cohort, Membership, ModuleVersionRow, Programme


@dataclass
class ModuleLine:
    title: str
    version: str
    version_id: int
    cohorts: int = 0  # cohorts that have this module
    reported: int = 0  # of which their reviews are due, so their figures are in the report


@dataclass
class ProgrammeModules:
    programme_id: int
    name: str
    modules: list[ModuleLine] = field(default_factory=list)


def programme_modules(session, account) -> list[ProgrammeModules]:
    """One entry per programme the person leads or teaches (two queries in all)."""
    if not account.is_authenticated:
        return []
    programmes = session.execute(
        select(Programme.id, Programme.name).join(
            Membership, Membership.programme_id == Programme.id)
        .where(Membership.account_id == account.id, Membership.role.in_(("lead", "educator")))
        .distinct().order_by(Programme.name)).all()
    if not programmes:
        return []
    out = {pid: ProgrammeModules(pid, name) for pid, name in programmes}
    rows = session.execute(
        select(Cohort.programme_id, Cohort.id, ModuleVersionRow.slug, ModuleVersionRow.title,
               ModuleVersionRow.version, ModuleVersionRow.id, ModuleVersionRow.major,
               ModuleVersionRow.minor, ModuleVersionRow.patch, Assignment.review_due_at)
        .join(Assignment, Assignment.cohort_id == Cohort.id)
        .join(ModuleVersionRow, ModuleVersionRow.id == Assignment.module_version_id)
        .where(Cohort.programme_id.in_(list(out)))).all()
    moment = now()
    newest: dict[tuple[int, str], tuple] = {}
    cohorts: dict[tuple[int, str], set] = {}
    reported: dict[tuple[int, str], set] = {}
    for pid, cohort_id, slug, title, version, vid, major, minor, patch, review_due in rows:
        key = (pid, slug)
        if key not in newest or (major, minor, patch) > newest[key][0]:
            newest[key] = ((major, minor, patch), title, version, vid)
        cohorts.setdefault(key, set()).add(cohort_id)
        if review_due <= moment:
            reported.setdefault(key, set()).add(cohort_id)
    for (pid, _slug), (_order, title, version, vid) in sorted(
            newest.items(), key=lambda item: item[1][1]):
        out[pid].modules.append(ModuleLine(title, version, vid, len(cohorts[(pid, _slug)]),
                                           len(reported.get((pid, _slug), ()))))
    return list(out.values())
