"""Calendar feeds: the feed a calendar app reads (by its private link), and the buttons that
make, replace and turn off a link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort, current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp import authz
from webapp import language as languages
from webapp.calendar import bp, events, feed
from webapp.extensions import db
from webapp.web import attempt, change


@bp.route("/calendar/<token>.ics")
def read(token: str):
    """The feed: anyone with the link may read it (a calendar app cannot sign in), so it holds
    titles and times only; a link made again or turned off answers 404."""
    found = feed.find(db.session, token)
    if found is None:
        abort(404)
    account = found.account
    cohort = found.cohort
    if found.cohort_id is not None and (
            cohort is None or not authz.allowed(account, "see_all_groups", cohort)):
        abort(404)  # no longer teaches the cohort
    base = current_app.config["BASE_URL"]
    with force_locale(languages.of_account(db.session, account)):
        if cohort is None:
            listed, name = events.own(db.session, account), _("Coproduce: your dates")
        else:
            listed = events.of_cohort(db.session, cohort)
            name = _("Coproduce: %(cohort)s", cohort=cohort.name)
        body = feed.ics(listed, name=name, base_url=base,
                        host=urlsplit(base).hostname or "coproduce")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="coproduce.ics"'
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _made(cohort=None):
    outcome = attempt(lambda session: feed.make(session, current_user._get_current_object(),
                                                cohort))
    link = url_for("calendar.read", token=outcome.result, _external=False)
    response = Response(render_template(
        "calendar/link.html", link=current_app.config["BASE_URL"].rstrip("/") + link,
        cohort=cohort))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/calendar", methods=["POST"])
def make_own():
    """A new link to the person's own dates; the page shows it once."""
    return _made()


@bp.route("/account/calendar/off", methods=["POST"])
def own_off():
    return change(lambda: feed.turn_off(db.session, current_user._get_current_object()),
                  _("Your calendar link is turned off. Calendar apps that used it will stop "
                    "showing your dates."), url_for("auth.account"))


@bp.route("/cohorts/<int:cohort_id>/calendar", methods=["POST"])
def make_cohort(cohort_id: int):
    return _made(authz.target())


@bp.route("/cohorts/<int:cohort_id>/calendar/off", methods=["POST"])
def cohort_off(cohort_id: int):
    cohort = authz.target()
    return change(lambda: feed.turn_off(db.session, current_user._get_current_object(), cohort),
                  _("The calendar link for %(cohort)s is turned off.", cohort=cohort.name),
                  url_for("auth.account"))


@bp.app_template_global("calendar_feeds")
def calendar_feeds():
    """The person's calendar links (for their account page)."""
    return feed.feeds_of(db.session, current_user)


