"""Translations of rubrics and surveys: ``<version>.<language>.toml`` beside a version, with
its ids, keys and structure and other words (docs/content-authoring.md)."""

from __future__ import annotations

from pathlib import Path

from curriculum import template
from curriculum.model import Rubric, to_data
from curriculum.source import Report, Source
from curriculum.versions import parse_version, version_key
from curriculum.words import _


def split(root: Path, item_dir: Path, report: Report) -> tuple[list[Path], list[Path]]:
    """``<version>.toml`` files (the versions, oldest first) and ``<version>.<language>.toml``
    files (their translations); any other name is an error."""
    files, translations = [], []
    for file in sorted(item_dir.glob("*.toml")):
        head, _dot, tail = file.stem.rpartition(".")
        if parse_version(file.stem) is not None:
            files.append(file)
        elif parse_version(head) is not None and tail in template.LANGUAGES and tail != "en":
            translations.append(file)
        else:
            Source(root, file, report).error(
                1, _("'%(file)s' is neither a version nor a translation of one",
                     file=file.name),
                _("name it <version>.toml, or <version>.sv.toml for its Swedish text"))
    return sorted(files, key=lambda f: version_key(f.stem)), translations


def attach(root: Path, loader, translations: list[Path], out: list, report: Report) -> None:
    """Check each translation against the version it translates, and keep it with that
    version (``translations[language]``): same ids, keys and structure, other words."""
    for file in translations:
        version, _dot, language = file.stem.rpartition(".")
        src = Source(root, file, report)
        base = next((v for v in out if v.version == version
                     and v.id == file.parent.name), None)
        if base is None:
            src.error(1, _("translates version %(version)s, which did not load", version=version),
                      _("add %(version)s.toml beside it, or fix its errors first",
                        version=version))
            continue
        translated = loader(root, file, report, newest=False, language=language)
        if translated is None:
            continue
        differs = shape(base) != shape(translated)
        if differs:
            src.error(1, _("the '%(language)s' text of %(id)s %(version)s does not have the same "
                            "ids, keys and structure as the English", language=language,
                            id=base.id, version=version),
                      _("translate only the words: keep every id, key, level, theme, section, "
                        "respondent, kind and rating exactly as in %(version)s.toml",
                        version=version))
            continue
        data = to_data(translated)
        data.pop("translations", None)
        base.translations[language] = data


def shape(content) -> tuple:
    """Everything of a rubric or survey version except its words."""
    if isinstance(content, Rubric):
        return (content.id, content.version, content.lens,
                tuple(level.key for level in content.levels),
                tuple((c.id, c.theme, c.sections, tuple(c.descriptors)) for c in content.criteria),
                tuple((e.id, tuple(e.case), tuple((r.criterion, r.level) for r in e.ratings),
                       tuple((a.role, a.date) for a in e.agreed)) for e in content.exemplars))
    return (content.id, content.version, len(content.scale),
            tuple((i.id, i.theme, i.respondent, i.kind) for i in content.items))
