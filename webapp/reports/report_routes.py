"""Curriculum-review reports for leads and educators: web page, CSV and PDF of the same data."""

from flask import abort, render_template
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from webapp import authz
from webapp.clock import now
from webapp.errors import render_error
from webapp.export import csv_response, pdf_response
from webapp.extensions import db
from webapp.localtime import local
from webapp.models import Assignment, Cohort, ModuleVersionRow
from webapp.pdf import PdfUnavailable, cached_pdf
from webapp.reports import bp, build, job_routes, tables


def _version(programme, module_version_id: int) -> ModuleVersionRow:
    """A module version some cohort of this programme took (404 otherwise)."""
    row = db.session.get(ModuleVersionRow, module_version_id) \
        if 0 < module_version_id < 2**31 else None
    taken = row is not None and db.session.scalar(
        select(Assignment.id).join(Cohort, Cohort.id == Assignment.cohort_id).where(
            Cohort.programme_id == programme.id, Assignment.module_version_id == row.id)
        .limit(1))
    if not taken:
        abort(404)
    return row


@bp.route("/programmes/<int:programme_id>/reports")
def programme_reports(programme_id: int):
    programme = authz.target()
    rows = db.session.execute(
        select(ModuleVersionRow.id, ModuleVersionRow.slug, ModuleVersionRow.title,
               ModuleVersionRow.version, Cohort.id, Cohort.name)
        .join(Assignment, Assignment.module_version_id == ModuleVersionRow.id)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .where(Cohort.programme_id == programme.id)
        .order_by(ModuleVersionRow.title, ModuleVersionRow.major, ModuleVersionRow.minor,
                  ModuleVersionRow.patch, Cohort.name)).all()
    versions: dict[int, dict] = {}
    cohorts: dict[int, str] = {}
    for mv, slug, title, version, cohort_id, cohort in rows:
        entry = versions.setdefault(mv, {"id": mv, "title": title, "version": version,
                                         "slug": slug, "cohorts": []})
        entry["cohorts"].append(cohort)
        cohorts[cohort_id] = cohort
    return render_template("reports/index.html", programme=programme,
                           versions=list(versions.values()),
                           cohorts=sorted(cohorts.items(), key=lambda c: c[1]),
                           log=build.log_entries(db.session, programme.id), k=build.configured_k(),
                           whole=job_routes.current_job(programme))


@bp.route("/programmes/<int:programme_id>/reports/modules/<int:module_version_id>")
def module_report(programme_id: int, module_version_id: int):
    programme = authz.target()
    version = _version(programme, module_version_id)
    report = build.module_report(db.session, programme, version, build.configured_k())
    return render_template("reports/report.html", report=report, programme=programme,
                           version=version, contents=None, kind="module")


@bp.route("/programmes/<int:programme_id>/reports/modules/<int:module_version_id>/report.csv")
def module_report_csv(programme_id: int, module_version_id: int):
    programme = authz.target()
    version = _version(programme, module_version_id)
    report = build.module_report(db.session, programme, version, build.configured_k())
    return csv_response(f"report-{version.slug}-{version.version}.csv", *_csv(report))


@bp.route("/programmes/<int:programme_id>/reports/modules/<int:module_version_id>/report.pdf")
def module_report_pdf(programme_id: int, module_version_id: int):
    programme = authz.target()
    version = _version(programme, module_version_id)
    report = build.module_report(db.session, programme, version, build.configured_k())
    return _pdf(report, f"report-{version.slug}-{version.version}.pdf", programme)


@bp.route("/cohorts/<int:cohort_id>/report")
def cohort_report(cohort_id: int):
    cohort = authz.target()
    report, contents = build.cohort_report(db.session, cohort, build.configured_k())
    return render_template("reports/report.html", report=report, cohort=cohort,
                           programme=cohort.programme, contents=contents, kind="cohort")


@bp.route("/cohorts/<int:cohort_id>/report.csv")
def cohort_report_csv(cohort_id: int):
    cohort = authz.target()
    report, _contents = build.cohort_report(db.session, cohort, build.configured_k())
    return csv_response(f"report-cohort-{cohort.id}.csv", *_csv(report))


@bp.route("/cohorts/<int:cohort_id>/report.pdf")
def cohort_report_pdf(cohort_id: int):
    cohort = authz.target()
    report, _contents = build.cohort_report(db.session, cohort, build.configured_k())
    return _pdf(report, f"report-cohort-{cohort.id}.pdf", cohort)


def _csv(report: build.Report):
    """Every table, one row per figure; a hidden table is one row saying so (never blank)."""
    header = [pgettext("CSV column", "section"), pgettext("CSV column", "table"),
              pgettext("CSV column", "about"), pgettext("CSV column", "row"),
              pgettext("CSV column", "column"), pgettext("CSV column", "value")]
    rows = []
    part = ""
    for section in report.sections:
        if section.kind == "part":
            part = section.title
            continue
        title = f"{part} — {section.title}" if part else section.title
        if section.kind == "comments":
            rows += _comment_rows(title, section)
        for table in section.tables:
            if table.hidden_because:
                rows.append([title, table.title, table.about, "", "",
                             tables.why_hidden(table.hidden_because)])
                continue
            for label, values in table.rows:
                for column, value in zip(table.columns, values, strict=False):
                    rows.append([title, table.title, table.about, label, column, value])
    if report.versions:
        for label, values in report.versions.rows:
            for column, value in zip(report.versions.columns, values, strict=False):
                rows.append([_("Versions"), report.versions.title, report.versions.about,
                             label, column, value])
    if report.chart:
        for label, version, value, why in report.chart.points:
            rows.append([_("Run chart"), report.chart.title, version, label, "%",
                         value if value is not None else tables.why_hidden(why)])
    return header, rows


def _comment_rows(title: str, section: build.Section) -> list[list]:
    """Screened comments, one row each; comments that are not shown say so in one row."""
    rows = [[title, question, "", "", "", text] for question, said in section.comments
            for text in said]
    if section.comments_hidden:
        rows.append([title, section.title, "", "", "", section.comments_hidden])
    return rows


def _pdf(report: build.Report, filename: str, where):
    """The report's PDF, dated in the time zone of ``where`` (its programme or cohort)."""
    # the layout version and the local day: a PDF says the date it was made
    key = f"report-{report.fingerprint()}-3-{local(now(), where).date().isoformat()}"
    try:
        pdf = cached_pdf(key, lambda: render_template("reports/report_pdf.html", report=report,
                                                      where=where))
    except PdfUnavailable:
        return render_error(500, _("PDF export is not available on this server yet."))
    return pdf_response(pdf, filename)
