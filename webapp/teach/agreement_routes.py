"""Agreements with patient partners: the educator's list and offer form, and the partner's
page where they read the terms and accept them, with or without payment."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import authz
from webapp.extensions import db
from webapp.models import PartnerAgreement
from webapp.teach import agreements, bp
from webapp.web import attempt, small_int


@bp.route("/cohorts/<int:cohort_id>/agreements", methods=["GET", "POST"])
def agreements_page(cohort_id: int):
    cohort = authz.target()
    typed, chosen = {}, small_int(request.values.get("account_id"))
    if request.method == "POST":
        terms = {key: request.form.get(key, "") for key in agreements.TERMS}
        made = attempt(agreements.offer, current_user, cohort, chosen, terms)
        if not made.refusal:
            flash(_("Agreement offered. %(name)s sees it on their page and accepts it there.",
                    name=made.result.account.display_name), "info")
            return redirect(url_for("teach.agreements_page", cohort_id=cohort.id), 303)
        flash(made.message, "error")
        typed = terms
    people = agreements.partners(db.session, cohort)
    existing = {a.account_id: a for a in db.session.scalars(select(PartnerAgreement).where(
        PartnerAgreement.cohort_id == cohort.id))}
    current = existing.get(chosen)
    draft = typed or ({key: getattr(current, key) for key in agreements.TERMS} if current
                      else {"tasks": agreements.planned_tasks(db.session, cohort)})
    return render_template("teach/agreements.html", cohort=cohort, people=people,
                           existing=existing, chosen=chosen, draft=draft,
                           max_chars=agreements.MAX_TERM_CHARS), 400 if typed else 200


@bp.route("/agreements/<int:agreement_id>", methods=["GET", "POST"])
def agreement(agreement_id: int):
    agreement = authz.target()
    mine = agreement.account_id == current_user.id
    status = 200
    if request.method == "POST":
        answered = attempt(agreements.answer, agreement,
                           version=small_int(request.form.get("version")),
                           declines_payment=request.form.get("declines_payment") == "1")
        if not answered.refusal:
            flash(_("Thank you: the agreement is accepted. You can read it here at any time.")
                  if not answered.result.declines_payment else
                  _("Thank you: the agreement is accepted, without payment. Your time is "
                    "still recorded and recognised."), "info")
            return redirect(url_for("teach.agreement", agreement_id=agreement.id), 303)
        flash(answered.message, "error")
        db.session.refresh(agreement)
        status = answered.refusal.status or 400
    return render_template("teach/agreement.html", agreement=agreement, mine=mine), status
