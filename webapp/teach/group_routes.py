"""Mixed groups: the groups page, suggesting groups, moving people, renaming and deleting."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import authz
from webapp.extensions import db
from webapp.roles import PATIENT_PARTNER
from webapp.teach import bp, grouping, groups, queries
from webapp.teach.forms import ActionForm, MoveForm, NameForm, RenameForm, SuggestForm
from webapp.teach.operations import Refused
from webapp.web import attempt, change, form_problem, small_int


def _groups_page(cohort, suggest_form=None, suggestion=None, status=200):
    summaries = queries.groups_with_members(db.session, cohort.id)
    lines = queries.roster(db.session, cohort.id)
    ungrouped = [line for line in lines if line.group_id is None
                 and set(line.roles) & {"student", PATIENT_PARTNER}]
    choices = [(0, _("No group"))] + [(g.id, g.name) for g in summaries]
    return render_template(
        "teach/groups.html", cohort=cohort, groups=summaries, ungrouped=ungrouped,
        choices=choices, new_group=NameForm(), suggest=suggest_form or SuggestForm(
            count=grouping.sensible_count(groups.people(db.session, cohort))),
        suggestion=suggestion, started=groups.started(db.session, cohort), action=ActionForm(),
    ), status


@bp.route("/cohorts/<int:cohort_id>/groups", methods=["GET", "POST"])
def groups_page(cohort_id: int):
    cohort = authz.target()
    if request.method == "POST":
        form = NameForm()
        back = url_for("teach.groups_page", cohort_id=cohort.id)
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(back, 303)
        return change(lambda: groups.create_group(db.session, cohort, form.name.data).name,
                      _("Group “{result}” created."), back)
    return _groups_page(cohort)


@bp.route("/cohorts/<int:cohort_id>/groups/suggest", methods=["POST"])
def suggest_groups(cohort_id: int):
    cohort = authz.target()
    form = SuggestForm()
    if not form.validate_on_submit():
        return _groups_page(cohort, form, status=400)
    seed = form.seed.data or 0
    if request.form.get("apply") == "1":
        return change(lambda: groups.apply_suggestion(db.session, cohort, form.count.data, seed),
                      _("Groups applied. Check them below; you can still move people."),
                      url_for("teach.groups_page", cohort_id=cohort.id))
    if request.form.get("shuffle") == "1":
        seed = (seed + 1) % 2**31
        form.seed.data = seed
    try:
        plan = groups.suggestion(db.session, cohort, form.count.data, seed)
    except Refused as refusal:
        form.count.errors.append(refusal.message)
        return _groups_page(cohort, form, status=400)
    return _groups_page(cohort, form, suggestion=plan)


@bp.route("/cohorts/<int:cohort_id>/groups/move", methods=["POST"])
def move_member(cohort_id: int):
    cohort = authz.target()
    form = MoveForm()
    back = request.form.get("back") == "group" and small_int(request.form.get("back_id"))
    target = (url_for("teach.group", group_id=back) if back
              else url_for("teach.groups_page", cohort_id=cohort.id) + "#move")
    account_id = small_int(form.account_id.data)
    group_id = request.form.get("group_id", "")
    group_id = 0 if group_id == "0" else small_int(group_id)
    if not form.validate_on_submit() or account_id is None or group_id is None:
        flash(_("Choose a person and a group."), "error")
        return redirect(target, 303)
    return change(lambda: groups.move_member(db.session, cohort, account_id, group_id,
                                             current_user),
                  _("Moved."), target)


@bp.route("/groups/<int:group_id>/rename", methods=["POST"])
def rename_group(group_id: int):
    group = authz.target()
    form = RenameForm(prefix="rename")
    back = url_for("teach.group", group_id=group.id)
    if not form.validate_on_submit():
        flash(form_problem(form), "error")
        return redirect(back, 303)
    return change(lambda: groups.rename_group(db.session, group, form.name.data),
                  _("Group renamed."), back)


@bp.route("/groups/<int:group_id>/delete", methods=["POST"])
def delete_group(group_id: int):
    group = authz.target()
    cohort_id = group.cohort_id
    if not ActionForm().validate_on_submit():
        flash(_("Try again."), "error")
        return redirect(url_for("teach.group", group_id=group.id), 303)
    deleted = attempt(groups.delete_group, group)
    if deleted.refusal:
        flash(deleted.message, "error")
        return redirect(url_for("teach.group", group_id=group_id), 303)
    flash(_("Group “%(name)s” deleted.", name=deleted.result), "info")
    return redirect(url_for("teach.groups_page", cohort_id=cohort_id), 303)
