"""Large-print PDFs (A4, 16 pt and up) of a case brief and of a whole guide, for people who
read on paper or with low vision."""

from flask import render_template
from flask_babel import gettext as _

from curriculum import template
from webapp import authz
from webapp.clock import now
from webapp.errors import render_error
from webapp.export import pdf_response
from webapp.extensions import db
from webapp.learn import bp, queries
from webapp.rendering import render_markdown

#: Part of every cache key: change it when the large-print layout changes.
LAYOUT = "1"


def _pdf(key: str, filename: str, make_html):
    from webapp.pdf import PdfUnavailable, cached_pdf

    try:
        pdf = cached_pdf(f"large-{key}-{LAYOUT}-{now().date().isoformat()}", make_html)
    except PdfUnavailable:
        return render_error(500, _("PDF export is not available on this server yet. "
                                   "Use your browser's Print command on the page."))
    return pdf_response(pdf, filename)


@bp.route("/modules/<slug>/<version>/case-large-print.pdf")
def case_large_print(slug: str, version: str):
    row = queries.module_row(db.session, slug, version)
    module = row.content()
    prompts = {s.key: s.prompt for s in module.case.sections}
    return _pdf(f"case-{row.id}-{row.content_hash[:16]}", f"{slug}-case-large-print.pdf",
                lambda: render_template("learn/case_large_pdf.html", row=row, module=module,
                                        case=module.case, sections=template.SECTIONS,
                                        prompts=prompts, made=now()))


@bp.route("/guides/<slug>/<version>/large-print.pdf")
def guide_large_print(slug: str, version: str):
    row = authz.target()
    guide = row.content()
    refs = {r.key: r.short for r in guide.references}
    return _pdf(f"guide-{row.id}-{row.content_hash[:16]}", f"{slug}-large-print.pdf",
                lambda: render_template("learn/guide_large_pdf.html", row=row, guide=guide,
                                        pages=[(p, render_markdown(p.body, refs))
                                               for p in guide.pages], made=now()))
