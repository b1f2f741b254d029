"""Publishing checked content into the database: new versions in, changed ones refused."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from curriculum import model
from curriculum.loader import Tree
from curriculum.versions import parse_version
from webapp.models import GuideVersionRow, ModuleVersionRow, RubricVersionRow, SurveyVersionRow
from webapp.refusals import Refused


class PublishRefused(Refused):
    """Published content changed without a new version; nothing is loaded."""


@dataclass
class Outcome:
    added: int = 0
    unchanged: int = 0
    #: published rubric and survey versions whose translations were added or corrected
    translated: int = 0


def _rows(tree: Tree):
    for module in tree.modules:
        yield ModuleVersionRow, module.slug, module, {
            "title": module.title, "summary": module.summary, "minutes": module.minutes,
            "language": module.language}
    for guide in tree.guides:
        yield GuideVersionRow, guide.slug, guide, {
            "title": guide.title, "audience": " ".join(guide.audience),
            "language": guide.language}
    for rubric in tree.rubrics:
        yield RubricVersionRow, rubric.id, rubric, {"title": rubric.title, "lens": rubric.lens,
                                                    "translated": model.translated_hashes(rubric)}
    for survey in tree.surveys:
        yield SurveyVersionRow, survey.id, survey, {
            "title": survey.title, "translated": model.translated_hashes(survey)}


def publish(session, tree: Tree) -> Outcome:
    """Insert every version not yet published; flush, never commit.

    The same version with the same hash is left alone, except that a rubric's or survey's
    new or corrected translation is loaded beside it (its English, ids and keys are
    unchanged, so nothing already answered changes meaning). The same version with a
    different hash is refused — all such refusals are collected and raised together, and
    the caller rolls back, so a failed load leaves the database as it was. An edition is
    linked to the version it is an edition of.
    """
    outcome, refusals = Outcome(), []
    for row_type, slug, content, columns in _rows(tree):
        existing = session.scalar(
            select(row_type).where(row_type.slug == slug, row_type.version == content.version))
        if existing is not None:
            if existing.content_hash != content.content_hash:
                refusals.append(_("%(id)s: content of %(version)s changed: bump the version "
                                  "(copy the folder to a new version and edit the copy)",
                                  id=slug, version=content.version))
            elif getattr(existing, "translated", None) not in (None, columns.get("translated")):
                existing.translated = columns["translated"]
                existing.payload = model.to_data(content)
                outcome.translated += 1
            else:
                outcome.unchanged += 1
            continue
        major, minor, patch = parse_version(content.version)
        session.add(row_type(slug=slug, version=content.version, major=major, minor=minor,
                             patch=patch, content_hash=content.content_hash,
                             payload=model.to_data(content), **columns))
        outcome.added += 1
    if refusals:
        raise PublishRefused("\n".join(refusals))
    session.flush()
    _link_editions(session, tree)
    return outcome


def _link_editions(session, tree: Tree) -> None:
    """Point each edition's row at the row of the version it is an edition of (checked to
    be in the same tree, so published by now)."""
    for module in tree.modules:
        if not module.edition_of:
            continue
        slug, version = module.edition_of
        source_id = session.scalar(select(ModuleVersionRow.id).where(
            ModuleVersionRow.slug == slug, ModuleVersionRow.version == version))
        row = session.scalar(select(ModuleVersionRow).where(
            ModuleVersionRow.slug == module.slug, ModuleVersionRow.version == module.version))
        if row.edition_of_id != source_id:
            row.edition_of_id = source_id
    session.flush()
