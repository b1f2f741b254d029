from flask import Blueprint

bp = Blueprint("people", __name__)

from webapp.people import (  # noqa: E402, F401  (registers the views)
    audit_routes,
    erasure_routes,
    retention_routes,
    routes,
)
