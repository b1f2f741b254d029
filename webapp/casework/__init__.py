from flask import Blueprint

bp = Blueprint("casework", __name__)

from webapp.casework import (  # noqa: E402, F401  (register the views)
    behalf_routes,
    routes,
    submission_routes,
)
