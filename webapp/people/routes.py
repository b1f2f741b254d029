"""The privacy page, and each person's copy of their own data."""

from flask import abort, current_app, make_response, render_template
from flask_login import current_user
from sqlalchemy import or_, select

from webapp import audit, authz
from webapp.clock import now
from webapp.extensions import db
from webapp.models import Account, Cohort, Membership, Programme
from webapp.people import bp, export


def _rules() -> dict:
    """The facts the privacy page states, read from the rules the app enforces."""
    return {"k": current_app.config.get("REPORT_MIN_CELL", 5),
            "case_readers": sorted(authz.RULES[("view", "case")]),
            "session_hours": current_app.config.get("SESSION_ABSOLUTE_HOURS"),
            "idle_minutes": current_app.config.get("SESSION_IDLE_MINUTES")}


def _keeping(account) -> list:
    """The retention settings of the programmes the reader belongs to (signed in only)."""
    if not getattr(account, "is_authenticated", False):
        return []
    cohorts = select(Cohort.programme_id).join(Membership, Membership.cohort_id == Cohort.id)\
        .where(Membership.account_id == account.id)
    own = select(Membership.programme_id).where(Membership.account_id == account.id)
    return list(db.session.scalars(select(Programme).where(or_(
        Programme.id.in_(cohorts), Programme.id.in_(own))).order_by(Programme.name)))


@bp.route("/privacy")
def privacy():
    return render_template("people/privacy.html", rules=_rules(),
                           programmes=_keeping(current_user))


@bp.route("/my-data")
def my_data():
    return render_template("people/my_data.html")


def _zip_of(account, actor):
    """The person's copy as a download, recorded in the audit trail."""
    data = export.collect(db.session, account)
    html = render_template("people/export.html", data=data, made=now())
    audit.record(db.session, "data_export", actor_id=actor.id,
                 subject_id=account.id if account.id != actor.id else None)
    db.session.commit()
    response = make_response(export.to_zip(data, html))
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = 'attachment; filename="my-coproduce-data.zip"'
    return response


@bp.route("/my-data/export.zip")
def export_zip():
    return _zip_of(current_user, current_user)


@bp.route("/admin/people/<int:account_id>/export.zip")
def admin_export(account_id: int):
    """An admin downloads a person's copy on their request (recorded)."""
    account = db.session.get(Account, account_id) if account_id < 2**31 else None
    if account is None:
        abort(404)
    return _zip_of(account, current_user)
