"""The whole-programme report from the web: asked for with a button, made by a worker while
the page shows how far it got, downloaded when ready, tried again when it failed."""

from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from webapp import authz, language
from webapp.extensions import db
from webapp.jobs import kind_of
from webapp.jobs import operations as ops
from webapp.jobs.queue import enqueue
from webapp.models import ReportJob
from webapp.reports import bp, build
from webapp.web import attempt

KIND = "programme_report"


def _job(programme, job_id: int) -> ReportJob:
    """This programme's report job ``job_id`` (404 for any other)."""
    job = db.session.get(ReportJob, job_id) if 0 < job_id < 2**31 else None
    if job is None or job.kind != KIND or job.subject_id != programme.id:
        abort(404)
    return job


def current_job(programme) -> ReportJob | None:
    """The job for the programme's data as it is now, if one was asked for."""
    k = build.configured_k()
    return ops.find(db.session, KIND, programme.id,
                    kind_of(KIND).data_version(db.session, programme, k), k, language.current())


def status(job: ReportJob) -> dict:
    """What the page says about a job (also sent to the page's script)."""
    words = {
        "queued": _("Waiting for a worker to start it."),
        "running": ngettext("%(done)d of %(num)d part made.", "%(done)d of %(num)d parts made.",
                            job.parts_total, done=job.parts_done) if job.parts_total
        else _("Starting."),
        "done": _("Ready to download."),
        "failed": job.error or _("The report could not be made."),
    }
    return {"state": job.state, "done": job.parts_done, "total": job.parts_total,
            "text": words.get(job.state, "")}


@bp.route("/programmes/<int:programme_id>/reports/whole", methods=["POST"])
def request_programme_report(programme_id: int):
    programme = authz.target()
    outcome = attempt(ops.ask, KIND, programme, build.configured_k(), current_user,
                      language.current(), keep_loaded=True)
    job, new = outcome.result
    if new:
        enqueue(job.id)
    return redirect(url_for("reports.report_job", programme_id=programme.id, job_id=job.id),
                    303)


@bp.route("/programmes/<int:programme_id>/reports/jobs/<int:job_id>")
def report_job(programme_id: int, job_id: int):
    programme = authz.target()
    job = _job(programme, job_id)
    waiting = db.session.scalar(select(ReportJob.id).where(
        ReportJob.state == "queued", ReportJob.queued_at < job.queued_at).limit(1)) \
        if job.state == "queued" else None
    return render_template("reports/job.html", programme=programme, job=job,
                           status=status(job), others_first=waiting is not None)


@bp.route("/programmes/<int:programme_id>/reports/jobs/<int:job_id>/status.json")
def report_job_status(programme_id: int, job_id: int):
    job = _job(authz.target(), job_id)
    return jsonify(status(job))  # like every page, sent with Cache-Control: no-store


@bp.route("/programmes/<int:programme_id>/reports/jobs/<int:job_id>/file")
def report_job_file(programme_id: int, job_id: int):
    programme = authz.target()
    job = _job(programme, job_id)
    if job.state != "done" or not job.file_data:
        return redirect(url_for("reports.report_job", programme_id=programme.id,
                                job_id=job.id))
    response = make_response(job.file_data)
    response.headers["Content-Type"] = kind_of(job.kind).mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response  # Cache-Control: no-store, as for every page (webapp.security)


@bp.route("/programmes/<int:programme_id>/reports/jobs/<int:job_id>/retry", methods=["POST"])
def retry_report_job(programme_id: int, job_id: int):
    programme = authz.target()
    job = _job(programme, job_id)
    back = url_for("reports.report_job", programme_id=programme.id, job_id=job.id)
    outcome = attempt(ops.retry, job, keep_loaded=True)
    if outcome.refusal is None:
        enqueue(job.id)
    else:
        flash(outcome.message, "info")
    return redirect(back, 303)
