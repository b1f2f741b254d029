"""The named contact records for a person: their consent choices, hours and told words."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from curriculum import template
from webapp import authz
from webapp.casework import bp, on_behalf
from webapp.casework.forms import ConsentForm
from webapp.extensions import db
from webapp.models import ACTIVITIES
from webapp.teach import queries as teach_queries
from webapp.web import attempt, small_int

CHOICES = ("share_group", "share_reviewers", "exemplar", "quote")


def _page(cohort, person_id):
    return url_for("casework.on_behalf_page", cohort_id=cohort.id, person=person_id)


@bp.route("/cohorts/<int:cohort_id>/on-behalf")
def on_behalf_page(cohort_id: int):
    cohort = authz.target()
    refusal = attempt(lambda _s: on_behalf.require_contact(current_user, cohort.programme))
    if refusal.refusal:
        flash(refusal.message, "error")
        return redirect(url_for("teach.cohort", cohort_id=cohort.id), 303)
    person_id = small_int(request.args.get("person"))
    if person_id is None:
        people = [line for line in teach_queries.roster(db.session, cohort.id)
                  if set(line.roles) & set(on_behalf.FOR_ROLES)]
        return render_template("casework/on_behalf_people.html", cohort=cohort, people=people)
    found = attempt(lambda session: on_behalf.person_in_cohort(session, cohort, person_id))
    if found.refusal:
        flash(found.message, "error")
        return redirect(url_for("casework.on_behalf_page", cohort_id=cohort.id), 303)
    person, roles = found.result
    cases = on_behalf.their_cases(db.session, cohort, person)
    forms, choices = {}, on_behalf.current_choices(db.session, cases, person.id)
    for case in cases:
        form = ConsentForm(prefix=f"c{case.id}", formdata=None)
        current = choices.get(case.id)
        for name in CHOICES:
            getattr(form, name).data = ("yes" if getattr(current, name) else "no") \
                if current else None
        forms[case.id] = form
    return render_template("casework/on_behalf.html", cohort=cohort, person=person,
                           partner=on_behalf.PATIENT_PARTNER in roles, cases=cases,
                           forms=forms, parts=template.SECTIONS, activities=ACTIVITIES)


@bp.route("/cases/<int:case_id>/on-behalf/<int:account_id>/consent", methods=["POST"])
def on_behalf_consent(case_id: int, account_id: int):
    case = authz.target()
    form = ConsentForm(prefix=f"c{case.id}")
    back = _page(case.assignment.cohort, account_id)
    if not form.validate_on_submit():
        flash(_("Answer all four questions, as they told you."), "error")
        return redirect(back, 303)
    choices = {name: getattr(form, name).data == "yes" for name in CHOICES}
    done = attempt(on_behalf.consent, current_user, case, account_id, choices)
    flash(done.message if done.refusal else
          _("Saved the choices of %(name)s, marked as recorded by you on their behalf.",
            name=done.result.display_name), "error" if done.refusal else "info")
    return redirect(back, 303)


@bp.route("/cases/<int:case_id>/on-behalf/<int:account_id>/part", methods=["POST"])
def on_behalf_part(case_id: int, account_id: int):
    case = authz.target()
    key = request.form.get("part", "")
    done = attempt(on_behalf.part, current_user, case, account_id, key,
                   request.form.get("words", ""))
    if done.refusal:
        flash(done.message, "error")
    else:
        flash(_("Added to “%(part)s”, marked as told by %(name)s and recorded by you.",
                part=template.BY_KEY[key].heading, name=done.result.display_name), "info")
    return redirect(_page(case.assignment.cohort, account_id), 303)


@bp.route("/cohorts/<int:cohort_id>/on-behalf/<int:account_id>/hours", methods=["POST"])
def on_behalf_hours(cohort_id: int, account_id: int):
    cohort = authz.target()
    done = attempt(on_behalf.hours, current_user, cohort, account_id,
                   activity=request.form.get("activity", ""),
                   on_date=request.form.get("on_date", ""),
                   minutes=request.form.get("minutes", ""), note=request.form.get("note", ""))
    flash(done.message if done.refusal else
          _("Recorded the time of %(name)s, marked as recorded by you on their behalf.",
            name=done.result.display_name), "error" if done.refusal else "info")
    return redirect(_page(cohort, account_id), 303)
