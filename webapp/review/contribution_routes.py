"""Contribution records: patient partners and co-teachers log their time; educators confirm
it, export it for payment (CSV) and anyone can download a certificate of confirmed time."""


from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user
from sqlalchemy import select

from webapp import authz
from webapp.clock import now
from webapp.errors import render_error
from webapp.export import csv_response, pdf_response
from webapp.extensions import db
from webapp.models import (
    ACTIVITIES,
    Account,
    Cohort,
    Contribution,
    Membership,
    PartnerAgreement,
    PaymentRecord,
    Programme,
)
from webapp.pdf import PdfUnavailable, render_pdf
from webapp.review import bp
from webapp.review import contributions as contributions_ops
from webapp.roles import PATIENT_PARTNER
from webapp.teach import agreements
from webapp.web import attempt, change, small_int

_CONTRIBUTORS = (PATIENT_PARTNER, "patient_coteacher")


def _my_cohorts():
    return db.session.execute(
        select(Cohort.id, Cohort.name, Programme.name)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Membership.account_id == current_user.id,
               Membership.role.in_(_CONTRIBUTORS), Cohort.archived.is_(False))
        .distinct().order_by(Cohort.name)).all()


@bp.route("/contributions", methods=["GET", "POST"])
def contributions():
    cohorts = _my_cohorts()
    if request.method == "POST":
        recorded = attempt(contributions_ops.record, current_user, {c[0] for c in cohorts},
                           cohort_id=small_int(request.form.get("cohort_id")),
                           activity=request.form.get("activity", ""),
                           on_date=request.form.get("on_date", ""),
                           minutes=request.form.get("minutes", ""),
                           note=request.form.get("note", ""))
        if recorded.refusal:
            flash(recorded.message, "error")
            return render_template("review/contributions.html", cohorts=cohorts,
                                   entries=_entries(), activities=ACTIVITIES,
                                   agreements=_my_agreements(),
                                   typed=request.form), 400
        flash(_("Time recorded. An educator confirms it."), "info")
        return redirect(url_for("review.contributions"), 303)
    return render_template("review/contributions.html", cohorts=cohorts, entries=_entries(),
                           activities=ACTIVITIES, typed={}, agreements=_my_agreements())


def _entries():
    return db.session.execute(
        select(Contribution, Cohort.name, PaymentRecord.paid_at)
        .join(Cohort, Cohort.id == Contribution.cohort_id)
        .outerjoin(PaymentRecord, PaymentRecord.contribution_id == Contribution.id)
        .where(Contribution.account_id == current_user.id)
        .order_by(Contribution.on_date.desc(), Contribution.id.desc())).all()


def _my_agreements():
    return db.session.scalars(select(PartnerAgreement).where(
        PartnerAgreement.account_id == current_user.id)
        .order_by(PartnerAgreement.offered_at.desc())).all()


@bp.route("/contributions/<int:entry_id>/delete", methods=["POST"])
def delete_contribution(entry_id: int):
    entry = authz.target()
    return change(lambda: contributions_ops.delete(db.session, entry), _("Entry deleted."),
                  url_for("review.contributions"))


@bp.route("/cohorts/<int:cohort_id>/contributions", methods=["GET", "POST"])
def cohort_contributions(cohort_id: int):
    cohort = authz.target()
    if request.method == "POST":
        ids = {small_int(v) for v in request.form.getlist("entry_id")} - {None}
        if request.form.get("action") == "paid":
            done = attempt(agreements.mark_paid, current_user, cohort, ids)
            message = _("%(n)d entries recorded as paid.", n=done.result or 0)
        else:
            done = attempt(contributions_ops.confirm, current_user, cohort, ids)
            message = _("%(n)d entries confirmed.", n=done.result or 0)
        flash(done.message or message, "error" if done.refusal else "info")
        return redirect(url_for("review.cohort_contributions", cohort_id=cohort.id), 303)
    rows = db.session.execute(
        select(Contribution, Account.display_name, PaymentRecord.paid_at)
        .join(Account, Account.id == Contribution.account_id)
        .outerjoin(PaymentRecord, PaymentRecord.contribution_id == Contribution.id)
        .where(Contribution.cohort_id == cohort.id)
        .order_by(Account.display_name, Contribution.on_date)).all()
    payable = {a.account_id for a in db.session.scalars(select(PartnerAgreement).where(
        PartnerAgreement.cohort_id == cohort.id, PartnerAgreement.state == "accepted",
        PartnerAgreement.declines_payment.is_(False)))}
    return render_template("review/cohort_contributions.html", cohort=cohort, rows=rows,
                           payable=payable)


@bp.route("/cohorts/<int:cohort_id>/contributions.csv")
def contributions_csv(cohort_id: int):
    cohort = authz.target()
    rows = db.session.execute(
        select(Contribution, Account.display_name, Account.email)
        .join(Account, Account.id == Contribution.account_id)
        .where(Contribution.cohort_id == cohort.id, Contribution.confirmed_at.is_not(None))
        .order_by(Account.display_name, Contribution.on_date)).all()
    return csv_response(
        f"contributions-cohort-{cohort.id}.csv",
        [pgettext("CSV column", "name"), pgettext("CSV column", "email"),
         pgettext("CSV column", "date"), pgettext("CSV column", "activity"),
         pgettext("CSV column", "minutes"), pgettext("CSV column", "note"),
         pgettext("CSV column", "confirmed_at")],
        ([name, email, entry.on_date.strftime("%Y-%m-%d"), entry.activity, entry.minutes,
          entry.note, entry.confirmed_at.strftime("%Y-%m-%d")] for entry, name, email in rows))


@bp.route("/contributions/certificate.pdf")
def certificate():
    cohort = authz.target()
    entries = db.session.scalars(select(Contribution).where(
        Contribution.account_id == current_user.id, Contribution.cohort_id == cohort.id,
        Contribution.confirmed_at.is_not(None)).order_by(Contribution.on_date)).all()
    if not entries:
        flash(_("A certificate lists confirmed time; none is confirmed in that cohort yet."),
              "info")
        return redirect(url_for("review.contributions"), 303)
    html = render_template("review/certificate_pdf.html", cohort=cohort, entries=entries,
                           total=sum(e.minutes for e in entries), issued=now())
    try:
        pdf = render_pdf(html)
    except PdfUnavailable:
        return render_error(500, _("PDF export is not available on this server yet."))
    return pdf_response(pdf, "contribution.pdf")
