"""``coproduce retention``: list, then remove, what programmes keep no longer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.extensions import db

LABELS = {"section_draft": "parts' current text", "section_revision": "saved revisions",
          "submission": "handed-in copies", "case_work": "working agreements",
          "group_response": "responses to feedback (with revised part 9)",
          "contribution": "notes on time given",
          "review": "reviews", "feedback_comment": "feedback comments"}


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
        click.echo("Nothing is past its keeping time.")
        return
    for due in dues:
        parts = ", ".join(f"{len(ids)} {LABELS[table]}" for table, ids in due.rows.items()
                          if ids)
        click.echo(f"{due.programme} / {due.cohort}: {parts}")
    total = sum(due.total for due in dues)
    if dry_run:
        click.echo(f"Dry run: {total} row(s) would be emptied or removed; nothing changed.")
        return
    changed = rules.apply(db.session, dues)
    db.session.commit()
    click.echo(f"Removed: {changed} row(s) emptied or deleted.")
