"""The learning log: recording, re-exposure and redistribution (docs/learning-log.md)."""

from flask import Blueprint, g
from flask_login import current_user

bp = Blueprint("log", __name__)


@bp.app_template_global("learning_log_on")
def learning_log_on() -> bool:
    """Whether the signed-in person keeps a learning log (pages offer "write it down")."""
    if not current_user.is_authenticated:
        return False
    if "learning_log_on" not in g:
        from webapp import authz
        from webapp.log.queries import log_is_on

        g.learning_log_on = log_is_on(current_user, authz.roles_of(current_user))
    return g.learning_log_on


from webapp.log import journey_routes, routes, sharing_routes  # noqa: E402,F401
