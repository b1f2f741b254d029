"""Notifications people control: "What's new" in the app, and mail at once, in a daily
digest or never, chosen per kind on the account page (docs/notifications.md)."""

from flask import Blueprint, g
from flask_login import current_user

bp = Blueprint("notices", __name__)


@bp.app_template_global("unread_notices")
def unread_notices() -> int:
    """How many of the signed-in person's notifications are unread (one query a page)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notices" not in g:
        from webapp.extensions import db
        from webapp.notices.operations import unread

        g.unread_notices = unread(db.session, current_user.id)
    return g.unread_notices


from webapp.notices import routes  # noqa: E402,F401
