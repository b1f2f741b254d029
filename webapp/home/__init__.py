from flask import Blueprint

bp = Blueprint("home", __name__)

from webapp.home import accessibility, routes  # noqa: E402, F401  (registers the views)
