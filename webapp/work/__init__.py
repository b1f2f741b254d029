from flask import Blueprint

bp = Blueprint("work", __name__)

from webapp.work import routes  # noqa: E402, F401  (registers the views)
