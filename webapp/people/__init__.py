from flask import Blueprint

bp = Blueprint("people", __name__)

from webapp.people import routes  # noqa: E402, F401  (registers the views)
