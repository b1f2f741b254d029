from flask import Blueprint

bp = Blueprint("home", __name__)

from webapp.home import accessibility, language_routes, routes  # noqa: E402, F401  (the views)
