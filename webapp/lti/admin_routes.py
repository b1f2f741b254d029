"""Admins register learning platforms and read the values a platform's administrator pastes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.extensions import db
from webapp.lti import bp, platforms
from webapp.models import LtiPlatform
from webapp.web import attempt, change


def _page(problem: str = "", typed: dict | None = None, status: int = 200):
    rows = db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name)).all()
    return render_template("lti/setup.html", platforms=rows, urls=platforms.tool_urls(),
                           problem=problem, typed=typed or {}), status


@bp.route("/lti/setup")
def setup():
    return _page()


@bp.route("/lti/platforms", methods=["POST"])
def add_platform():
    typed = {name: request.form.get(name, "") for name in platforms.FIELDS}
    outcome = attempt(platforms.add, current_user._get_current_object(), typed)
    if outcome.refusal:
        return _page(outcome.message, typed, 400)
    flash(_("Registered %(name)s. Paste the values above into it.", name=outcome.result.name),
          "info")
    return redirect(url_for("lti.setup"), 303)


@bp.route("/lti/platforms/<int:platform_id>/delete", methods=["POST"])
def remove_platform(platform_id: int):
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        abort(404)
    return change(lambda: platforms.remove(db.session, current_user._get_current_object(),
                                           platform),
                  _("Removed {result}. Launches from it are refused from now on."),
                  url_for("lti.setup"))
