"""The home page: what to do next; and the help page, the same place on every page."""

from flask import render_template
from flask_login import current_user

from webapp import authz
from webapp.extensions import db
from webapp.home import bp, next_actions, queries, staff_home, welcome
from webapp.log import queries as log_queries


@bp.route("/")
def index():
    cards, group_of = queries.home_cards(db.session, current_user)
    return render_template(
        "home/index.html", cards=cards,
        next=next_actions.next_actions(db.session, current_user, cards, group_of),
        recent=next_actions.recent_in_groups(db.session, current_user,
                                             sorted(set(group_of.values()))),
        welcome=welcome.welcome(db.session, current_user, cards),
        modules=staff_home.programme_modules(db.session, current_user),
        coming_back=_coming_back(cards))


def _coming_back(cards):
    """One or two learning log entries that come back today, if the person wants them."""
    if not log_queries.reminders_on(current_user, authz.roles_of(current_user)):
        return []
    zone = log_queries.zone_of(db.session, current_user.id)
    return log_queries.due_back(db.session, current_user.id, log_queries.person_today(zone))


@bp.route("/help")
def help_page():
    signed_in = current_user.is_authenticated
    cards = queries.home_cards(db.session, current_user)[0] if signed_in else []
    roles = {role for card in cards for role in card.roles}
    guides = {role: welcome.first_guide(db.session, role) for role in welcome.FIRST_GUIDE
              if role in roles}
    return render_template("home/help.html", roles=roles, guides=guides)
