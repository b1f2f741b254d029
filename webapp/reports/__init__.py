from flask import Blueprint

bp = Blueprint("reports", __name__)

from webapp.reports import job_routes, log_routes, report_routes, routes  # noqa: E402, F401  (views)
