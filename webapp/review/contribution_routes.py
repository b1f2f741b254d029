"""Contribution records: patient partners and co-teachers log their time; educators confirm
it, export it for payment (CSV) and anyone can download a certificate of confirmed time."""

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import authz
from webapp.clock import now
from webapp.errors import render_error
from webapp.export import csv_response, pdf_response
from webapp.extensions import db
from webapp.models import ACTIVITIES, Account, Cohort, Contribution, Membership, Programme
from webapp.pdf import PdfUnavailable, render_pdf
from webapp.review import bp
from webapp.roles import PATIENT_PARTNER
from webapp.web import small_int

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
        problem = _add_entry({c[0] for c in cohorts})
        if problem:
            flash(problem, "error")
            return render_template("review/contributions.html", cohorts=cohorts,
                                   entries=_entries(), activities=ACTIVITIES,
                                   typed=request.form), 400
        db.session.commit()
        flash(_("Time recorded. An educator confirms it."), "info")
        return redirect(url_for("review.contributions"), 303)
    return render_template("review/contributions.html", cohorts=cohorts, entries=_entries(),
                           activities=ACTIVITIES, typed={})


def _entries():
    return db.session.execute(
        select(Contribution, Cohort.name).join(Cohort, Cohort.id == Contribution.cohort_id)
        .where(Contribution.account_id == current_user.id)
        .order_by(Contribution.on_date.desc(), Contribution.id.desc())).all()


def _add_entry(allowed: set[int]) -> str:
    cohort_id = small_int(request.form.get("cohort_id"))
    if cohort_id not in allowed:
        return _("Choose one of your cohorts.")
    activity = request.form.get("activity", "")
    if activity not in ACTIVITIES:
        return _("Choose what kind of activity it was.")
    try:
        on_date = datetime.strptime(request.form.get("on_date", ""), "%Y-%m-%d")
    except ValueError:
        return _("Enter the date like 2026-11-30.")
    if on_date > now():
        return _("The date cannot be in the future.")
    raw = (request.form.get("minutes") or "").strip()
    minutes = int(raw) if raw.isdigit() and len(raw) <= 4 else 0
    if not 1 <= minutes <= 1440:
        return _("Enter the time in minutes, from 1 to 1440.")
    note = (request.form.get("note") or "").strip()
    if len(note) > 500:
        return _("A note has at most 500 characters.")
    db.session.add(Contribution(account_id=current_user.id, cohort_id=cohort_id,
                                activity=activity, on_date=on_date, minutes=minutes, note=note))
    db.session.flush()
    return ""


@bp.route("/contributions/<int:entry_id>/delete", methods=["POST"])
def delete_contribution(entry_id: int):
    entry = authz.target()
    if entry.confirmed_at is not None:
        flash(_("Confirmed time cannot be deleted; ask your educator to correct it."), "error")
    else:
        db.session.delete(entry)
        db.session.commit()
        flash(_("Entry deleted."), "info")
    return redirect(url_for("review.contributions"), 303)


@bp.route("/cohorts/<int:cohort_id>/contributions", methods=["GET", "POST"])
def cohort_contributions(cohort_id: int):
    cohort = authz.target()
    if request.method == "POST":
        ids = {small_int(v) for v in request.form.getlist("entry_id")} - {None}
        rows = db.session.scalars(select(Contribution).where(
            Contribution.cohort_id == cohort.id, Contribution.id.in_(ids or {0}),
            Contribution.confirmed_at.is_(None))).all()
        for row in rows:
            row.confirmed_at, row.confirmed_by_id = now(), current_user.id
        db.session.commit()
        flash(_("%(n)d entries confirmed.", n=len(rows)), "info")
        return redirect(url_for("review.cohort_contributions", cohort_id=cohort.id), 303)
    rows = db.session.execute(
        select(Contribution, Account.display_name)
        .join(Account, Account.id == Contribution.account_id)
        .where(Contribution.cohort_id == cohort.id)
        .order_by(Account.display_name, Contribution.on_date)).all()
    return render_template("review/cohort_contributions.html", cohort=cohort, rows=rows)


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
        ["name", "email", "date", "activity", "minutes", "note", "confirmed_at"],
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
