"""Version history, comparison between versions, and PDF export of a module version."""

from flask import render_template, request
from flask_babel import gettext as _

from curriculum.versions import diff_modules, side_by_side
from webapp.errors import render_error
from webapp.export import pdf_response
from webapp.extensions import db
from webapp.learn import bp, queries
from webapp.rendering import render_markdown

#: Bump when the PDF template or print stylesheet changes, so cached PDFs are made again.
PDF_LAYOUT = "3"


def _diff_words() -> dict:
    """The words a diff puts around the content, in the page's language."""
    return {
        "week": _("Week {week}: {title}"), "format": _("Format"), "who": _("Who does what"),
        "minutes": _("Minutes: {minutes}; students {students}; educator {educator}; patient "
                     "partner {partner}"),
        "objectives": _("Objectives"), "lessons": _("Lessons"),
        "preparation": _("Patient partner: preparation and travel"), "breaks": _("Breaks"),
        "support": _("Support"), "content_note": _("Content note"), "yes": _("yes"),
        "catch_up": _("If someone misses it"),
        "reading": _("{kind} reading, {access}, in {language}"), "required": _("required"),
        "optional": _("optional"), "free": _("free to read"),
        "not_free": _("not free to read"), "beside": _("read beside it: {key}"),
        "replaces": _("Replaces {versions}: {why}"),
        "speaks_from": _("Patient partner speaks from: {voice}"),
        "objective": _("objective: {id}")}


@bp.route("/modules/<slug>/versions")
def versions(slug: str):
    rows = queries.module_versions(db.session, slug)
    return render_template("learn/versions.html", rows=rows, slug=slug,
                           title=rows[-1].title, follows=_follows(rows[-1]))


def _follows(row):
    """For an edition in another language: the version it follows, and the newest version of
    that module when it is newer (so its changes can be carried into the edition)."""
    if row.edition_of_id is None:
        return None
    from webapp.models import ModuleVersionRow

    source = db.session.get(ModuleVersionRow, row.edition_of_id)
    newest = queries.module_versions(db.session, source.slug)[-1]
    return source, (newest if newest.id != source.id else None)


@bp.route("/modules/<slug>/compare")
def compare(slug: str):
    rows = {r.version: r for r in queries.module_versions(db.session, slug)}
    old, new = request.args.get("old", ""), request.args.get("new", "")
    if old not in rows or new not in rows:
        return render_error(400, _("Choose two published versions of this module to compare."))
    diff = diff_modules(rows[old].content(), rows[new].content(), _diff_words())
    return render_template("learn/compare.html", diff=diff, title=rows[new].title, slug=slug,
                           old=rows[old], new=rows[new], side_by_side=side_by_side)


@bp.route("/modules/<slug>/<version>/plan")
def plan(slug: str, version: str):
    """The session plan: how the module runs over a term, for the people who run it."""
    row = queries.module_row(db.session, slug, version)
    return render_template("learn/plan.html", row=row, module=row.content())


@bp.route("/modules/<slug>/<version>.pdf")
def module_pdf(slug: str, version: str):
    from webapp.pdf import PdfUnavailable, cached_pdf

    row = queries.module_row(db.session, slug, version)
    module = row.content()
    refs = {r.key: r.short for r in module.references}
    key = f"module-{slug}-{version}-{row.content_hash[:16]}-{PDF_LAYOUT}"
    try:
        pdf = cached_pdf(key, lambda: render_template(
            "learn/module_pdf.html", row=row, module=module, refs=refs, render=render_markdown))
    except PdfUnavailable:
        return render_error(500, _("PDF export is not available on this server yet. "
                                   "Use your browser's Print command on the module page."))
    return pdf_response(pdf, f"{slug}-{version}.pdf")


