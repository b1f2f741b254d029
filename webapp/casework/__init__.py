from flask import Blueprint

bp = Blueprint("casework", __name__)

from webapp.casework import routes, submission_routes  # noqa: E402, F401  (register the views)
