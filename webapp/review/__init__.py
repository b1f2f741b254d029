from flask import Blueprint

bp = Blueprint("review", __name__)

from webapp.review import (  # noqa: E402, F401  (register the views)
    confidence_routes,
    contribution_routes,
    practice_routes,
    response_routes,
    routes,
)
