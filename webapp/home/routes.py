"""The home page: what to do next."""

from flask import render_template
from flask_login import current_user

from webapp.extensions import db
from webapp.home import bp, queries


@bp.route("/")
def index():
    cards = queries.home_cards(db.session, current_user)
    return render_template("home/index.html", cards=cards)
