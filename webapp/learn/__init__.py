from flask import Blueprint

bp = Blueprint("learn", __name__)

from webapp.learn import history, large_print, readings, routes  # noqa: E402, F401  (registers the views)
