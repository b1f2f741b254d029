from flask import Blueprint

bp = Blueprint("teach", __name__)

# Importing the route modules registers their views on ``bp``.
from webapp.teach import (  # noqa: E402, F401
    agreement_routes,
    assignment_routes,
    group_routes,
    programme_routes,
    roster_routes,
    routes,
    settings_routes,
)
