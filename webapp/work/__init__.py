from flask import Blueprint

bp = Blueprint("work", __name__)

from webapp.work import routes, submission_routes  # noqa: E402, F401  (register the views)
