"""``coproduce report``: the whole-programme PDF, rendered part by part outside any request."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import click
from flask import current_app, render_template
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.extensions import db


@click.command("report")
@with_appcontext
@click.argument("programme_id", type=int)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              required=True, help="Where to write the PDF, e.g. programme-report.pdf.")
@click.option("--min-cell", type=int, default=None,
              help="The small-cell threshold k (at least 5; default: REPORT_MIN_CELL).")
def report(programme_id: int, output: str, min_cell: int | None):
    """Write the curriculum-review report of programme PROGRAMME_ID as one PDF: every module
    version across its cohorts, then every cohort across its modules."""
    from curriculum.aggregate import MIN_K
    from webapp.models import Programme
    from webapp.pdf import PdfUnavailable, merge_pdfs, page_count, render_pdf

    k = current_app.config.get("REPORT_MIN_CELL", MIN_K) if min_cell is None else min_cell
    if k < MIN_K:
        raise click.BadParameter(f"the threshold is at least {MIN_K}; {k} could expose people",
                                 param_hint="--min-cell")
    target = Path(output)
    if target.suffix.lower() != ".pdf":
        raise click.BadParameter("the output file must end in .pdf", param_hint="--output")
    if not target.parent.is_dir():
        raise click.BadParameter(f"the folder {target.parent} does not exist",
                                 param_hint="--output")
    programme = db.session.get(Programme, programme_id) if 0 < programme_id < 2**31 else None
    if programme is None:
        raise click.BadParameter(f"there is no programme with id {programme_id}",
                                 param_hint="PROGRAMME_ID")
    jobs = _parts(programme, k)
    started, parts, files = time.perf_counter(), [], []
    with tempfile.TemporaryDirectory() as folder:
        try:
            for number, (title, make) in enumerate(jobs, start=1):
                click.echo(f"[{number}/{len(jobs)}] {title}", err=True)
                pdf = render_pdf(render_template("reports/report_pdf.html", report=make(),
                                                 where=programme))
                files.append(Path(folder) / f"part-{number}.pdf")
                files[-1].write_bytes(pdf)
                parts.append((title, page_count(pdf)))
            cover = _cover(programme, k, parts, offset=0)
            cover = _cover(programme, k, parts, offset=page_count(cover))
            title = _("Curriculum review report: %(p)s", p=programme.name)
            pages = merge_pdfs([cover, *files], target, title=title)
        except PdfUnavailable as exc:
            raise click.ClickException(f"PDF export is not available here: {exc}") from exc
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    click.echo(f"Wrote {target}: {pages} pages, {len(jobs)} parts, "
               f"{time.perf_counter() - started:.1f} s; peak memory (process) {max_rss:.0f} MiB.")


def _cover(programme, k: int, parts: list[tuple[str, int]], offset: int) -> bytes:
    """The title page and contents; each part's first page counted from the file's start."""
    from webapp.pdf import render_pdf

    starts, page = [], offset + 1
    for title, count in parts:
        starts.append((title, page))
        page += count
    return render_pdf(render_template("reports/programme_pdf.html", programme=programme,
                                      parts=starts, k=k))


def _parts(programme, k: int) -> list[tuple[str, object]]:
    """(title, make report) for every module version taken, then every cohort."""
    from webapp.models import Cohort
    from webapp.reports import build, log

    versions = log.versions_taken(db.session, programme.id)
    cohorts = list(db.session.scalars(select(Cohort).where(
        Cohort.programme_id == programme.id).order_by(Cohort.name)))
    jobs = [(v.title + " " + v.version, lambda v=v: build.module_report(
        db.session, programme, v, k)) for v in versions]
    jobs += [(c.name, lambda c=c: build.cohort_report(db.session, c, k)[0]) for c in cohorts]
    return jobs
