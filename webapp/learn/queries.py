"""Read models for the module catalogue, reader, checks and guides."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import undefer

from curriculum import versions
from webapp import language
from webapp.models import GuideVersionRow, KnowledgeCheckAttempt, LessonProgress, ModuleVersionRow
from webapp.refusals import NotFound


@dataclass
class CatalogueEntry:
    slug: str
    latest: ModuleVersionRow
    versions: list[str] = field(default_factory=list)


def catalogue(session) -> list[CatalogueEntry]:
    """Every module with its newest version first, in one query."""
    rows = session.scalars(select(ModuleVersionRow).order_by(
        ModuleVersionRow.slug, ModuleVersionRow.major.desc(), ModuleVersionRow.minor.desc(),
        ModuleVersionRow.patch.desc())).all()
    entries: dict[str, CatalogueEntry] = {}
    for row in rows:
        entry = entries.setdefault(row.slug, CatalogueEntry(row.slug, row))
        entry.versions.append(row.version)
    return sorted(entries.values(), key=lambda e: e.latest.title)


def module_row(session, slug: str, version: str) -> ModuleVersionRow:
    row = session.scalar(select(ModuleVersionRow).where(
        ModuleVersionRow.slug == slug, ModuleVersionRow.version == version))
    if row is None:
        raise NotFound(_("There is no version %(version)s of this module.", version=version))
    return row


def module_versions(session, slug: str) -> list[ModuleVersionRow]:
    """Every version of a module, oldest first, with the payloads (``replaced`` and the
    comparison read them)."""
    rows = session.scalars(select(ModuleVersionRow).options(undefer(ModuleVersionRow.payload))
                           .where(ModuleVersionRow.slug == slug)
                           .order_by(ModuleVersionRow.major, ModuleVersionRow.minor,
                                     ModuleVersionRow.patch)).all()
    if not rows:
        raise NotFound(_("There is no such module."))
    return list(rows)


def replaced(rows) -> dict[tuple[str, str], versions.Superseded]:
    """(slug, version) → the newer version that replaces it for new use, from the rows'
    ``supersedes`` (the rows must include the newer versions)."""
    def payload(row) -> dict:
        return row.payload if isinstance(row.payload, dict) else {}
    return versions.superseded([(row.slug, row.version, tuple(payload(row).get("supersedes", ())),
                                 payload(row).get("superseded_because", "")) for row in rows])


def lessons_read(session, account_id: int, module_version_id: int) -> set[str]:
    return set(session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.account_id == account_id,
        LessonProgress.module_version_id == module_version_id)))


def check_history(session, account_id: int, module_version_id: int) -> dict[str, tuple[int, bool]]:
    """item id → (number of tries, ever answered correctly), in one grouped query."""
    rows = session.execute(
        select(KnowledgeCheckAttempt.item_id, func.count(KnowledgeCheckAttempt.id),
               func.max(case((KnowledgeCheckAttempt.correct, 1), else_=0)))
        .where(KnowledgeCheckAttempt.account_id == account_id,
               KnowledgeCheckAttempt.module_version_id == module_version_id)
        .group_by(KnowledgeCheckAttempt.item_id)).all()
    return {item: (tries, bool(ever)) for item, tries, ever in rows}


def latest_guides(session) -> list[GuideVersionRow]:
    """The newest version of each guide."""
    rows = session.scalars(select(GuideVersionRow).order_by(
        GuideVersionRow.slug, GuideVersionRow.major.desc(), GuideVersionRow.minor.desc(),
        GuideVersionRow.patch.desc())).all()
    newest: dict[str, GuideVersionRow] = {}
    for row in rows:
        newest.setdefault(row.slug, row)
    # those in the reader's language first, then the others
    here = language.current()
    return sorted(newest.values(), key=lambda r: (r.language != here, r.title))
