"""``coproduce retention``: list, then remove, what programmes keep no longer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.extensions import db

LABELS = {"section_draft": _l("parts' current text"), "section_revision": _l("saved revisions"),
          "submission": _l("handed-in copies"), "case_work": _l("working agreements"),
          "group_response": _l("responses to feedback (with revised part 9)"),
          "contribution": _l("notes on time given"),
          "review": _l("reviews"), "feedback_comment": _l("feedback comments"),
          "log_entry": _l("learning log entries")}


@click.command("retention")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
def retention(dry_run: bool):
    """Remove case text, reviews and feedback comments that closed cohorts keep no longer
    (each programme's settings). With --dry-run, only list them."""
    from webapp.clock import now
    from webapp.people import retention as rules

    dues = rules.plan(db.session, now())
    if not dues:
        click.echo(_("Nothing is past its keeping time."))
        return
    for due in dues:
        parts = ", ".join(f"{len(ids)} {LABELS[table]}" for table, ids in due.rows.items()
                          if ids)
        click.echo(f"{due.programme} / {due.cohort}: {parts}")
    total = sum(due.total for due in dues)
    if dry_run:
        click.echo(_("Dry run: %(n)d row(s) would be emptied or removed; nothing changed.",
                     n=total))
        return
    changed = rules.apply(db.session, dues)
    db.session.commit()
    click.echo(_("Removed: %(n)d row(s) emptied or deleted.", n=changed))
