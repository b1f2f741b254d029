"""Roster import (upload → preview → confirm) and adding or removing one person."""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from webapp import authz
from webapp.extensions import db
from webapp.language import current
from webapp.models import Group, RosterUpload
from webapp.refusals import Refused
from webapp.teach import bp, operations
from webapp.teach import roster as roster_ops
from webapp.teach.forms import AddMemberForm, ConfirmRosterForm, MemberForm, RosterForm
from webapp.teach.roster_file import MAX_BYTES
from webapp.web import Outcome, attempt, change, small_int

#: The example offered for download. It imports as it is into a new cohort, which has no
#: groups yet, so its group column is empty: groups are made after the people are in.
TEMPLATE_CSV = ("email,name,role,group\n"
                "ana.lima@example.org,Ana Lima,student,\n"
                "sam.okafor@example.org,Sam Okafor,patient partner,\n"
                "kim.berg@example.org,Kim Berg,patient co-teacher,\n")
#: The same for a Swedish spreadsheet: its column names and role words, `;` between cells.
TEMPLATE_CSV_SV = ("\ufeffe-post;namn;roll;basgrupp\n"
                   "ana.lima@example.org;Ana Lima;student;\n"
                   "sam.okafor@example.org;Sam Okafor;patientpartner;\n"
                   "kim.berg@example.org;Kim Berg;granskare med patienterfarenhet;\n")


@bp.route("/roster-template.csv")
def roster_template():
    """An example roster file, in the reader's language."""
    swedish = current() == "sv"
    return Response(TEMPLATE_CSV_SV if swedish else TEMPLATE_CSV, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename="
                             + ("klasslista-mall.csv" if swedish else "roster-template.csv")})


@bp.route("/cohorts/<int:cohort_id>/roster", methods=["GET", "POST"])
def roster(cohort_id: int):
    cohort = authz.target()
    form = RosterForm()
    if cohort.archived:
        flash(_("This cohort is archived and read-only. Bring it back to add people."), "error")
        return redirect(url_for("teach.cohort", cohort_id=cohort.id), 303)
    if form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        result = roster_ops.plan(db.session, cohort, data)
        upload = None
        if not result.problems:
            upload = roster_ops.store_upload(db.session, current_user, cohort,
                                         form.file.data.filename, data)
            db.session.commit()
        return render_template("teach/roster_preview.html", cohort=cohort, plan=result,
                               upload=upload, confirm=ConfirmRosterForm(
                                   upload_id=upload.id if upload else ""),
                               filename=form.file.data.filename), (400 if result.problems
                                                                   else 200)
    status = 400 if request.method == "POST" else 200
    return render_template("teach/roster.html", cohort=cohort, form=form), status


@bp.route("/cohorts/<int:cohort_id>/roster/confirm", methods=["POST"])
def roster_confirm(cohort_id: int):
    cohort = authz.target()
    form = ConfirmRosterForm()
    upload = None
    upload_id = small_int(form.upload_id.data) if form.validate_on_submit() else None
    if upload_id is not None:
        upload = db.session.get(RosterUpload, upload_id)
    if upload is None or upload.cohort_id != cohort.id or upload.uploaded_by_id != current_user.id:
        flash(_("That roster preview was not found. Upload the file again."), "error")
        return redirect(url_for("teach.roster", cohort_id=cohort.id), 303)
    try:
        applied = attempt(roster_ops.apply, current_user, cohort, upload, current_app.config)
    except IntegrityError:
        flash(_("Someone changed this cohort while the roster was being applied, so nothing "
                "was saved. Upload the file again to see the changes now."), "error")
        return redirect(url_for("teach.roster", cohort_id=cohort.id), 303)
    if applied.refusal:
        flash(applied.message, "error")
        return redirect(url_for("teach.roster", cohort_id=cohort.id), 303)
    result = applied.result
    if result.changes:
        flash(_("Roster applied: %(new)d new people, %(roles)d new roles, %(moves)d group "
                "changes. %(mail)d invitations are queued.", new=len(result.new_people),
                roles=len(result.new_roles), moves=len(result.moves),
                mail=len(result.new_people) + len(result.new_roles)), "info")
    else:
        flash(_("The roster matched the cohort already: nothing changed."), "info")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>/members/new", methods=["GET", "POST"])
def add_member(cohort_id: int):
    cohort = authz.target()
    form = AddMemberForm()
    form.group_id.choices = [(0, _("No group"))] + [(g.id, g.name) for g in cohort.groups]
    if form.validate_on_submit():
        group = db.session.get(Group, form.group_id.data) if form.group_id.data else None
        try:
            added = attempt(operations.add_member, current_user, cohort, email=form.email.data,
                            name=form.name.data, role=form.role.data, group=group,
                            config=current_app.config)
        except IntegrityError:
            added = Outcome(refusal=Refused(_("This person was added by someone else just "
                                              "now.")))
        if added.refusal:
            form.email.errors.append(added.message)
        else:
            account = added.result
            flash(_("%(name)s was added and an invitation is queued.",
                    name=account.display_name), "info")
            return redirect(url_for("teach.cohort", cohort_id=cohort.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("teach/add_member.html", cohort=cohort, form=form), status


@bp.route("/cohorts/<int:cohort_id>/members/remove", methods=["POST"])
def remove_member(cohort_id: int):
    cohort = authz.target()
    form = MemberForm()
    back = url_for("teach.cohort", cohort_id=cohort.id)
    account_id = small_int(form.account_id.data) if form.validate_on_submit() else None
    if account_id is None:
        flash(_("Choose a person to remove."), "error")
        return redirect(back, 303)
    return change(lambda: operations.remove_member(db.session, cohort, account_id,
                                                   current_user),
                  _("{result} was removed from the cohort. Their account is kept."), back)
