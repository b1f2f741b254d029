from flask import Blueprint

bp = Blueprint("review", __name__)

from webapp.review import practice_routes, routes  # noqa: E402, F401  (register the views)
