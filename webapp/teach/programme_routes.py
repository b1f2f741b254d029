"""Programmes and cohorts: list, create, rename, archive."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import authz
from webapp.extensions import db
from webapp.models import Cohort, Membership, Programme
from webapp.teach import bp, operations
from webapp.teach.forms import ActionForm, NameForm, RenameForm
from webapp.web import attempt, change, form_problem


@bp.route("/programmes")
def programmes():
    if current_user.admin:
        rows = db.session.scalars(select(Programme).order_by(Programme.name)).all()
    else:
        rows = db.session.scalars(
            select(Programme).join(Membership, Membership.programme_id == Programme.id)
            .where(Membership.account_id == current_user.id,
                   Membership.role.in_(("educator", "lead")))
            .distinct().order_by(Programme.name)).all()
    can_create = authz.holds(current_user, authz.EDUCATOR_ANYWHERE)
    return render_template("teach/programmes.html", programmes=rows, can_create=can_create,
                           form=NameForm())


@bp.route("/programmes/new", methods=["POST"])
def new_programme():
    form = NameForm()
    if not form.validate_on_submit():
        flash(form_problem(form), "error")
        return redirect(url_for("teach.programmes"), 303)
    made = attempt(operations.create_programme, current_user, form.name.data)
    if made.refusal:
        flash(made.message, "error")
        return redirect(url_for("teach.programmes"), 303)
    programme = made.result
    flash(_("Programme “%(name)s” created. Add its first cohort.", name=programme.name), "info")
    return redirect(url_for("teach.programme", programme_id=programme.id), 303)


@bp.route("/programmes/<int:programme_id>")
def programme(programme_id: int):
    programme = authz.target()
    show_archived = request.args.get("archived") == "1"
    query = select(Cohort).where(Cohort.programme_id == programme.id).order_by(Cohort.name)
    cohorts = db.session.scalars(query).all()
    archived = [c for c in cohorts if c.archived]
    visible = cohorts if show_archived else [c for c in cohorts if not c.archived]
    manage = authz.allowed(current_user, "manage", programme)
    rename = RenameForm(prefix="rename")
    rename.name.data = programme.name
    return render_template("teach/programme.html", programme=programme, cohorts=visible,
                           archived_count=len(archived), show_archived=show_archived,
                           manage=manage, form=NameForm(), rename=rename)


@bp.route("/programmes/<int:programme_id>/rename", methods=["POST"])
def rename_programme(programme_id: int):
    programme = authz.target()
    form = RenameForm(prefix="rename")
    back = url_for("teach.programme", programme_id=programme.id)
    if not form.validate_on_submit():
        flash(form_problem(form), "error")
        return redirect(back, 303)
    return change(lambda: operations.rename_programme(db.session, programme, form.name.data),
                  _("Programme renamed."), back)


@bp.route("/programmes/<int:programme_id>/cohorts", methods=["POST"])
def new_cohort(programme_id: int):
    programme = authz.target()
    form = NameForm()
    if not form.validate_on_submit():
        flash(form_problem(form), "error")
        return redirect(url_for("teach.programme", programme_id=programme.id), 303)
    made = attempt(operations.create_cohort, programme, form.name.data)
    if made.refusal:
        flash(made.message, "error")
        return redirect(url_for("teach.programme", programme_id=programme.id), 303)
    cohort = made.result
    flash(_("Cohort “%(name)s” created. Next: add people from a roster file or one at a time.",
            name=cohort.name), "info")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>/rename", methods=["POST"])
def edit_cohort(cohort_id: int):
    cohort = authz.target()
    form = RenameForm(prefix="rename")
    back = url_for("teach.cohort", cohort_id=cohort.id)
    if not form.validate_on_submit():
        flash(form_problem(form), "error")
        return redirect(back, 303)
    return change(lambda: operations.rename_cohort(db.session, cohort, form.name.data),
                  _("Cohort renamed."), back)


@bp.route("/cohorts/<int:cohort_id>/archive", methods=["POST"])
def archive_cohort(cohort_id: int):
    cohort = authz.target()
    form = ActionForm()
    back = url_for("teach.cohort", cohort_id=cohort.id)
    if not form.validate_on_submit():
        abort(400)
    archive = request.form.get("archive") == "1"
    message = (_("Cohort archived. It is read-only and hidden from lists; nothing was deleted. "
                 "You can bring it back at any time.") if archive
               else _("Cohort brought back from the archive."))
    return change(lambda: operations.set_archived(db.session, cohort, archive), message, back)
