"""LTI 1.3: launching Coproduce from a learning platform (docs/lti.md)."""

from flask import Blueprint

bp = Blueprint("lti", __name__)

#: The endpoints a platform posts to from its own site (listed in ``request_guard``).
CROSS_SITE = frozenset({"lti.login", "lti.launch"})

from webapp.lti import admin_routes, routes  # noqa: E402,F401
