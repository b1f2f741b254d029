"""An educator syncs a linked cohort's roster from the learning platform: a job fetches it,
then the same preview and confirmation as a CSV roster."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import authz, language
from webapp.extensions import db
from webapp.jobs import operations as ops
from webapp.jobs.queue import enqueue
from webapp.lti import bp, roster_sync
from webapp.models import LtiContext, ReportJob
from webapp.teach import roster as roster_ops
from webapp.teach.forms import ConfirmRosterForm
from webapp.web import attempt, wants_json


@bp.route("/cohorts/<int:cohort_id>/roster/sync", methods=["POST"])
def sync_roster(cohort_id: int):
    cohort = authz.target()
    course = roster_sync.course_of_cohort(db.session, cohort.id)
    if course is None or cohort.archived:
        flash(_("This cohort is not linked to a course on a learning platform."), "error")
        return redirect(url_for("teach.cohort", cohort_id=cohort.id), 303)
    outcome = attempt(ops.ask, "roster_sync", course, 0, current_user, language.current(),
                      keep_loaded=True)
    job, new = outcome.result
    if new:
        enqueue(job.id)
    return redirect(url_for("lti.synced_roster", cohort_id=cohort.id, job_id=job.id), 303)


@bp.route("/cohorts/<int:cohort_id>/roster/sync/<int:job_id>")
def synced_roster(cohort_id: int, job_id: int):
    cohort = authz.target()
    job = db.session.get(ReportJob, job_id)
    course = db.session.get(LtiContext, job.subject_id) if job is not None \
        and job.kind == "roster_sync" else None
    if course is None or course.cohort_id != cohort.id:
        abort(404)
    if job.state != "done":
        words = _("Fetching the roster of “%(course)s”…", course=course.title or course.context_id)
        if wants_json():
            return jsonify(state=job.state, done=job.parts_done, total=job.parts_total,
                           text=words)
        return render_template("lti/roster_wait.html", cohort=cohort, job=job, course=course,
                               words=words)
    result = roster_ops.plan(db.session, cohort, job.file_data or b"")
    upload = None
    name = _("Roster from %(platform)s", platform=course.platform.name)
    if not result.problems:
        upload = roster_ops.store_upload(db.session, current_user, cohort, name,
                                         job.file_data)
        db.session.commit()
    return render_template("teach/roster_preview.html", cohort=cohort, plan=result,
                           upload=upload, filename=name,
                           left_out=roster_sync.left_out_of(job.file_name),
                           confirm=ConfirmRosterForm(upload_id=upload.id if upload else ""))


@bp.app_template_global("lti_course_of")
def lti_course_of(cohort_id: int):
    """The learning platform course linked to a cohort (for the cohort page), or None."""
    return roster_sync.course_of_cohort(db.session, cohort_id)
