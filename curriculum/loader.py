"""Content files → model objects, with every problem reported as ``file:line``.

A content tree has::

    content/<module>/<version>/module.toml, case.toml, checks.toml, lessons/*.md
    content/guides/<guide>/<version>/guide.toml, pages/*.md
    assessments/rubrics/<id>/<version>.toml
    assessments/surveys/<id>/<version>.toml

``load_tree`` reads all of it, checks it (docs/content-authoring.md lists the rules) and
returns what loaded plus the problems. Nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from curriculum import assessment_loader, guide_loader, module_loader
from curriculum.model import Guide, ModuleVersion, Rubric, Survey
from curriculum.source import Report
from curriculum.versions import version_key
from curriculum.words import _


@dataclass
class Tree:
    root: Path
    modules: list[ModuleVersion] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    rubrics: list[Rubric] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def summary(self) -> str:
        return (f"{len(self.modules)} module versions, {len(self.guides)} guide versions, "
                f"{len(self.rubrics)} rubric versions, {len(self.surveys)} survey versions")


def find_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding ``content/`` or ``assessments/``."""
    path = path.resolve()
    for candidate in [path, *path.parents]:
        if (candidate / "content").is_dir() or (candidate / "assessments").is_dir():
            return candidate
    return None


def load_tree(root: Path) -> Tree:
    """Load and check everything under ``root``; problems are in ``tree.report``."""
    tree = Tree(root=root)
    report = tree.report
    tree.rubrics, tree.surveys = assessment_loader.load_assessments(root, report)
    criteria = report.declared_criteria
    content = root / "content"
    if content.is_dir():
        for module_dir in sorted(p for p in content.iterdir() if p.is_dir()):
            if module_dir.name == "guides":
                for guide_dir in sorted(p for p in module_dir.iterdir() if p.is_dir()):
                    for version_dir in _versions(guide_dir):
                        guide = guide_loader.load_guide(root, version_dir, report)
                        if guide:
                            tree.guides.append(guide)
                continue
            found = _versions(module_dir)
            newest = max(found, key=lambda p: version_key(p.name)) if found else None
            for version_dir in found:
                module = module_loader.load_module(root, version_dir, report, criteria,
                                                   newest=version_dir == newest)
                if module:
                    tree.modules.append(module)
    check_editions(tree)
    if not tree.modules and not tree.guides and not tree.rubrics and not tree.surveys:
        report.error(str(root), 1, _("no content found"),
                     _("point at a folder with content/ or assessments/ in it"))
    return tree


def _pooled_shape(module: ModuleVersion) -> tuple:
    """What must match for two editions' figures to be pooled: the objectives with their
    rubric criteria, and the knowledge-check items with their objectives."""
    return (tuple(sorted((o.id, o.rubric_criteria) for o in module.objectives)),
            tuple(sorted((c.id, c.objective, len(c.options)) for c in module.checks)))


def check_editions(tree: Tree) -> None:
    """An edition names a module version in this content, in another language, that is no
    edition itself, with the same objectives and knowledge-check items; a failing edition is
    left out of the tree."""
    by_key = {(m.slug, m.version): m for m in tree.modules}
    kept = []
    for module in tree.modules:
        problem = None
        if module.edition_of:
            source = by_key.get(tuple(module.edition_of))
            name = " ".join(module.edition_of)
            if source is None:
                problem = (_("edition_of names %(name)s, which is not in this content",
                             name=name),
                           _("load or check it together with the module it is an edition of"))
            elif source.edition_of:
                problem = (_("%(name)s is itself an edition", name=name),
                           _("name the version it is an edition of instead"))
            elif source.language == module.language:
                problem = (_("%(name)s is in the same language ('%(language)s')", name=name,
                             language=module.language),
                           _("an edition is in another language; for the same language, "
                             "write a new version of that module"))
            elif _pooled_shape(source) != _pooled_shape(module):
                problem = (_("the objectives or knowledge checks differ from %(name)s",
                             name=name),
                           _("keep every objective id, its rubric_criteria, and every check "
                             "item's id, objective and number of answers as in %(name)s",
                             name=name))
        if problem:
            tree.report.error(f"content/{module.slug}/{module.version}/module.toml", 1, *problem)
        else:
            kept.append(module)
    tree.modules = kept


def _versions(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
