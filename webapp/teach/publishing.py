"""Publishing checked content into the database: new versions in, changed ones refused."""

from __future__ import annotations

from dataclasses import dataclass

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
        yield RubricVersionRow, rubric.id, rubric, {"title": rubric.title, "lens": rubric.lens}
    for survey in tree.surveys:
        yield SurveyVersionRow, survey.id, survey, {"title": survey.title}


def publish(session, tree: Tree) -> Outcome:
    """Insert every version not yet published; flush, never commit.

    The same version with the same hash is left alone. The same version with a different
    hash is refused — all such refusals are collected and raised together, and the caller
    rolls back, so a failed load leaves the database as it was.
    """
    outcome, refusals = Outcome(), []
    for row_type, slug, content, columns in _rows(tree):
        existing = session.scalar(
            select(row_type).where(row_type.slug == slug, row_type.version == content.version))
        if existing is not None:
            if existing.content_hash == content.content_hash:
                outcome.unchanged += 1
            else:
                refusals.append(f"{slug}: content of {content.version} changed: bump the "
                                f"version (copy the folder to a new version and edit the copy)")
            continue
        major, minor, patch = parse_version(content.version)
        session.add(row_type(slug=slug, version=content.version, major=major, minor=minor,
                             patch=patch, content_hash=content.content_hash,
                             payload=model.to_data(content), **columns))
        outcome.added += 1
    if refusals:
        raise PublishRefused("\n".join(refusals))
    session.flush()
    return outcome
