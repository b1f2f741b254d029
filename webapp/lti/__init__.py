"""LTI 1.3: launching Coproduce from a learning platform (docs/lti.md)."""

from flask import Blueprint

bp = Blueprint("lti", __name__)

#: The endpoints a platform posts to from its own site (listed in ``request_guard``). The
#: deep-linking pages it frames post to themselves (same site) with their own token.
CROSS_SITE = frozenset({"lti.login", "lti.launch"})

from webapp.lti import (  # noqa: E402,F401
    admin_routes,
    deep_link_routes,
    roster_routes,
    routes,
)
