"""The home page: what to do next."""

from flask import render_template
from flask_login import current_user

from webapp.extensions import db
from webapp.home import bp, next_actions, queries


@bp.route("/")
def index():
    cards, group_of = queries.home_cards(db.session, current_user)
    return render_template(
        "home/index.html", cards=cards,
        next=next_actions.next_actions(db.session, current_user, cards, group_of),
        recent=next_actions.recent_in_groups(db.session, current_user,
                                             sorted(set(group_of.values()))))
