"""Removing an account: by the person themselves, or by an admin on request."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user
from sqlalchemy import select

from webapp import resubmit
from webapp.extensions import db
from webapp.models import Account
from webapp.people import bp, erasure
from webapp.web import attempt


def _confirmed(account) -> bool:
    typed = (request.form.get("confirm_email") or "").strip().lower()
    return typed == account.email_key


def _erase(account, back: str):
    """Check the typed confirmation, erase in one transaction, or explain what to fix."""
    if not _confirmed(account):
        flash(_("Type the account’s email address exactly to confirm."), "error")
        return redirect(back, 303)
    erased = attempt(erasure.erase, current_user, account)
    if erased.refusal:
        flash(erased.message, "error")
        return redirect(back, 303)
    return erased.result


@bp.route("/my-data/remove", methods=["GET", "POST"])
def remove_me():
    if request.method == "GET":
        return render_template("people/erase.html", account=current_user, own=True)
    me = db.session.get(Account, current_user.id)
    result = _erase(me, url_for("people.remove_me"))
    if not isinstance(result, dict):
        return result
    logout_user()
    resubmit.clear_session()
    flash(_("Your account has been removed. Thank you for taking part."), "info")
    return redirect(url_for("auth.sign_in"), 303)


@bp.route("/admin/people")
def admin_people():
    query = (request.args.get("email") or "").strip().lower()[:254]
    found = db.session.scalars(select(Account).where(Account.email_key.contains(query))
                               .order_by(Account.email_key).limit(50)).all() if query else []
    return render_template("people/admin_people.html", query=query, found=found)


@bp.route("/admin/people/<int:account_id>/erase", methods=["GET", "POST"])
def admin_erase(account_id: int):
    account = db.session.get(Account, account_id) if account_id < 2**31 else None
    if account is None:
        abort(404)
    if request.method == "GET":
        return render_template("people/erase.html", account=account, own=False)
    result = _erase(account, url_for("people.admin_erase", account_id=account.id))
    if not isinstance(result, dict):
        return result
    flash(ngettext("The account was erased: %(num)d case had words in it.",
                   "The account was erased: %(num)d cases had words in them.",
                   result["cases"]), "info")
    return redirect(url_for("people.admin_people"), 303)
