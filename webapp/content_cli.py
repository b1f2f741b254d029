"""``coproduce content check|load|diff``: course content from files into the app."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from curriculum.loader import find_root, load_tree


@click.group("content")
def content():
    """Check, load and compare course content (content/ and assessments/)."""


def _tree(path: str):
    target = Path(path).resolve()
    if not target.exists():
        raise click.BadParameter(_("%(path)s does not exist", path=path), param_hint="PATH")
    root = find_root(target)
    if root is None:
        raise click.BadParameter(_("%(path)s is not inside a folder with content/ or "
                                   "assessments/", path=path), param_hint="PATH")
    tree = load_tree(root)
    return target, root, tree


def _under(problem, root: Path, target: Path) -> bool:
    return target == root or (root / problem.path).resolve().is_relative_to(target)


def report_problems(tree, root: Path, target: Path) -> int:
    """Print errors then warnings (only those under ``target``); returns the error count."""
    errors = [p for p in tree.report.errors if _under(p, root, target)]
    warnings = [p for p in tree.report.warnings if _under(p, root, target)]
    for problem in errors:
        click.echo(_("error: %(problem)s", problem=problem))
    for problem in warnings:
        click.echo(_("warning: %(problem)s", problem=problem))
    return len(errors)


def _summary(tree) -> str:
    return _("%(modules)d module versions, %(guides)d guide versions, %(rubrics)d rubric "
             "versions, %(surveys)d survey versions", modules=len(tree.modules),
             guides=len(tree.guides), rubrics=len(tree.rubrics), surveys=len(tree.surveys))


def _first_line(error: Exception) -> str:
    cause = error.orig if isinstance(error, DBAPIError) else error
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]


@content.command("check")
@click.argument("path", default=".", type=click.Path(file_okay=False))
def check(path: str):
    """Check the content under PATH and report every problem (exit 1 on any error)."""
    target, root, tree = _tree(path)
    errors = report_problems(tree, root, target)
    warnings = sum(1 for p in tree.report.warnings if _under(p, root, target))
    if errors:
        click.echo(_("%(errors)d error(s), %(warnings)d warning(s): fix the errors and check "
                     "again.", errors=errors, warnings=warnings))
        raise SystemExit(1)
    click.echo(_("Content OK: %(summary)s; %(warnings)d warning(s).", summary=_summary(tree),
                 warnings=warnings))


@content.command("load")
@click.argument("path", default=".", type=click.Path(file_okay=False))
@with_appcontext
def load(path: str):
    """Publish the content under PATH into the database (all or nothing)."""
    from webapp.extensions import db
    from webapp.teach import publishing

    target, root, tree = _tree(path)
    if report_problems(tree, root, target):
        click.echo(_("Nothing was loaded: fix the errors above first."))
        raise SystemExit(1)
    try:
        outcome = publishing.publish(db.session, tree)
        db.session.commit()
    except publishing.PublishRefused as refusal:
        db.session.rollback()
        click.echo(_("error: %(problem)s", problem=refusal))
        click.echo(_("Nothing was loaded."))
        raise SystemExit(1) from None
    except (SQLAlchemyError, OverflowError, ValueError) as refusal:
        # A limit `content check` does not know yet: say so in one line, change nothing.
        db.session.rollback()
        click.echo(_("error: the database refused this content (%(why)s). Nothing was "
                     "loaded. Run `coproduce content check` and report this message if it "
                     "finds nothing.", why=_first_line(refusal)))
        raise SystemExit(1) from None
    if outcome.translated:
        click.echo(_("Content loaded: %(added)d new version(s), %(unchanged)d unchanged, "
                     "%(translated)d with new or corrected translations.", added=outcome.added,
                     unchanged=outcome.unchanged, translated=outcome.translated))
    else:
        click.echo(_("Content loaded: %(added)d new version(s), %(unchanged)d unchanged.",
                     added=outcome.added, unchanged=outcome.unchanged))
