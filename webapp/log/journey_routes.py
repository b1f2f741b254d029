"""\"My learning journey\": a PDF of the log entries the author ticks, for a portfolio or an
appraisal. Only what they tick goes in; nothing is ticked until they tick it."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.clock import now
from webapp.errors import render_error
from webapp.export import pdf_response
from webapp.extensions import db
from webapp.log import bp, places, queries
from webapp.models import LogRevisit, ModuleVersionRow
from webapp.pdf import PdfUnavailable, render_pdf
from webapp.web import small_int


@bp.route("/log/journey", methods=["GET", "POST"])
def journey():
    rows = queries.timeline(db.session, current_user.id, queries.Filters())
    if request.method == "GET":
        return render_template("log/journey.html", rows=rows, ticked=set())
    ticked = {small_int(v) for v in request.form.getlist("entry")} - {None}
    chosen = [row for row in reversed(rows) if row[0].id in ticked]  # oldest first
    if not chosen:
        flash(_("Tick at least one entry to put in your learning journey."), "error")
        return render_template("log/journey.html", rows=rows, ticked=ticked), 400
    answers: dict[int, list] = {}
    for answer in db.session.scalars(select(LogRevisit).where(
            LogRevisit.entry_id.in_([row[0].id for row in chosen])).order_by(LogRevisit.id)):
        answers.setdefault(answer.entry_id, []).append(answer)
    modules = {m.id: m for m in db.session.scalars(select(ModuleVersionRow).where(
        ModuleVersionRow.id.in_({row[0].module_version_id for row in chosen} - {None})))}
    html = render_template(
        "log/journey_pdf.html", chosen=chosen, answers=answers, made=now(),
        where={row[0].id: places.label(modules.get(row[0].module_version_id), row[0].place,
                                       row[0].place_id) for row in chosen})
    try:
        pdf = render_pdf(html)
    except PdfUnavailable:
        return render_error(500, _("PDF export is not available on this server yet."))
    return pdf_response(pdf, "my-learning-journey.pdf")
