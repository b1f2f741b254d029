"""Cohort and group pages, invitations: HTTP only."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp import authz
from webapp.extensions import db
from webapp.models import Assignment, Group
from webapp.teach import bp, operations, queries
from webapp.teach.forms import InviteForm, RenameForm
from webapp.web import attempt


@bp.route("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    cohort = authz.target()
    staff = authz.allowed(current_user, "see_all_groups", cohort)
    manage = authz.allowed(current_user, "manage", cohort)
    only = None if staff else queries.own_group_ids(db.session, current_user.id, cohort.id)
    groups = queries.groups_with_members(db.session, cohort.id, only)
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.cohort_id == cohort.id)
        .options(joinedload(Assignment.module_version)).order_by(Assignment.due_at)).all()
    rename = RenameForm(prefix="rename")
    rename.name.data = cohort.name
    return render_template(
        "teach/cohort.html", shared=queries.shared_reflections(db.session, cohort.id),
        cohort=cohort, groups=groups, staff=staff, manage=manage,
        assignments=assignments, rename=rename,
        people=queries.roster(db.session, cohort.id) if staff else [],
        can_invite=staff and authz.allowed(current_user, "invite", cohort),
    )


@bp.route("/groups/<int:group_id>")
def group(group_id: int):
    group = authz.target()
    summary = queries.groups_with_members(db.session, group.cohort_id, [group.id])[0]
    manage = authz.allowed(current_user, "manage", group) and not group.cohort.archived
    choices = []
    if manage:
        choices = [(0, _("No group"))] + [(g.id, g.name) for g in group.cohort.groups]
    rename = RenameForm(prefix="rename")
    rename.name.data = group.name
    return render_template("teach/group.html", group=group, summary=summary, manage=manage,
                           choices=choices, rename=rename)


@bp.route("/cohorts/<int:cohort_id>/invite", methods=["GET", "POST"])
def invite(cohort_id: int):
    cohort = authz.target()
    form = InviteForm()
    form.group_id.choices = [(0, _l("No group"))] + [(g.id, g.name) for g in cohort.groups]
    if form.validate_on_submit():
        group = db.session.get(Group, form.group_id.data) if form.group_id.data else None
        sent = attempt(operations.invite, current_user, cohort, email=form.email.data,
                       role=form.role.data, group=group, config=current_app.config)
        if sent.refusal:
            form.role.errors.append(sent.message)
        else:
            flash(_("Invitation queued for %(email)s. It is valid for %(days)d days.",
                    email=form.email.data, days=current_app.config["INVITATION_DAYS"]), "info")
            return redirect(url_for("teach.cohort", cohort_id=cohort.id))
    status = 400 if request.method == "POST" else 200
    return render_template("teach/invite.html", cohort=cohort, form=form), status
