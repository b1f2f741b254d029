"""The curriculum review log pages: read, record and remove entries."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import authz
from webapp.extensions import db
from webapp.models import ReviewLogEntry
from webapp.reports import bp, build, log
from webapp.web import attempt


@bp.route("/programmes/<int:programme_id>/review-log", methods=["GET", "POST"])
def review_log(programme_id: int):
    programme = authz.target()
    problem = ""
    if request.method == "POST":
        typed = dict(request.form.to_dict(), comment=request.form.getlist("comment"))
        recorded = attempt(log.record, current_user, programme, typed,
                           build.configured_k())
        problem = recorded.message
        if not recorded.refusal:
            entry = recorded.result
            flash(_("Recorded. Learners in later cohorts will read the summary on the module "
                    "page of the version that carries the change."), "info")
            return redirect(url_for("reports.review_log", programme_id=programme.id,
                                    _anchor=f"entry-{entry.id}"), 303)
    about_id = log._int(request.form.get("about") or request.args.get("about"))
    versions = log.versions_taken(db.session, programme.id)
    about = next((v for v in versions if v.id == about_id), None)
    return render_template(
        "reports/log.html", programme=programme, versions=versions, about=about,
        later=log.later_versions(db.session, about) if about else [],
        comments=log.screened_comments(db.session, programme.id, about.id, build.configured_k())
        if about else [],
        entries=build.log_entries(db.session, programme.id), problem=problem,
        typed=request.form if problem else {},
        may_record=authz.allowed(current_user, "review_log", programme)), \
        (400 if problem else 200)


@bp.route("/programmes/<int:programme_id>/review-log/<int:entry_id>/delete", methods=["POST"])
def delete_log_entry(programme_id: int, entry_id: int):
    programme = authz.target()
    entry = db.session.get(ReviewLogEntry, entry_id) if entry_id < 2**31 else None
    if entry is None or entry.programme_id != programme.id:
        abort(404)
    if request.form.get("confirm") != "yes":
        flash(_("Tick “Yes, remove this entry” to remove it."), "error")
    else:
        db.session.delete(entry)
        db.session.commit()
        flash(_("Entry removed."), "info")
    return redirect(url_for("reports.review_log", programme_id=programme.id), 303)


