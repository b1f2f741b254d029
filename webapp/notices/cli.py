"""``coproduce notices``: one run of the hourly notifications and daily digests by hand (or
from a timer where no ``coproduce worker`` runs)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.extensions import db


@click.command("notices")
@with_appcontext
def notices():
    """Tell people about feedback released by its date, cases due within two days with parts
    still empty and cases changed since they last opened them, and send the daily digests
    whose morning has come."""
    from webapp.clock import now
    from webapp.notices.schedule import tick

    told = tick(db.session, now())
    db.session.commit()
    click.echo(_("Told %(feedback)d about feedback, %(due)d about cases due soon and "
                 "%(changed)d about changed cases; sent %(digests)d daily digest(s). Run "
                 "send-mail to send the mail.", feedback=told["feedback"],
                 due=told["due_soon"], changed=told["case_changed"], digests=told["digests"]))
