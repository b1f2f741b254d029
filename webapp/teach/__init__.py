from flask import Blueprint

bp = Blueprint("teach", __name__)

from webapp.teach import routes  # noqa: E402, F401  (registers the views)
